import type { BbClient } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import { AppError, isAppError } from "../../errors/app-error";
import type { LightspeedClient, LsSale } from "../../lightspeed";
import { loadOrderMappings, type OrderMappings } from "../../mapping/order-mappings";
import type { VatCode } from "../../mapping/chart-defaults";
import { toCents, type Cents } from "../../money";
import { addDays, zonedDate, zonedTimeToUtc } from "../../time";
import type { ReversedBooking, SaleLinkState } from "../link-state";
import { bookedLinksBetween, dayCorrectionsOfDays } from "../links";
import { paymentsOfPlan, type BookingPlan } from "./booking-plan";
import { buildBookingPlan } from "./build-booking-plan";
import { bookedIndividually } from "./choose-debtor";
import { parseDayKey } from "./group-sales-by-day";
import { loadOrderSettings, type OrderSettings } from "./order-settings";
import { saleBusinessDate } from "./sale-references";
import { neutralisedBy } from "./repair-duplicates";
import { planOpenSaleDeposits } from "./plan-deposits";
import { mergeSummaries, summarizeSale, type SaleSummary } from "./summarize-sale";
import { validateSale } from "./validate-sale";

export interface Difference {
  kind: "gross" | "vat" | "payment" | "report" | "duplicate";
  key: string;
  expected: Cents;
  actual: Cents;
}

export interface DayReconciliation {
  date: string;
  /** What Lightspeed's sales say should be in BB (with the merchant's mappings and posting mode). */
  expected: { gross: Cents; byVat: Partial<Record<VatCode, Cents>>; byPaymentAccount: Record<string, Cents>; sales: number };
  /** What BB holds for our receipts and payments of that day. */
  actual: { gross: Cents; byVat: Partial<Record<VatCode, Cents>>; byPaymentAccount: Record<string, Cents>; receipts: number };
  /**
   * Lightspeed's own PaymentsByDay report per payment type (payments dated when taken, layaway deposits apart),
   * against the same payments read from the sales: a check that the source itself is consistent. It does not
   * decide `ok`, because the report dates money by calendar day while bookings follow the business day.
   */
  report: { byPaymentType: Record<string, Cents>; fromSales: Record<string, Cents>; differences: Difference[] };
  /** Sales that could not be booked (invalid data, missing mapping): listed, not counted as differences. */
  unbookable: { saleId: string; ticketNumber: string; reason: string }[];
  differences: Difference[];
  ok: boolean;
}

const VAT_CODES: VatCode[] = ["19_vat", "7_vat", "0_none"];

function add(map: Record<string, number>, key: string, amount: number) {
  map[key] = (map[key] ?? 0) + amount;
}

function planTotals(plan: BookingPlan, expected: DayReconciliation["expected"], sign: 1 | -1 = 1, days?: Map<string, DayReconciliation>) {
  expected.gross = (expected.gross + sign * (plan.receipt?.amount ?? 0)) as Cents;
  for (const l of plan.receipt?.lines ?? []) add(expected.byVat, l.vat, sign * l.amount);
  for (const t of plan.tenders) {
    // A deposit is money of the day it was paid (it may lie before the range: then it is not counted here either).
    const paidOn = t.bookingDate.slice(0, 10);
    const target = days && paidOn < plan.date ? days.get(paidOn)?.expected : expected;
    if (target) add(target.byPaymentAccount, String(t.account), sign * t.amount);
  }
}

/**
 * Compares, per business day and to the cent, what Lightspeed says (sales, and its PaymentsByDay report) with
 * what is posted in BuchhaltungsButler: revenue per VAT code, the day's gross, and money per payment account.
 * Expected values are computed from the sales with the same functions the sync posts with, so any difference
 * is something missing, duplicated or changed in BB — never an artefact of rounding.
 */
