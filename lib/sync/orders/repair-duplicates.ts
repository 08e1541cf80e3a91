import { recordActivities, type ActivityEntry } from "../../activity/record-activity";
import type { BbPosting, BbPostingLine, BbReceipt, BbTransaction } from "../../buchhaltungsbutler";
import { AppError, isAppError } from "../../errors/app-error";
import type { Cents } from "../../money";
import { raiseNotification } from "../../notifications/raise-notification";
import { linksWritingBetween, type BookedLink } from "../links";
import type { PlannedTender } from "./booking-plan";
import type { OrderRunContext } from "./order-run-context";

/**
 * A write BB commits after the client gave up (a late commit) leaves a second copy next to the one our link
 * holds: the client's read-back found nothing, so it wrote again. This finds such copies on the given business
 * days and repairs them as far as BB's API allows:
 *  - a receipt: BB can delete a receipt (soft) while no fixed posting touches it. Its postings are cancelled
 *    first (BB deletes unfixed postings), payments assigned to it are unassigned, then it is deleted. A copy that
 *    a fixed posting touches cannot be deleted; the merchant gets an inbox item.
 *  - a payment: BB has no delete for payments (and a revision-safe cash account only allows reversals), so the
 *    copy is neutralised: a counter-payment of the opposite amount on the same account and day, purpose
 *    `<purpose>/D<copy id>`, and both posted with the tender's lines (no open item), so the payment account and
 *    the debtor each net to zero and nothing is left unposted in BB's to-do list.
 *  - postings: a receipt or payment of ours with more postings than its plan has lines got a posting call twice;
 *    the later postings identical to earlier ones are cancelled (BB deletes unfixed ones, reverses fixed ones);
 *    of a gift-card posting found twice, the one assigned to its receipt stays.
 * The copy is always the one our link does not hold; a record with no id in its link yet is left alone (its next
 * write adopts the oldest by invoice number / purpose). Every repair is a line in the activity log.
 */
export interface DuplicateRepair {
  /** What was stored twice: a receipt, a payment, or the postings of one of ours (a posting call committed late). */
  kind: "receipt" | "transaction" | "receiptPostings" | "transactionPostings" | "freePosting";
  /** Invoice number or payment purpose. */
  key: string;
  date: string;
  keptId: string;
  duplicateId: string;
  /** Receipt: postings cancelled; payment: the counter-payment's id. */
  cancelledPostings?: string[];
  counterTransactionId?: string;
  /** Not repaired (BB refused): an inbox item says what to do. */
  problem?: string;
}

/** The purpose of the counter-payment that neutralises the copy `duplicateId` of a payment with `purpose`. */
export function counterPurpose(purpose: string, duplicateId: string): string {
  return `${purpose}/D${duplicateId}`;
}

const COUNTER_OF = /^(.*)\/D(\d+)$/;

/** For a counter-payment's purpose: the purpose it belongs to and the copy it neutralises. */
export function neutralisedBy(purpose: string): { purpose: string; duplicateId: string } | null {
  const m = COUNTER_OF.exec(purpose);
  return m ? { purpose: m[1]!, duplicateId: m[2]! } : null;
}

interface OurTender {
  link: BookedLink;
  tender: PlannedTender;
  transactionId: string;
  date: string;
}

/** What a repair needs of its run. */
export type RepairContext = Pick<OrderRunContext, "database" | "bb" | "tenantId" | "runId" | "redactPii">;

const sig = (purpose: string, date: string, amount: number) => `${purpose}|${date}|${amount}`;
const same = (a: BbPosting, b: BbPosting) => a.debitAccount === b.debitAccount && a.creditAccount === b.creditAccount && a.amount === b.amount && a.text === b.text;

/**
 * The counter-transactions of a sale's reversals (its void, or the reversal before its re-post), as tenders of
 * their own: purpose `<purpose>/S`, the opposite amount and lines, dated the reversal's day
 * (void-posted-sale.ts). Their copies are repaired like any payment's.
 */
