import crypto from "node:crypto";
import type { Database } from "../../db";
import type { LsSale } from "../../lightspeed/domain";
import type { Cents } from "../../money";
import { addDays } from "../../time";
import { recordActivities, recordActivity, type ActivityEntry } from "../../activity/record-activity";
import { toCents } from "../../money";
import { raiseNotification, resolveNotifications } from "../../notifications/raise-notification";
import type { ReversedBooking, SaleLinkState } from "../link-state";
import { handleRecordFailure, type FailureOutcome } from "../handle-record-failure";
import { getLink, saleIdOfLine, saveLink, saveLinks, type Link, type LinkUpdate } from "../links";
import { buildBookingPlan } from "./build-booking-plan";
import { bookingStarted, startedBookingChanged } from "./compare-started-booking";
import { finishStartedBooking } from "./finish-started-booking";
import { applyDebtorFieldRules } from "./apply-debtor-field-rules";
import { bookedIndividually, chooseDebtor, movesCustomerAccount } from "./choose-debtor";
import { saleBookingDate } from "./correction-date";
import { dayKeyOf, dayKeyString } from "./group-sales-by-day";
import { ensureDebtor, type ResolvedDebtor } from "./ensure-debtor";
import { findOpenItems } from "./find-open-items";
import { settleAccountPayment } from "./settle-account-payment";
import { formatInvoiceNumber, saleBookingTime, saleBusinessDate } from "./sale-references";
import { summarizeSale, type SaleSummary, type SummarizeOptions } from "./summarize-sale";
import { isDepositTender, planOpenSaleDeposits } from "./plan-deposits";
import { validateSale } from "./validate-sale";
import { voidPostedSale } from "./void-posted-sale";
import type { OrderRunContext } from "./order-run-context";
import { writeBookings, type ReadBackCache, type WriteItem, type WriteOutcome, type WriteState } from "./write-booking";
import { writeStateOf } from "./write-state-of";
import type { PlansToStore } from "./store-plans";
import { paymentsOfPlan, type BookingPlan, type PlannedTender } from "./booking-plan";

export type SaleOutcome = "created" | "linked" | "skipped" | "deferred" | "voided" | "updated" | "failed" | "paused";

/** Changes in these fields change the booking; anything else (a note, a timestamp) does not. */
export function saleHash(sale: LsSale): string {
  const relevant = {
    total: sale.total,
    completeTime: sale.completeTime,
    shopId: sale.shopId,
    customerId: sale.customerId,
    lines: sale.lines.map((l) => [l.saleLineId, l.calcTotal, l.tax, l.tax1Rate, l.tax2Rate, l.itemId]),
    payments: sale.payments.filter((p) => !p.archived).map((p) => [p.salePaymentId, p.paymentTypeId, p.amount, p.tipAmount]),
  };
  return crypto.createHash("sha256").update(JSON.stringify(relevant)).digest("hex").slice(0, 32);
}

function reference(sale: LsSale): string {
  return sale.ticketNumber || sale.saleId;
}

/** What to do with one sale, decided before anything is written (so a page of sales can be written in batches). */
export type PreparedSale =
  | { kind: "outcome"; sale: LsSale; outcome: SaleOutcome }
  | {
      kind: "book";
      sale: LsSale;
      hash: string;
      plan: BookingPlan;
      initial: WriteState | undefined;
      debtor: ResolvedDebtor;
      startedAt: number;
      reposted: boolean;
      wasFailed: boolean;
      /** Only the deposits of a sale still open: the link stays pending until the sale completes. */
      depositsOnly?: boolean;
    };

/**
 * One sale through the flow: skip what is already in BB, reverse a sale voided after posting, handle an edit
 * after posting per setting, defer it to its day in summary mode, or plan its booking. A bad sale fails alone.
 */
