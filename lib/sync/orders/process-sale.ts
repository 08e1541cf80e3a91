import crypto from "node:crypto";
import { sql } from "kysely";
import type { BbClient } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import type { LsSale } from "../../lightspeed/domain";
import type { OrderMappings } from "../../mapping/order-mappings";
import { addDays } from "../../time";
import { recordActivity } from "../../activity/record-activity";
import { resolveNotifications } from "../../notifications/raise-notification";
import { handleRecordFailure, type FailureOutcome } from "../handle-record-failure";
import { getLink, saveLink } from "../links";
import { buildBookingPlan } from "./build-booking-plan";
import { chooseDebtor } from "./choose-debtor";
import { dayKeyOf, dayKeyString } from "./group-sales-by-day";
import { ensureDebtor } from "./ensure-debtor";
import type { OrderSettings } from "./order-settings";
import { formatInvoiceNumber, saleBookingTime, saleBusinessDate } from "./sale-references";
import { summarizeSale } from "./summarize-sale";
import { validateSale } from "./validate-sale";
import { voidPostedSale } from "./void-posted-sale";
import { writeBooking, type WriteState } from "./write-booking";

export interface OrderRunContext {
  database: Database;
  bb: BbClient;
  tenantId: string;
  runId: string | null;
  settings: OrderSettings;
  mappings: OrderMappings;
  shopTimeZone(shopId: string): string;
  /** Category of an item, for category revenue accounts (from the product register). */
  categoryOf?: (itemId: string) => string | null;
  redactPii: boolean;
  /** Backfills skip the per-receipt comment to stay within BB's 100 calls/minute. */
  comments: boolean;
}

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

/**
 * One sale through the flow: skip what is already in BB, reverse a sale voided after posting, handle an edit
 * after posting per setting, defer it to its day in summary mode, or book it. A bad sale fails alone.
 */
export async function processSale(ctx: OrderRunContext, sale: LsSale, options: { force?: boolean } = {}): Promise<SaleOutcome> {
  const { database, tenantId } = ctx;
  const startedAt = Date.now();
  const link = await getLink(database, tenantId, "sale", sale.saleId);
  const hash = saleHash(sale);
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

  if (!sale.completed) return "skipped";
  if (link?.status === "voided") return "skipped";

  const state = (link?.target_ids ?? {}) as unknown as WriteState & { dayKey?: string };
  const posted = link?.status === "done";

  try {
    if (sale.voided) {
      if (!link || (link.status !== "done" && !state.receiptId && !state.dayKey)) {
        await saveLink(database, tenantId, "sale", sale.saleId, { status: "skipped", step: "voided_before_sync", hash });
        if (!link) await log("skipped", "Voided in Lightspeed before it was synced — not booked.");
        return "skipped";
      }
      if (state.dayKey) {
        // Part of a daily summary: the day gets a correcting entry without this sale.
        await saveLink(database, tenantId, "sale", sale.saleId, { status: "voided", step: "voided", targetIds: { summary: null }, hash });
        await markDayForCorrection(database, tenantId, state.dayKey);
        await log("updated", "Voided in Lightspeed after the day was summarised — the day will be corrected.");
        return "voided";
      }
      const reversal = await voidPostedSale(ctx, sale, state);
      await log("updated", "Voided in Lightspeed after it was posted — reversed in BuchhaltungsButler.", { target: reversal });
      return "voided";
    }

    if (posted && !options.force) {
      if (link.hash === hash) return "skipped";
      if (state.dayKey) {
        await saveLink(database, tenantId, "sale", sale.saleId, { hash, targetIds: { summary: summarizeSale(sale, ctx.mappings, { categoryOf: ctx.categoryOf, useCategoryAccounts: ctx.settings.categoryRevenueAccounts }) } });
        await markDayForCorrection(database, tenantId, state.dayKey);
        await log("updated", "Changed in Lightspeed after the day was summarised — the day will be corrected.");
        return "updated";
      }
      if (ctx.settings.editsAfterSync === "ignore") {
        await saveLink(database, tenantId, "sale", sale.saleId, { hash });
        await log("info", "Changed in Lightspeed after it was posted. The setting “edits after sync” is “ignore”, so BuchhaltungsButler was not changed.");
        return "skipped";
      }
      const reversal = await voidPostedSale(ctx, sale, state);
      const revision = ((state as { revision?: number }).revision ?? 0) + 1;
      await saveLink(database, tenantId, "sale", sale.saleId, { status: "pending", step: "reposting", targetIds: { revision, previous: { ...reversal, plan: (state as { plan?: unknown }).plan ?? null }, void: null, receiptId: null, receiptPosted: null, commented: null, adoptedReceipt: null, tenders: {}, free: {} } });
      const outcome = await bookSale(ctx, sale, hash, { revision, fresh: true });
      await log("updated", "Changed in Lightspeed after it was posted — reversed and posted again.", { target: reversal });
      return outcome === "created" ? "updated" : outcome;
    }

    validateSale(sale, { maxSaleTotalCents: ctx.settings.maxSaleTotalCents });

    const summaryMode = ctx.settings.postingMode === "daily_summary";
    const identified = !!sale.customer?.contact?.emails[0]?.address?.trim();
    if (summaryMode && !(ctx.settings.individualForIdentifiedCustomers && identified)) {
      const summary = summarizeSale(sale, ctx.mappings, { categoryOf: ctx.categoryOf, useCategoryAccounts: ctx.settings.categoryRevenueAccounts });
      const key = dayKeyOf(sale, { timeZone: ctx.shopTimeZone(sale.shopId), cutoffHour: ctx.settings.cutoffHour, granularity: ctx.settings.summaryGranularity });
      const dayKey = dayKeyString(key);
      await saveLink(database, tenantId, "sale", sale.saleId, { status: "pending", step: "day", hash, targetIds: { dayKey, summary, date: key.date } });
      const day = await getLink(database, tenantId, "day", dayKey);
      if (day?.status === "done") await markDayForCorrection(database, tenantId, dayKey);
      return "deferred";
    }

    const outcome = await bookSale(ctx, sale, hash, { revision: (state as { revision?: number }).revision ?? 0, fresh: false });
    await resolveNotifications(database, tenantId, { dedupeKey: `record:sale:${sale.saleId}` });
    return outcome;
  } catch (e) {
    const outcome: FailureOutcome = await handleRecordFailure(
      database,
      { tenantId, runId: ctx.runId, flow: "orders", entity: "sale", sourceId: sale.saleId, reference: reference(sale), sourcePayload: sale, startedAt, redactPii: ctx.redactPii },
      e,
    );
    return outcome === "tenant" ? "paused" : "failed";
  }
}