function reversalsOf(b: BookedLink): { tender: PlannedTender; transactionId: string; posted: boolean }[] {
  if (b.kind !== "sale") return [];
  const t = b.link.target_ids;
  const out: { tender: PlannedTender; transactionId: string; posted: boolean }[] = [];
  for (const [state, plan] of [
    [t.void, t.plan],
    [t.previous, t.previous?.plan],
  ] as const) {
    if (!state?.date || !plan) continue;
    for (const tender of plan.tenders) {
      const r = state.reversals?.[tender.key];
      if (!r?.transactionId) continue;
      out.push({
        tender: {
          ...tender,
          purpose: `${tender.purpose}/S`,
          amount: -tender.amount as Cents,
          bookingDate: state.date,
          lines: tender.lines.map((l) => ({ ...l, amount: -l.amount as Cents, text: `Storno ${l.text}`.slice(0, 128) })),
        },
        transactionId: r.transactionId,
        posted: !!(r.posted || r.postSent),
      });
    }
  }
  return out;
}

/** What one repair pass looks at: our links writing in the range, the days asked for, one postings listing per day. */
interface RepairScope {
  booked: BookedLink[];
  range: { from: string; to: string };
  wanted: Set<string>;
  postingsOn: (date: string) => Promise<BbPosting[]>;
}

export async function repairDuplicates(ctx: RepairContext, dates: string[]): Promise<DuplicateRepair[]> {
  const days = [...new Set(dates)].sort();
  if (!days.length) return [];
  const range = { from: days[0]!, to: days[days.length - 1]! };
  const wanted = new Set(days);
  const booked = (await linksWritingBetween(ctx.database, ctx.tenantId, range)).filter((b) => !!b.link.target_ids.plan);
  const postings = new Map<string, Promise<BbPosting[]>>();
  // One postings listing per day, taken when a copy needs it (copies are rare).
  const postingsOn = (date: string) => {
    let p = postings.get(date);
    if (!p) {
      p = ctx.bb.getPostings({ dateFrom: date, dateTo: date });
      postings.set(date, p);
    }
    return p;
  };
  const repairs = [
    ...(await repairReceipts(ctx, { booked, range, wanted, postingsOn })),
    ...(await repairTransactions(ctx, { booked, range, wanted, postingsOn })),
    ...(await repairPostings(ctx, { booked, range, wanted, postingsOn })),
  ];
  await logRepairs(ctx, booked, repairs);
  return repairs;
}

async function repairReceipts(ctx: RepairContext, { booked, range, wanted, postingsOn }: RepairScope): Promise<DuplicateRepair[]> {
  const ours = new Map<string, string>();
  for (const b of booked) if (b.link.target_ids.receiptId && b.link.target_ids.invoiceNumber) ours.set(b.link.target_ids.invoiceNumber, b.link.target_ids.receiptId);
  if (!ours.size) return [];
  const byNumber = new Map<string, BbReceipt[]>();
  for (const r of await ctx.bb.getReceipts({ direction: "outbound", dateFrom: range.from, dateTo: range.to })) {
    if (r.deleted || !ours.has(r.invoiceNumber) || !r.date || !wanted.has(r.date)) continue;
    byNumber.set(r.invoiceNumber, [...(byNumber.get(r.invoiceNumber) ?? []), r]);
  }
  const repairs: DuplicateRepair[] = [];
  for (const [number, rows] of byNumber) {
    const kept = ours.get(number)!;
    const original = rows.find((r) => r.id === kept);
    if (rows.length < 2 || !original) continue;
    // Only an exact copy of ours: a different receipt under our number is the merchant's to judge (the write
    // phase already refuses to adopt one with another amount).
    const copies = rows.filter((r) => r.id !== kept && r.amount === original.amount && r.date === original.date && r.type === original.type && r.counterparty === original.counterparty);
    for (const copy of copies) {
      const repair: DuplicateRepair = { kind: "receipt", key: number, date: copy.date!, keptId: kept, duplicateId: copy.id, cancelledPostings: [] };
      await attempt(repair, async () => {
        const listed = await postingsOn(copy.date!);
        const own = listed.filter((p) => p.receiptId === copy.id && !p.transactionId);
        if (own.some((p) => p.fixed)) throw new AppError("UPSTREAM_REJECTED", { detail: `receipt ${copy.id} has postings in a locked period` });
        // A payment booked against the copy is someone's decision (ours only ever clear the receipt we hold).
        if (listed.some((p) => p.transactionId && p.assignedReceiptIds.includes(copy.id))) {
          throw new AppError("UPSTREAM_REJECTED", { detail: `a payment is booked against receipt ${copy.id}` });
        }
        await cancelAll(ctx, own, repair);
        for (const t of await ctx.bb.getAssignedTransactions(copy.id)) await ctx.bb.unassignTransactionFromReceipt(t, copy.id);
        await ctx.bb.deleteReceipt(copy.id);
      });
      repairs.push(repair);
    }
  }
  return repairs;
}