export async function prepareSale(ctx: OrderRunContext, sale: LsSale, options: { links?: Map<string, Link<"sale">>; plans?: PlansToStore } = {}): Promise<PreparedSale> {
  const { database, tenantId } = ctx;
  const startedAt = Date.now();
  const link = options.links ? options.links.get(sale.saleId) : await getLink(database, tenantId, "sale", sale.saleId);
  const hash = saleHash(sale);
  const out = (outcome: SaleOutcome): PreparedSale => ({ kind: "outcome", sale, outcome });
  const log = (result: "created" | "updated" | "skipped" | "info", message: string, extra: { transformed?: unknown; target?: unknown } = {}) =>
    recordActivity(
      database,
      {
        tenantId,
        runId: ctx.runId,
        flow: "orders",
        entity: "sale",
        sourceId: sale.saleId,
        reference: reference(sale),
        result,
        message,
        sourcePayload: sale,
        transformedPayload: extra.transformed,
        targetResponse: extra.target,
        durationMs: Date.now() - startedAt,
      },
      { redact: ctx.redactPii },
    );

  if (!sale.completed) {
    try {
      return (await prepareOpenSale(ctx, sale, link, startedAt)) ?? out("skipped");
    } catch (e) {
      return out(await failSale(ctx, sale, startedAt, e));
    }
  }
  if (link?.status === "voided") return out("skipped");

  let state = link?.target_ids ?? {};
  let posted = link?.status === "done";
  // The plan of the sale as it is now, once computed (at most once per sale and revision).
  let planned: { revision: number; plan: BookingPlan; debtor: ResolvedDebtor } | undefined;

  try {
    // A booking that was started and not finished, for a version of the sale that has changed since (or was
    // voided): new lines must never go onto what was written for the old one.
    const stored = state.plan;
    if (link && !posted && !state.dayKey && stored && bookingStarted(state)) {
      let changed = sale.voided;
      if (!changed) {
        const revision = state.revision ?? 0;
        planned = { revision, ...(await planSale(ctx, sale, revision, bookedDeposits(state), options.plans)) };
        changed = await startedBookingChanged(state, stored, planned.plan, () => ctx.bb.getPostings({ dateFrom: stored.date, dateTo: stored.date }));
      }
      if (changed) {
        state = await finishStartedBooking(ctx, sale, state, stored);
        posted = true;
        planned = undefined;
        await log("info", `Changed in Lightspeed while it was being posted — ${stored.invoiceNumber} was completed as started, the change is booked as a change after posting.`);
      }
    }

    if (sale.voided) {
      if (!link || (!posted && !state.receiptId && !state.dayKey)) {
        await saveLink(database, tenantId, "sale", sale.saleId, { status: "skipped", step: "voided_before_sync", hash });
        if (!link) await log("skipped", "Voided in Lightspeed before it was synced — not booked.");
        return out("skipped");
      }
      if (state.dayKey) {
        // Part of a daily summary: the day gets a correcting entry without this sale.
        await saveLink(database, tenantId, "sale", sale.saleId, { status: "voided", step: "voided", targetIds: { summary: null }, hash });
        await markDayForCorrection(database, tenantId, state.dayKey);
        await log("updated", "Voided in Lightspeed after the day was summarised — the day will be corrected.");
        return out("voided");
      }
      const reversal = await voidPostedSale(ctx, sale, state);
      await saveLink(database, tenantId, "sale", sale.saleId, { status: "voided", step: "voided", targetIds: { void: reversal } });
      await resolveNotifications(database, tenantId, { dedupeKey: editIgnoredKey(sale) });
      await log("updated", "Voided in Lightspeed after it was posted — reversed in BuchhaltungsButler.", { target: reversal });
      return out("voided");
    }

    let reposted = false;
    let revision = state.revision ?? 0;
    let fresh = false;
    // A poll and a resync the merchant asked for follow the same rule: an edit after posting is never resumed
    // from "done" as if BB held the new version.
    // A reversal that a crash interrupted is finished and posted again whatever the sale or the setting says
    // now: BB would otherwise keep half a booking.
    const reversing = (state.void?.cancelled?.length ?? 0) > 0 || Object.keys(state.void?.reversals ?? {}).length > 0;
    if (posted && link) {
      if (link.hash === hash && !reversing) return out("skipped");
      if (state.dayKey) {
        await saveLink(database, tenantId, "sale", sale.saleId, { hash, targetIds: { summary: withBookedDeposits(summarizeSale(sale, ctx.mappings, summarizeOptions(ctx, sale)), state) } });
        await markDayForCorrection(database, tenantId, state.dayKey);
        await log("updated", "Changed in Lightspeed after the day was summarised — the day will be corrected.");
        return out("updated");
      }
      if (ctx.settings.editsAfterSync === "ignore" && !reversing) {
        // The link keeps the hash of what BB holds: the edit stays unbooked, not forgotten, so the inbox item's
        // retry (a resync) books it once the merchant switches to "reverse and post again".
        const { created } = await raiseEditIgnored(ctx, sale, state);
        if (created) await log("info", "Changed in Lightspeed after it was posted. The setting “edits after sync” is “ignore”, so BuchhaltungsButler was not changed.");
        return out("skipped");
      }
      const reversal = await voidPostedSale(ctx, sale, state);
      revision += 1;
      // The reversal and "post again" are saved in one write: a crash after it resumes the re-post.
      await saveLink(database, tenantId, "sale", sale.saleId, {
        status: "pending",
        step: "reposting",
        targetIds: {
          revision,
          previous: { ...reversal, plan: state.plan ?? null, transactionIds: Object.values(state.tenders ?? {}).flatMap((t) => (t.transactionId ? [t.transactionId] : [])) },
          reversedBefore: [...(state.reversedBefore ?? []), ...reversedBookingOf(state.previous)],
          void: null,
          receiptId: null,
          receiptAmount: null,
          receiptPosted: null,
          commented: null,
          adoptedReceipt: null,
          intents: [],
          tenders: {},
          free: {},
        },
      });
      await resolveNotifications(database, tenantId, { dedupeKey: editIgnoredKey(sale) });
      reposted = true;
      fresh = true;
    }

    validateSale(sale, { maxSaleTotalCents: ctx.settings.maxSaleTotalCents });

    const summaryMode = ctx.settings.postingMode === "daily_summary";
    if (summaryMode && !bookedIndividually(sale, ctx.mappings, ctx.settings)) {
      const summary = withBookedDeposits(summarizeSale(sale, ctx.mappings, summarizeOptions(ctx, sale)), state);
      const key = dayKeyOf(sale, { timeZone: ctx.shopTimeZone(sale.shopId), cutoffHour: ctx.settings.cutoffHour, granularity: ctx.settings.summaryGranularity });
      const dayKey = dayKeyString(key);
      await saveLink(database, tenantId, "sale", sale.saleId, { status: "pending", step: "day", hash, lastError: null, targetIds: { dayKey, summary, date: key.date } });
      const day = await getLink(database, tenantId, "day", dayKey);
      if (day?.status === "done") await markDayForCorrection(database, tenantId, dayKey);
      return out("deferred");
    }

    const { plan, debtor } = planned?.revision === revision ? planned : await planSale(ctx, sale, revision, fresh ? [] : bookedDeposits(state), options.plans);
    // The plan is stored before its first write: a later version of the sale is compared against it. With
    // `plans`, the caller stores the page's plans together before writing any of them.
    const lineIds = sale.lines.map((l) => l.saleLineId);
    const planLink: LinkUpdate<"sale"> = { status: "pending", hash, targetIds: { lineIds, plan } };
    if (options.plans) options.plans.add(sale.saleId, lineIds, planLink);
    else await saveLink(database, tenantId, "sale", sale.saleId, planLink);
    return { kind: "book", sale, hash, plan, debtor, initial: fresh ? undefined : link ? writeStateOf(state, plan) : undefined, startedAt, reposted, wasFailed: link?.status === "failed" };
  } catch (e) {
    return out(await failSale(ctx, sale, startedAt, e));
  }
}