export async function reconcileDays(
  database: Database,
  clients: { ls: LightspeedClient; bb: BbClient },
  tenantId: string,
  range: { from: string; to: string },
  options: { timeZone?: string } = {},
): Promise<DayReconciliation[]> {
  const [{ settings }, mappings] = await Promise.all([loadOrderSettings(database, tenantId), loadOrderMappings(database, tenantId)]);
  const timeZone = options.timeZone ?? "Europe/Berlin";
  const days: string[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) days.push(d);
  if (days.length > 92) throw new AppError("INVALID_INPUT", { detail: "reconcile at most 92 days at a time" });
  const result = new Map<string, DayReconciliation>(
    days.map((date) => [date, { date, expected: { gross: 0 as Cents, byVat: {}, byPaymentAccount: {}, sales: 0 }, actual: { gross: 0 as Cents, byVat: {}, byPaymentAccount: {}, receipts: 0 }, report: { byPaymentType: {}, fromSales: {}, differences: [] }, unbookable: [], differences: [], ok: true }]),
  );

  // BuchhaltungsButler: our receipts and transactions of the range, as BB has them now.
  const ours = await ourRecords(database, tenantId, range);

  // Lightspeed: every completed, not voided sale of the range (a sale's timeStamp is never before it completed).
  const since = zonedTimeToUtc(range.from, settings.cutoffHour, timeZone).toISOString();
  const daySummaries = new Map<string, SaleSummary[]>();
  for await (const page of clients.ls.readSales({ since, completedOnly: false })) {
    for (const sale of page.records) {
      if (sale.voided) continue;
      if (!sale.completed) {
        openSaleDeposits(sale, mappings, settings, timeZone, result);
        continue;
      }
      // The report dates payments by when they were taken (calendar day, no cut-off); deposits paid on a layaway
      // before it was completed are its separate "layaway" rows.
      const completedAt = sale.completeTime ? Date.parse(sale.completeTime) : Date.parse(sale.timeStamp);
      for (const p of sale.payments.filter((x) => !x.archived)) {
        const takenAt = p.createTime ? Date.parse(p.createTime) : completedAt;
        if (takenAt < completedAt - 60_000) continue;
        const reportDay = result.get(zonedDate(new Date(takenAt), timeZone));
        if (reportDay) add(reportDay.report.fromSales, p.paymentTypeId, toCents(p.amount));
      }
      const saleDate = saleBusinessDate(sale, timeZone, settings.cutoffHour);
      try {
        const summary = expectedSummary(sale, mappings, settings, timeZone);
        // A sale re-posted after an edit is a correction, booked on the day of the change.
        const date = summary.perDay ? saleDate : (ours.repostedOn.get(sale.saleId) ?? saleDate);
        const day = result.get(date);
        if (!day) continue;
        day.expected.sales++;
        if (summary.perDay) daySummaries.set(`${date}|${sale.shopId}`, [...(daySummaries.get(`${date}|${sale.shopId}`) ?? []), summary.summary]);
        else planTotals(planOf(summary.summary, mappings, date), day.expected, 1, result);
      } catch (e) {
        if (!isAppError(e) || (e.kind !== "record" && e.kind !== "tenant")) throw e;
        result.get(saleDate)?.unbookable.push({ saleId: sale.saleId, ticketNumber: sale.ticketNumber, reason: e.detail ?? e.code });
      }
    }
  }
  for (const [key, summaries] of daySummaries) {
    const date = key.split("|")[0]!;
    planTotals(planOf(mergeSummaries(summaries), mappings, date), result.get(date)!.expected, 1, result);
  }
  // A day's correction is booked on the day it was made, not on the day it corrects.
  for (const c of ours.dayCorrections) {
    const from = result.get(c.correctedDay);
    const to = result.get(c.plan.date);
    if (from) planTotals(c.plan, from.expected, -1);
    if (to) planTotals(c.plan, to.expected);
  }
  for (const row of await clients.ls.paymentsByDay(range.from, range.to)) {
    const day = result.get(row.date);
    if (day && !row.layaway) add(day.report.byPaymentType, row.paymentTypeId, toCents(row.amount));
  }

  // A sale voided after it was posted: each payment went in on its own day (a deposit before the sale's) and
  // back out on the void's day.
  for (const v of ours.voided) {
    for (const t of v.payments) {
      const a = result.get(t.date ?? v.date);
      const b = result.get(v.voidDate);
      if (a) add(a.expected.byPaymentAccount, String(t.account), t.amount);
      if (b) add(b.expected.byPaymentAccount, String(t.account), -t.amount);
    }
  }
  const postings = await clients.bb.getPostings({ dateFrom: range.from, dateTo: range.to });
  const debtors = new Set(ours.debtors);
  for (const p of postings) {
    if (!p.receiptId || p.transactionId || !ours.receiptIds.has(p.receiptId)) continue;
    const day = result.get(p.date);
    if (!day) continue;
    // Receipt postings run debtor → revenue; a reversal (or a refund line) runs the other way.
    const sign = debtors.has(p.creditAccount) && !debtors.has(p.debitAccount) ? -1 : 1;
    const vat = vatCodeOfPosting(p.vatRate);
    add(day.actual.byVat, vat, sign * p.amount);
    day.actual.gross = (day.actual.gross + sign * p.amount) as Cents;
  }
  const accounts = [...new Set([...mappings.paymentTypes.values()].flatMap((t) => (t.kind === "tender" ? [t.account] : [])))];
  // Copies of our payments (a late commit): BB cannot delete them, a repaired one has its counter-payment.
  const paymentCopies = new Map<string, { date: string; purpose: string; ids: string[] }>();
  const neutralised = new Set<string>();
  for (const account of accounts) {
    for (const t of await clients.bb.getTransactions({ account, dateFrom: range.from, dateTo: range.to })) {
      const date = t.bookingDate.slice(0, 10);
      const key = `${account}|${t.purpose}|${date}|${t.amount}`;
      if (ours.tenderKeys.has(key)) paymentCopies.set(key, { date, purpose: t.purpose, ids: [...(paymentCopies.get(key)?.ids ?? []), t.id] });
      const counter = neutralisedBy(t.purpose);
      if (counter) neutralised.add(counter.duplicateId);
      if (!ours.transactionIds.has(t.id)) continue;
      const day = result.get(date);
      if (day) add(day.actual.byPaymentAccount, String(account), t.amount);
    }
  }
  const receipts = await clients.bb.getReceipts({ direction: "outbound", dateFrom: range.from, dateTo: range.to });
  const perNumber = new Map<string, number>();
  for (const r of receipts) {
    if (r.deleted || !ours.invoiceNumbers.has(r.invoiceNumber)) continue;
    perNumber.set(`${r.date}|${r.invoiceNumber}`, (perNumber.get(`${r.date}|${r.invoiceNumber}`) ?? 0) + 1);
    const day = r.date ? result.get(r.date) : undefined;
    if (day) day.actual.receipts++;
  }

  for (const day of result.values()) {
    const diff = (kind: Difference["kind"], key: string, expected: number, actual: number) => {
      if (expected !== actual) day.differences.push({ kind, key, expected: expected as Cents, actual: actual as Cents });
    };
    diff("gross", "total", day.expected.gross, day.actual.gross);
    for (const v of VAT_CODES) diff("vat", v, day.expected.byVat[v] ?? 0, day.actual.byVat[v] ?? 0);
    for (const a of new Set([...Object.keys(day.expected.byPaymentAccount), ...Object.keys(day.actual.byPaymentAccount)])) {
      diff("payment", a, day.expected.byPaymentAccount[a] ?? 0, day.actual.byPaymentAccount[a] ?? 0);
    }
    for (const pt of new Set([...Object.keys(day.report.byPaymentType), ...Object.keys(day.report.fromSales)])) {
      const a = day.report.fromSales[pt] ?? 0;
      const b = day.report.byPaymentType[pt] ?? 0;
      if (a !== b) day.report.differences.push({ kind: "report", key: pt, expected: a as Cents, actual: b as Cents });
    }
    for (const [key, n] of perNumber) if (n > 1 && key.startsWith(`${day.date}|`)) diff("duplicate", key.split("|")[1]!, 1, n);
    for (const c of paymentCopies.values()) {
      const n = c.ids.filter((id) => !neutralised.has(id)).length;
      if (n > 1 && c.date === day.date) diff("duplicate", c.purpose, 1, n);
    }
    day.ok = day.differences.length === 0;
  }
  return [...result.values()];
}