async function repairTransactions(ctx: RepairContext, { booked, range, wanted, postingsOn }: RepairScope): Promise<DuplicateRepair[]> {
  const ours = new Map<string, OurTender>();
  for (const b of booked) {
    const t = b.link.target_ids;
    for (const tender of t.plan?.tenders ?? []) {
      const transactionId = t.tenders?.[tender.key]?.transactionId;
      const date = tender.bookingDate.slice(0, 10);
      if (transactionId) ours.set(sig(tender.purpose, date, tender.amount), { link: b, tender, transactionId, date });
    }
    for (const r of reversalsOf(b)) ours.set(sig(r.tender.purpose, r.tender.bookingDate, r.tender.amount), { link: b, tender: r.tender, transactionId: r.transactionId, date: r.tender.bookingDate });
  }
  if (!ours.size) return [];
  const repairs: DuplicateRepair[] = [];
  for (const account of [...new Set([...ours.values()].map((o) => o.tender.account))]) {
    const rows = (await ctx.bb.getTransactions({ account, dateFrom: range.from, dateTo: range.to })).filter((t) => wanted.has(t.bookingDate.slice(0, 10)));
    const bySig = new Map<string, BbTransaction[]>();
    for (const t of rows) bySig.set(sig(t.purpose, t.bookingDate.slice(0, 10), t.amount), [...(bySig.get(sig(t.purpose, t.bookingDate.slice(0, 10), t.amount)) ?? []), t]);
    for (const [key, our] of ours) {
      if (our.tender.account !== account) continue;
      const same = bySig.get(key) ?? [];
      if (same.length < 2 || !same.some((t) => t.id === our.transactionId)) continue;
      for (const copy of same.filter((t) => t.id !== our.transactionId)) {
        const repair: DuplicateRepair = { kind: "transaction", key: our.tender.purpose, date: our.date, keptId: our.transactionId, duplicateId: copy.id };
        const changed = await attempt(repair, async () => {
          const done = await neutralise(ctx, our, copy, bySig, postingsOn);
          repair.counterTransactionId = done.counterId;
          return done.changed;
        });
        // Neutralised by an earlier pass (the day is checked until its watch ends): nothing to report again.
        if (changed) repairs.push(repair);
      }
    }
  }
  return repairs;
}

/** Postings of ours booked twice: per receipt or payment, the later ones identical to an earlier one. */
async function repairPostings(ctx: RepairContext, { booked, wanted, postingsOn }: RepairScope): Promise<DuplicateRepair[]> {
  type Target = {
    kind: "receiptPostings" | "transactionPostings" | "freePosting";
    key: string;
    id: string;
    date: string;
    lines: number;
    of: (p: BbPosting) => boolean;
    /** Which of several to keep first (a gift-card posting already assigned to its receipt). */
    keepFirst?: (p: BbPosting) => boolean;
  };
  const targets: Target[] = [];
  for (const b of booked) {
    const t = b.link.target_ids;
    const plan = t.plan;
    if (!plan) continue;
    const receiptId = t.receiptId;
    if (plan.receipt && receiptId && t.receiptPosted)
      targets.push({ kind: "receiptPostings", key: plan.invoiceNumber, id: receiptId, date: plan.date, lines: plan.receipt.lines.length, of: (p) => p.receiptId === receiptId && !p.transactionId });
    for (const tender of plan.tenders) {
      const x = t.tenders?.[tender.key];
      const transactionId = x?.transactionId;
      if (transactionId && x.posted)
        targets.push({ kind: "transactionPostings", key: tender.purpose, id: transactionId, date: tender.bookingDate.slice(0, 10), lines: tender.lines.length, of: (p) => p.transactionId === transactionId });
    }
    // BB answers a free posting with no id: it is ours by date, text, amount and accounts (as the write finds it).
    for (const f of plan.freePostings) {
      if (!t.free?.[f.key]?.posted) continue;
      targets.push({
        kind: "freePosting",
        key: f.text,
        id: f.key,
        date: f.date,
        lines: 1,
        of: (p) => p.date === f.date && p.text === f.text && p.amount === f.amount && p.debitAccount === f.debitAccount && p.creditAccount === f.creditAccount && !p.receiptId && !p.transactionId,
        keepFirst: (p) => !!receiptId && p.assignedReceiptIds.includes(receiptId),
      });
    }
    for (const r of reversalsOf(b)) {
      if (r.posted) targets.push({ kind: "transactionPostings", key: r.tender.purpose, id: r.transactionId, date: r.tender.bookingDate, lines: r.tender.lines.length, of: (p) => p.transactionId === r.transactionId });
    }
  }
  const repairs: DuplicateRepair[] = [];
  for (const target of targets) {
    if (!wanted.has(target.date)) continue;
    const first = target.keepFirst ?? (() => false);
    const live = (await postingsOn(target.date)).filter(target.of).sort((a, b) => Number(first(b)) - Number(first(a)) || Number(a.id) - Number(b.id));
    if (live.length <= target.lines) continue;
    const kept = live.slice(0, target.lines);
    // Only exact copies of what is kept: a posting someone added by hand is not ours to cancel.
    const copies = live.slice(target.lines).filter((p) => kept.some((k) => same(k, p)));
    if (!copies.length) continue;
    const repair: DuplicateRepair = { kind: target.kind, key: target.key, date: target.date, keptId: target.id, duplicateId: copies.map((p) => p.id).join(","), cancelledPostings: [] };
    await attempt(repair, () => cancelAll(ctx, copies, repair));
    repairs.push(repair);
  }
  return repairs;
}