async function failSale(ctx: OrderRunContext, sale: LsSale, startedAt: number, e: unknown): Promise<SaleOutcome> {
  const outcome: FailureOutcome = await handleRecordFailure(
    ctx.database,
    { tenantId: ctx.tenantId, runId: ctx.runId, flow: "orders", entity: "sale", sourceId: sale.saleId, reference: reference(sale), sourcePayload: sale, startedAt, redactPii: ctx.redactPii },
    e,
  );
  return outcome === "tenant" ? "paused" : "failed";
}

type BookPrepared = Extract<PreparedSale, { kind: "book" }>;

export function isBook(p: PreparedSale): p is BookPrepared {
  return p.kind === "book";
}

export function writeItemOf(ctx: OrderRunContext, p: BookPrepared): WriteItem {
  return { target: { tenantId: ctx.tenantId, entity: "sale", sourceId: p.sale.saleId }, plan: p.plan, initial: p.initial };
}

/**
 * Writes the planned sales (in BB batches when there are enough of them) and records each result. Transient
 * failures propagate (the job step retries and resumes from the links); a record's own problem fails that record.
 */
export async function writePreparedSales(ctx: OrderRunContext, prepared: PreparedSale[], options: { batch: boolean; cache?: ReadBackCache }): Promise<SaleOutcome[]> {
  const toBook = prepared.filter(isBook);
  const results = toBook.length ? await writeBookings(ctx.database, ctx.bb, toBook.map((p) => writeItemOf(ctx, p)), { batch: options.batch, comment: ctx.comments, cache: options.cache }) : [];
  return finalizePreparedSales(ctx, prepared, new Map(toBook.map((p, i) => [p, results[i]!])));
}