/** postings/get reports the rate ("19.00"); older answers may carry the code itself. */
function vatCodeOfPosting(v: string | null): VatCode {
  if (v && (VAT_CODES as string[]).includes(v)) return v as VatCode;
  const rate = Number(v ?? "0");
  return rate === 19 ? "19_vat" : rate === 7 ? "7_vat" : "0_none";
}

/** The instalments on a layaway still open are money of the days they were paid, booked as the sync books them. */
function openSaleDeposits(sale: LsSale, mappings: OrderMappings, settings: OrderSettings, timeZone: string, days: Map<string, DayReconciliation>) {
  try {
    const summary = summarizeSale(sale, mappings, { useCategoryAccounts: false, businessDay: { timeZone, cutoffHour: settings.cutoffHour } });
    const plan = planOpenSaleDeposits(summary, mappings, { ...SUMS_ONLY, date: "" }, []);
    for (const t of plan?.tenders ?? []) {
      const day = days.get(t.bookingDate.slice(0, 10));
      if (day) add(day.expected.byPaymentAccount, String(t.account), t.amount);
    }
  } catch (e) {
    if (!isAppError(e) || (e.kind !== "record" && e.kind !== "tenant")) throw e;
  }
}

function expectedSummary(sale: LsSale, mappings: OrderMappings, settings: OrderSettings, timeZone: string): { summary: SaleSummary; perDay: boolean } {
  validateSale(sale, { maxSaleTotalCents: settings.maxSaleTotalCents });
  const perDay = settings.postingMode === "daily_summary" && !bookedIndividually(sale, mappings, settings);
  return { summary: summarizeSale(sale, mappings, { useCategoryAccounts: false, businessDay: { timeZone, cutoffHour: settings.cutoffHour } }), perDay };
}