async function markDayForCorrection(database: Database, tenantId: string, dayKey: string): Promise<void> {
  await saveLink(database, tenantId, "day", dayKey, { targetIds: { needsCorrection: true } });
}

async function bookSale(ctx: OrderRunContext, sale: LsSale, hash: string, opts: { revision: number; fresh: boolean }): Promise<"created" | "linked"> {
  const { database, tenantId } = ctx;
  const startedAt = Date.now();
  const timeZone = ctx.shopTimeZone(sale.shopId);
  const baseNumber = formatInvoiceNumber(ctx.settings.invoiceNumberPattern, sale);
  const invoiceNumber = opts.revision > 0 ? `${baseNumber}-K${opts.revision}` : baseNumber;
  const date = saleBusinessDate(sale, timeZone, ctx.settings.cutoffHour);
  const summary = summarizeSale(sale, ctx.mappings, { categoryOf: ctx.categoryOf, useCategoryAccounts: ctx.settings.categoryRevenueAccounts });
  const debtor = await ensureDebtor(database, ctx.bb, tenantId, chooseDebtor(sale.customer), ctx.mappings, { updateExisting: ctx.settings.updateExistingDebtors });
  const onAccountType = sale.payments.find((p) => ctx.mappings.paymentTypes.get(p.paymentTypeId)?.kind === "on_account")?.paymentTypeId;
  const terms = (onAccountType && ctx.mappings.paymentTerms.get(onAccountType)) || ctx.mappings.paymentTerms.get("default");
  const parentLine = sale.lines.find((l) => l.parentSaleLineId)?.parentSaleLineId ?? null;
  const linkToSaleId = parentLine ? await saleIdOfLine(database, tenantId, parentLine) : null;

  const plan = buildBookingPlan(summary, ctx.mappings, {
    kind: "sale",
    invoiceNumber,
    date,
    bookingTime: saleBookingTime(sale, timeZone, ctx.settings.cutoffHour),
    shopId: sale.shopId,
    registerId: sale.registerId,
    debtor: { number: debtor.number, name: debtor.name },
    dueDate: terms ? addDays(date, terms.days) : date,
    linkToSaleId,
    label: `Sale ${reference(sale)}`,
    comment: `Lightspeed-Verkauf ${reference(sale)} (Sale-ID ${sale.saleId}, Filiale ${sale.shopId}, Kasse ${sale.registerId ?? "–"})`,
  });

  const link = await getLink(database, tenantId, "sale", sale.saleId);
  const initial = opts.fresh ? undefined : ((link?.target_ids ?? undefined) as WriteState | undefined);
  await saveLink(database, tenantId, "sale", sale.saleId, { status: "pending", hash, targetIds: { lineIds: sale.lines.map((l) => l.saleLineId) } });
  const result = await writeBooking(database, ctx.bb, { tenantId, entity: "sale", sourceId: sale.saleId }, plan, initial, { comment: ctx.comments });
  await saveLink(database, tenantId, "sale", sale.saleId, { status: "done", step: "done", hash, lastError: null, targetIds: { ...result.state, debtor: debtor.number, date, plan } });
  await recordActivity(
    database,
    {
      tenantId,
      runId: ctx.runId,
      flow: "orders",
      entity: "sale",
      sourceId: sale.saleId,
      reference: reference(sale),
      result: result.created ? "created" : "skipped",
      message: result.adopted ? "Already in BuchhaltungsButler — linked." : `Posted as ${invoiceNumber} (${(plan.totals.gross / 100).toFixed(2)} €), debtor ${debtor.number} ${debtor.action}.`,
      sourcePayload: sale,
      transformedPayload: plan,
      targetResponse: result.state,
      durationMs: Date.now() - startedAt,
    },
    { redact: ctx.redactPii },
  );
  return result.adopted ? "linked" : "created";
}

/** The sale a refund line points at (via the lines recorded when that sale was posted). */
async function saleIdOfLine(database: Database, tenantId: string, saleLineId: string): Promise<string | null> {
  const row = await database
    .selectFrom("sync_links")
    .select("source_id")
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where(sql<boolean>`target_ids->'lineIds' @> ${JSON.stringify([saleLineId])}::jsonb`)
    .executeTakeFirst();
  return row?.source_id ?? null;
}