/** Records what the writes did: links done, one activity entry per sale, failures handled one by one. */
export async function finalizePreparedSales(ctx: OrderRunContext, prepared: PreparedSale[], results: Map<PreparedSale, WriteOutcome>): Promise<SaleOutcome[]> {
  const byId = new Map<string, SaleOutcome>();
  const doneLinks: { sourceId: string; update: LinkUpdate<"sale"> }[] = [];
  const activities: ActivityEntry[] = [];
  for (const p of prepared.filter(isBook)) {
    const r = results.get(p)!;
    if (!r.ok) {
      byId.set(p.sale.saleId, await failSale(ctx, p.sale, p.startedAt, r.error));
      continue;
    }
    if (p.wasFailed) await resolveNotifications(ctx.database, ctx.tenantId, { dedupeKey: `record:sale:${p.sale.saleId}` });
    if (p.depositsOnly) {
      doneLinks.push({ sourceId: p.sale.saleId, update: { status: "pending", step: "deposits", lastError: null, targetIds: { ...r.state, date: p.plan.date, plan: p.plan } } });
      activities.push(
        writtenActivity(ctx, p, r.state, "created", `Deposits on the open sale booked on the days they were paid (${p.plan.tenders.map((t) => `${t.bookingDate.slice(0, 10)}: ${(t.amount / 100).toFixed(2)} €`).join(", ")}).`),
      );
      byId.set(p.sale.saleId, "created");
      continue;
    }
    // The plan is in the link already (stored before the first write), the same object: not sent again.
    doneLinks.push({ sourceId: p.sale.saleId, update: { status: "done", step: "done", hash: p.hash, lastError: null, targetIds: { ...r.state, debtor: p.debtor.number, date: p.plan.date } } });
    const message = r.adopted
      ? "Already in BuchhaltungsButler — linked."
      : `${p.reposted ? "Changed in Lightspeed after it was posted — reversed and posted again as" : "Posted as"} ${p.plan.invoiceNumber} (${(p.plan.totals.gross / 100).toFixed(2)} €), debtor ${p.debtor.number} ${p.debtor.action}.`;
    activities.push(writtenActivity(ctx, p, r.state, r.adopted ? "skipped" : p.reposted ? "updated" : "created", message));
    byId.set(p.sale.saleId, r.adopted ? "linked" : p.reposted ? "updated" : "created");
  }
  await saveLinks(ctx.database, ctx.tenantId, "sale", doneLinks);
  await recordActivities(ctx.database, activities, { redact: ctx.redactPii });
  return prepared.map((p) => (p.kind === "outcome" ? p.outcome : byId.get(p.sale.saleId)!));
}

/** The activity entry of a sale whose write went through: what Lightspeed had, the plan, and what BB now holds. */
function writtenActivity(ctx: OrderRunContext, p: Extract<PreparedSale, { kind: "book" }>, state: WriteState, result: ActivityEntry["result"], message: string): ActivityEntry {
  return {
    tenantId: ctx.tenantId,
    runId: ctx.runId,
    flow: "orders",
    entity: "sale",
    sourceId: p.sale.saleId,
    reference: reference(p.sale),
    result,
    message,
    sourcePayload: p.sale,
    transformedPayload: p.plan,
    targetResponse: state,
    durationMs: Date.now() - p.startedAt,
  };
}

/** One sale end to end with single calls (resync, small polls). */
export async function processSale(ctx: OrderRunContext, sale: LsSale): Promise<SaleOutcome> {
  const prepared = await prepareSale(ctx, sale);
  const [outcome] = await writePreparedSales(ctx, [prepared], { batch: false });
  return outcome!;
}