/**
 * One repair's work. BB refusing it (a locked period, a payment booked against the copy) is recorded as the repair's
 * problem for the merchant to settle by hand; anything else is thrown for the step's retry. False: nothing was
 * left to do.
 */
async function attempt(repair: DuplicateRepair, work: () => Promise<boolean | void>): Promise<boolean> {
  try {
    return (await work()) !== false;
  } catch (e) {
    if (!isAppError(e) || e.kind === "retryable" || e.kind === "internal") throw e;
    repair.problem = e.detail ?? e.code;
    return true;
  }
}

/** Cancels the postings one by one, each recorded on the repair as it goes (a refusal midway shows what was done). */
async function cancelAll(ctx: RepairContext, postings: BbPosting[], repair: DuplicateRepair): Promise<void> {
  for (const p of postings) {
    await ctx.bb.cancelPosting(p.id);
    (repair.cancelledPostings ??= []).push(p.id);
  }
}

/** Counter-payment for `copy` (found or written), and both posted with the tender's lines: nets to zero. */
async function neutralise(
  ctx: RepairContext,
  our: OurTender,
  copy: BbTransaction,
  bySig: Map<string, BbTransaction[]>,
  postingsOn: (date: string) => Promise<BbPosting[]>,
): Promise<{ counterId: string; changed: boolean }> {
  const { bb } = ctx;
  const purpose = counterPurpose(our.tender.purpose, copy.id);
  const amount = -copy.amount as Cents;
  // The counter's own copies (a late commit of the counter) are neutralised too: keep the oldest, counter the rest.
  const counters = (bySig.get(sig(purpose, our.date, amount)) ?? []).sort((a, b) => Number(a.id) - Number(b.id));
  let changed = false;
  let counterId = counters[0]?.id;
  if (!counterId) {
    counterId = (await bb.addTransaction({ account: our.tender.account, toFrom: copy.toFrom, amount, bookingDate: copy.bookingDate, purpose, bookingText: "Storno Doppelbuchung (BuchhaltungsButler)" })).id;
    changed = true;
  }
  const listed = await postingsOn(our.date);
  const lines = (sign: 1 | -1, prefix: string): BbPostingLine[] =>
    our.tender.lines.map((l) => ({ account: l.account, vat: l.vat, amount: (sign * l.amount) as Cents, text: `${prefix} ${l.text}`.slice(0, 128) }));
  const n = our.tender.lines.length;
  for (const [id, sign, prefix] of [
    [copy.id, 1, "Doppelt"],
    [counterId, -1, "Storno Doppelt"],
  ] as const) {
    const live = listed.filter((p) => p.transactionId === id).sort((a, b) => Number(a.id) - Number(b.id));
    // The repair's own posting call can be committed late too: the later identical postings are cancelled.
    for (const p of live.slice(n).filter((p) => live.slice(0, n).some((k) => same(k, p)))) {
      await bb.cancelPosting(p.id);
      changed = true;
    }
    if (live.length) continue;
    await bb.postTransaction({ transactionId: id, date: our.date, lines: lines(sign, prefix), openItemReceiptIds: our.tender.lines.map(() => null) });
    changed = true;
  }
  return { counterId, changed };
}