/** Reconciliation only sums what a plan moves per day, rate and account: who and what it is named does not matter. */
const SUMS_ONLY = { invoiceNumber: "reconcile", label: "reconcile", bookingTime: "00:00:00", shopId: "", registerId: null, debtor: { number: 0, name: "" } };

function planOf(summary: SaleSummary, mappings: OrderMappings, date: string): BookingPlan {
  return buildBookingPlan(summary, mappings, { ...SUMS_ONLY, kind: "sale", date, dueDate: null, linkToSaleId: null, comment: "" });
}

/**
 * A booking's payments that went in on `date` (or a payment's own day) and back out on `voidDate` (a void, or a
 * re-post's reversal).
 */
interface ReversedPayments {
  date: string;
  voidDate: string;
  payments: ReversedBooking["payments"];
}

function paymentsOf(plan: BookingPlan, voidDate: string): ReversedPayments {
  return { date: plan.date, voidDate, payments: paymentsOfPlan(plan) };
}

/** Ids of everything the sync wrote for the range (sales, days, corrections, reversals), from our links. */
async function ourRecords(database: Database, tenantId: string, range: { from: string; to: string }) {
  // A deposit is dated before its sale's plan (the completion, or the last instalment of a layaway still open):
  // links of a quarter after the range hold the deposits paid in it.
  const [booked, corrections] = await Promise.all([bookedLinksBetween(database, tenantId, { from: range.from, to: addDays(range.to, 92) }), dayCorrectionsOfDays(database, tenantId, range)]);
  const repostedOn = new Map<string, string>();
  const dayCorrections = new Map<string, { correctedDay: string; plan: BookingPlan }>();
  for (const c of [...corrections, ...booked.flatMap((b) => (b.kind === "dayCorrection" ? [b.link] : []))]) {
    const correctedDay = parseDayKey(c.source_id.replace(/#K\d+$/, "")).date;
    if (c.target_ids.plan && c.target_ids.plan.date !== correctedDay) dayCorrections.set(c.source_id, { correctedDay, plan: c.target_ids.plan });
  }
  const receiptIds = new Set<string>();
  const transactionIds = new Set<string>();
  /** `account|purpose|day|amount` of every payment we wrote for a sale or day. */
  const tenderKeys = new Set<string>();
  const invoiceNumbers = new Set<string>();
  const debtors: number[] = [];
  const voided: ReversedPayments[] = [];
  for (const b of booked) {
    const t = b.link.target_ids;
    // Only a sale is ever reversed; days are corrected by receipts of their own.
    const reversed: Pick<SaleLinkState, "void" | "previous" | "reversedBefore"> =
      b.kind === "sale" ? { void: b.link.target_ids.void, previous: b.link.target_ids.previous, reversedBefore: b.link.target_ids.reversedBefore } : {};
    if (t.receiptId) receiptIds.add(t.receiptId);
    if (t.invoiceNumber) invoiceNumbers.add(t.invoiceNumber);
    if (t.plan) debtors.push(t.plan.debtor.number);
    if (b.kind === "sale" && t.plan && (b.link.target_ids.revision ?? 0) > 0) repostedOn.set(b.link.source_id, t.plan.date);
    if (t.plan && reversed.void?.date) voided.push(paymentsOf(t.plan, reversed.void.date));
    if (reversed.previous?.plan && reversed.previous.date) voided.push(paymentsOf(reversed.previous.plan, reversed.previous.date));
    // Bookings reversed by earlier re-posts of the same sale.
    for (const r of reversed.reversedBefore ?? []) {
      voided.push({ date: r.date, voidDate: r.reversedOn, payments: r.payments });
      for (const id of r.transactionIds) transactionIds.add(id);
    }
    for (const x of Object.values(t.tenders ?? {})) if (x.transactionId) transactionIds.add(x.transactionId);
    for (const p of t.plan?.tenders ?? []) if (t.tenders?.[p.key]?.transactionId) tenderKeys.add(`${p.account}|${p.purpose}|${p.bookingDate.slice(0, 10)}|${p.amount}`);
    for (const x of Object.values(reversed.void?.reversals ?? {})) if (x.transactionId) transactionIds.add(x.transactionId);
    for (const id of reversed.previous?.transactionIds ?? []) transactionIds.add(id);
    for (const x of Object.values(reversed.previous?.reversals ?? {})) if (x.transactionId) transactionIds.add(x.transactionId);
  }
  return { receiptIds, transactionIds, tenderKeys, invoiceNumbers, debtors, voided, repostedOn, dayCorrections: [...dayCorrections.values()] };
}