function summarizeOptions(ctx: OrderRunContext, sale: LsSale): SummarizeOptions {
  return { categoryOf: ctx.categoryOf, useCategoryAccounts: ctx.settings.categoryRevenueAccounts, businessDay: { timeZone: ctx.shopTimeZone(sale.shopId), cutoffHour: ctx.settings.cutoffHour } };
}

/** What reconciliation keeps of a re-post's reversal once the next re-post takes its place. */
function reversedBookingOf(previous: SaleLinkState["previous"]): ReversedBooking[] {
  if (!previous?.plan || !previous.date) return [];
  return [
    {
      date: previous.plan.date,
      reversedOn: previous.date,
      payments: paymentsOfPlan(previous.plan),
      transactionIds: [...(previous.transactionIds ?? []), ...Object.values(previous.reversals ?? {}).flatMap((r) => (r.transactionId ? [r.transactionId] : []))],
    },
  ];
}

function editIgnoredKey(sale: LsSale): string {
  return `edit-ignored:sale:${sale.saleId}`;
}

/** An edit left unbooked leaves BB (a cash or card amount, say) wrong: the merchant sees it in the inbox, once per sale. */
async function raiseEditIgnored(ctx: OrderRunContext, sale: LsSale, state: SaleLinkState): Promise<{ created: boolean }> {
  return raiseNotification(ctx.database, {
    tenantId: ctx.tenantId,
    severity: "warning",
    code: "SALE_EDIT_IGNORED",
    message: {
      code: "sale_edit_ignored",
      params: { reference: reference(sale), invoiceNumber: state.invoiceNumber ?? state.plan?.invoiceNumber ?? "", postedCents: state.plan?.totals.gross ?? 0, nowCents: toCents(sale.total) },
    },
    link: `/activity?q=${encodeURIComponent(reference(sale))}`,
    flow: "orders",
    entity: "sale",
    sourceId: sale.saleId,
    dedupeKey: editIgnoredKey(sale),
  });
}

async function markDayForCorrection(database: Database, tenantId: string, dayKey: string): Promise<void> {
  await saveLink(database, tenantId, "day", dayKey, { targetIds: { needsCorrection: true } });
}

async function planSale(ctx: OrderRunContext, sale: LsSale, revision: number, deposits: PlannedTender[], plans?: PlansToStore): Promise<{ plan: BookingPlan; debtor: ResolvedDebtor }> {
  const { database, tenantId } = ctx;
  const timeZone = ctx.shopTimeZone(sale.shopId);
  const baseNumber = formatInvoiceNumber(ctx.settings.invoiceNumberPattern, sale);
  const invoiceNumber = revision > 0 ? `${baseNumber}-K${revision}` : baseNumber;
  const { date, bookingTime, commentSuffix } = await saleBookingDate(ctx.bb, sale, { revision, timeZone, cutoffHour: ctx.settings.cutoffHour });
  const summary = summarizeSale(sale, ctx.mappings, summarizeOptions(ctx, sale));
  let choice = chooseDebtor(sale.customer, { ownDebtor: movesCustomerAccount(sale, ctx.mappings) });
  if (choice.kind === "customer" && sale.customer && ctx.fieldRules) choice = { ...choice, fields: applyDebtorFieldRules(choice.fields, sale.customer, ctx.fieldRules) };
  const debtor = await ensureDebtor(database, ctx.bb, tenantId, choice, ctx.mappings, { updateExisting: ctx.settings.updateExistingDebtors, now: ctx.now });
  const onAccountType = sale.payments.find((p) => ctx.mappings.paymentTypes.get(p.paymentTypeId)?.kind === "on_account")?.paymentTypeId;
  const terms = (onAccountType && ctx.mappings.paymentTerms.get(onAccountType)) || ctx.mappings.paymentTerms.get("default");
  const parentLine = sale.lines.find((l) => l.parentSaleLineId)?.parentSaleLineId ?? null;
  // A refund in the same page as its sale finds it among the page's plans not stored yet.
  const linkToSaleId = parentLine ? (plans?.saleOfLine(parentLine) ?? (await saleIdOfLine(database, tenantId, parentLine))) : null;
  const planned = buildBookingPlan(summary, ctx.mappings, {
    kind: "sale",
    invoiceNumber,
    date,
    bookingTime,
    shopId: sale.shopId,
    registerId: sale.registerId,
    debtor: { number: debtor.number, name: debtor.name },
    dueDate: terms ? addDays(date, terms.days) : date,
    linkToSaleId,
    label: `Sale ${reference(sale)}`,
    comment: `Lightspeed-Verkauf ${reference(sale)} (Sale-ID ${sale.saleId}, Filiale ${sale.shopId}, Kasse ${sale.registerId ?? "–"})${commentSuffix}`,
    bookedDeposits: deposits,
  });
  // Money paid into the customer's account settles their open receipts in BB, not only their balance.
  const paidIn = -summary.onAccount as Cents;
  const plan = paidIn > 0 && debtor.action !== "default" ? settleAccountPayment(planned, paidIn, await findOpenItems(database, ctx.bb, tenantId, debtor.number)) : planned;
  return { plan, debtor };
}