const WHAT: Record<DuplicateRepair["kind"], (key: string) => string> = {
  receipt: (k) => `receipt ${k}`,
  transaction: (k) => `payment ${k}`,
  receiptPostings: (k) => `the revenue postings of receipt ${k}`,
  transactionPostings: (k) => `the postings of payment ${k}`,
  freePosting: (k) => `the gift-card posting “${k}”`,
};

async function logRepairs(ctx: RepairContext, booked: BookedLink[], repairs: DuplicateRepair[]): Promise<void> {
  if (!repairs.length) return;
  const sourceOf = (r: DuplicateRepair) =>
    booked.find((b) =>
      r.kind === "receipt" || r.kind === "receiptPostings"
        ? b.link.target_ids.invoiceNumber === r.key
        : r.kind === "freePosting"
          ? !!b.link.target_ids.plan?.freePostings.some((f) => f.text === r.key)
          : !!b.link.target_ids.plan?.tenders.some((t) => t.purpose === r.key || `${t.purpose}/S` === r.key),
    );
  const entries: ActivityEntry[] = repairs.map((r) => {
    const b = sourceOf(r);
    const what = WHAT[r.kind](r.key);
    const done =
      r.kind === "receipt"
        ? `the copy ${r.duplicateId} was deleted${r.cancelledPostings?.length ? ` after cancelling its ${r.cancelledPostings.length} posting(s)` : ""}`
        : r.kind === "transaction"
          ? `the copy ${r.duplicateId} was neutralised by counter-payment ${r.counterTransactionId} (BuchhaltungsButler cannot delete payments)`
          : `the copied posting(s) ${r.duplicateId} were cancelled`;
    return {
      tenantId: ctx.tenantId,
      runId: ctx.runId,
      flow: "orders",
      entity: b?.kind === "sale" ? "sale" : "day",
      sourceId: b?.link.source_id ?? null,
      reference: r.key,
      result: r.problem ? "failed" : "updated",
      message: r.problem
        ? `BuchhaltungsButler stored ${what} twice (a write it committed after we gave up): keeping ${r.keptId}, the copy ${r.duplicateId} could not be repaired: ${r.problem}`
        : `BuchhaltungsButler stored ${what} twice (a write it committed after we gave up): kept ${r.keptId}, ${done}.`,
      errorCode: r.problem ? "UPSTREAM_REJECTED" : null,
      targetResponse: r,
    };
  });
  await recordActivities(ctx.database, entries, { redact: ctx.redactPii });
  for (const r of repairs.filter((x) => x.problem)) {
    const b = sourceOf(r);
    await raiseNotification(ctx.database, {
      tenantId: ctx.tenantId,
      severity: "error",
      code: "UPSTREAM_REJECTED",
      message: {
        code: "record_failed",
        params: {
          error: "UPSTREAM_REJECTED",
          detail: `BuchhaltungsButler stored ${WHAT[r.kind](r.key)} twice (kept ${r.keptId}, copy ${r.duplicateId}); the copy could not be repaired: ${r.problem}`,
          fixHint:
            r.kind === "receipt"
              ? `Keep ${r.keptId}. Cancel the postings of ${r.duplicateId} (a locked period needs a reversal) and delete it in BuchhaltungsButler.`
              : r.kind === "transaction"
                ? `Keep ${r.keptId}. Book a counter-payment for ${r.duplicateId} in BuchhaltungsButler so the account is not counted twice.`
                : `Cancel the posting(s) ${r.duplicateId} in BuchhaltungsButler; the others book the record once.`,
        },
      },
      link: `/activity?q=${encodeURIComponent(r.key)}`,
      flow: "orders",
      entity: b?.kind === "sale" ? "sale" : "day",
      sourceId: b?.link.source_id ?? null,
      dedupeKey: `duplicate:${r.kind}:${r.duplicateId}`,
    });
  }
}