/** Deposits this sale's link holds as written (while the sale was open): the completion keeps them as they are. */
function bookedDeposits(state: SaleLinkState): PlannedTender[] {
  return (state.plan?.tenders ?? []).filter((t) => isDepositTender(t) && state.tenders?.[t.key]?.transactionId);
}

/** A daily summary only clears a deposit already booked under the sale's link, with the split it was booked with. */
function withBookedDeposits(summary: SaleSummary, state: SaleLinkState): SaleSummary {
  const booked = new Map(bookedDeposits(state).map((t) => [t.key, t]));
  if (!booked.size) return summary;
  return {
    ...summary,
    tenders: summary.tenders.map((m) => {
      const t = m.deposit && booked.get(`A${m.deposit.salePaymentId}`);
      if (!m.deposit || !t) return m;
      const parts = m.tip !== 0 ? t.lines.slice(0, -1) : t.lines;
      return { ...m, deposit: { ...m.deposit, booked: parts.map((l) => ({ vat: l.vat, amount: l.amount })) } };
    }),
  };
}

/**
 * A layaway, special order or work order still open: its instalments are booked now, each on the day it was paid
 * (VAT is due on receipt), under the sale's link, which stays pending until the sale completes. Null when there
 * is nothing (new) to book.
 */
async function prepareOpenSale(ctx: OrderRunContext, sale: LsSale, link: Link<"sale"> | undefined, startedAt: number): Promise<PreparedSale | null> {
  if (sale.voided || !sale.payments.some((p) => !p.archived)) return null;
  if (link && link.status !== "pending" && link.status !== "failed") return null;
  const state = link?.target_ids ?? {};
  const timeZone = ctx.shopTimeZone(sale.shopId);
  const summary = summarizeSale(sale, ctx.mappings, summarizeOptions(ctx, sale));
  const customer = sale.customer ? (sale.customer.company || `${sale.customer.firstName} ${sale.customer.lastName}`).trim() : "";
  const plan = planOpenSaleDeposits(summary, ctx.mappings, {
    invoiceNumber: formatInvoiceNumber(ctx.settings.invoiceNumberPattern, sale),
    date: saleBusinessDate(sale, timeZone, ctx.settings.cutoffHour),
    debtor: { number: 0, name: (customer || ctx.mappings.defaultDebtor?.name || "Lightspeed").slice(0, 100) },
    label: `Sale ${reference(sale)}`,
    bookingTime: saleBookingTime(sale, timeZone, ctx.settings.cutoffHour),
    shopId: sale.shopId,
    registerId: sale.registerId,
  }, bookedDeposits(state));
  // Nothing new only when the link holds the plan too: a run that died after the writes but before the plan was
  // saved must still save it (reconciliation finds the deposits' transactions through it).
  const recorded = new Set((state.plan?.tenders ?? []).map((t) => t.key));
  if (!plan || plan.tenders.every((t) => state.tenders?.[t.key]?.posted && recorded.has(t.key))) return null;
  return {
    kind: "book",
    sale,
    hash: saleHash(sale),
    plan,
    debtor: { number: 0, name: plan.debtor.name, action: "default" },
    initial: link ? writeStateOf(state, plan) : undefined,
    startedAt,
    reposted: false,
    wasFailed: link?.status === "failed",
    depositsOnly: true,
  };
}
