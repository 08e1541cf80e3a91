import { AppError } from "../../errors/app-error";
import { CHART_DEFAULTS, type VatCode } from "../../mapping/chart-defaults";
import type { OrderMappings } from "../../mapping/order-mappings";
import { decimal, toCents, type Cents } from "../../money";
import type { BookingPlan, PlannedFreePosting, PlannedPostingLine, PlannedTender } from "./booking-plan";
import type { SaleSummary, TenderMovement } from "./summarize-sale";

/**
 * Deposits (Anzahlungen) on layaways, special orders and work orders. The money is cash (or card) on the day it
 * is taken, and VAT is due on receipt (§13 (1) Nr. 1a S. 4 UStG), so each instalment is its own transaction on
 * its own day, posted to the advance-payment account of the goods' VAT rate with that rate. On completion the
 * receipt carries the full revenue and one free posting per instalment and rate moves the deposit from the
 * advance-payment account to the debtor with the same VAT code: the VAT booked on the payment day is taken back
 * exactly and charged on the revenue, the advance-payment account returns to zero to the cent, and the posting
 * clears the receipt like a payment.
 */

const VAT_LABEL: Record<VatCode, string> = { "19_vat": "19 %", "7_vat": "7 %", "0_none": "0 %" };
const DEPOSIT_KEY = /^A\d+$/;

/** BB limits posting texts to 128 characters. */
const text = (s: string) => (s.length > 128 ? `${s.slice(0, 127)}…` : s);

export interface DepositContext {
  invoiceNumber: string;
  /** The completion's business date: when the deposits are cleared against the revenue. */
  date: string;
  debtor: { number: number; name: string };
  label: string;
}

export interface PlannedDeposits {
  tenders: PlannedTender[];
  freePostings: PlannedFreePosting[];
  /** Money received before the completion day, tips excluded: what the completion's own payments do not cover. */
  total: Cents;
}

/** A tender written by this file: it posts to the advance-payment account and is never assigned to the receipt. */
export function isDepositTender(t: Pick<PlannedTender, "key">): boolean {
  return DEPOSIT_KEY.test(t.key);
}

/** The advance-payment account for a VAT code: the merchant's mapping, else the chart's default. */
export function advancePaymentAccount(mappings: OrderMappings, vat: VatCode, label: string): number {
  const mapped = mappings.advancePayments.get(vat)?.account;
  if (mapped) return mapped;
  if (mappings.chart) return CHART_DEFAULTS[mappings.chart].advancePayments[vat];
  throw new AppError("MAPPING_MISSING", {
    detail: `${label}: a deposit was paid before the sale was completed, but no advance-payment account is mapped for ${VAT_LABEL[vat]} and the chart of accounts is unknown`,
    fixHint: "Check the BuchhaltungsButler connection under Settings so the chart of accounts (SKR03/SKR04) is known.",
  });
}

/** Gross per VAT code of the goods: what a deposit is split by. */
export function vatSharesOf(lines: { vat: VatCode; amount: number }[]): [VatCode, number][] {
  const byVat = new Map<VatCode, number>();
  for (const l of lines) byVat.set(l.vat, (byVat.get(l.vat) ?? 0) + l.amount);
  return [...byVat.entries()].filter(([, v]) => v > 0).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The deposits among a sale's (or a day's) money movements: the transaction of each instalment not booked yet
 * and the posting that clears each against the receipt. An instalment booked before (`booked` in `pinned`, from
 * the sale's link) keeps exactly the split it was booked with, so its clearing takes back what went onto the
 * advance-payment accounts to the cent however the sale changed since. A new one is split over the VAT codes of
 * `shares` in proportion to their gross (largest remainder, so the parts add up to the cent).
 */
export function planDeposits(
  movements: TenderMovement[],
  shares: [VatCode, number][],
  mappings: OrderMappings,
  ctx: DepositContext,
  options: { pinned?: PlannedTender[]; clear?: boolean } = {},
): PlannedDeposits {
  const byPayment = new Map<string, TenderMovement & { deposit: NonNullable<TenderMovement["deposit"]> }>();
  // A daily-summary correction nets the posted day against the new one: the same instalment can appear twice.
  for (const m of movements) {
    if (!m.deposit) continue;
    const e = byPayment.get(m.deposit.salePaymentId);
    if (e) {
      e.base = (e.base + m.base) as Cents;
      e.tip = (e.tip + m.tip) as Cents;
    } else byPayment.set(m.deposit.salePaymentId, { ...m, deposit: m.deposit });
  }
  const deposits = [...byPayment.values()]
    .filter((m) => m.base !== 0 || m.tip !== 0)
    .sort((a, b) => a.deposit.date.localeCompare(b.deposit.date) || Number(a.deposit.salePaymentId) - Number(b.deposit.salePaymentId));
  if (!deposits.length) return { tenders: [], freePostings: [], total: 0 as Cents };
  const pinned = new Map((options.pinned ?? []).map((t) => [t.key, t]));
  const gross = shares.reduce((a, [, v]) => a + v, 0);

  const tenders: PlannedTender[] = [];
  const freePostings: PlannedFreePosting[] = [];
  let total = 0;
  for (const d of deposits) {
    const key = `A${d.deposit.salePaymentId}`;
    const booked = pinned.get(key);
    let parts: [VatCode, Cents][];
    // A correction nets a posted day's deposits out: the booked split then runs the other way.
    if (d.deposit.booked) parts = d.deposit.booked.map((p) => [p.vat, (d.base < 0 ? -p.amount : p.amount) as Cents]);
    else if (booked && booked.amount === d.base + d.tip) {
      tenders.push(booked);
      parts = (d.tip !== 0 ? booked.lines.slice(0, -1) : booked.lines).map((l) => [l.vat, l.amount]);
    } else {
      if (gross <= 0) {
        throw new AppError("RECORD_INVALID", {
          detail: `${ctx.label}: deposits were paid, but the sale has no revenue to set them against`,
          fixHint: "Check the sale in Lightspeed; book the deposits by hand in BuchhaltungsButler if the sale is right.",
        });
      }
      parts = split(d.base, shares, gross);
      const lines: PlannedPostingLine[] = parts.map(([vat, amount]) => ({ account: advancePaymentAccount(mappings, vat, ctx.label), vat, amount, text: text(`${ctx.invoiceNumber} Anzahlung ${VAT_LABEL[vat]}`) }));
      if (d.tip !== 0) {
        if (!mappings.tips) throw new AppError("MAPPING_MISSING", { detail: `${ctx.label}: tips were paid, but no tips account is mapped`, fixHint: "Choose the tips account under Mappings → Other accounts." });
        lines.push({ account: mappings.tips.account, vat: "0_none", amount: d.tip, text: text(`${ctx.invoiceNumber} Trinkgeld`) });
      }
      tenders.push({
        key,
        paymentTypeIds: [d.paymentTypeId],
        paymentTypeName: d.paymentTypeName,
        account: d.account,
        amount: (d.base + d.tip) as Cents,
        purpose: `${ctx.invoiceNumber}/${key}`,
        bookingDate: `${d.deposit.date} ${d.deposit.time}`,
        bookingText: text(`Lightspeed ${d.paymentTypeName} Anzahlung`),
        lines,
      });
    }
    if (options.clear !== false) {
      for (const [vat, amount] of parts) {
        const positive = amount > 0;
        const account = advancePaymentAccount(mappings, vat, ctx.label);
        freePostings.push({
          key: `${key}-${vat}`,
          date: ctx.date,
          text: text(`${ctx.invoiceNumber} Anzahlung ${key} ${VAT_LABEL[vat]} verrechnet`),
          amount: Math.abs(amount) as Cents,
          debitAccount: positive ? account : ctx.debtor.number,
          creditAccount: positive ? ctx.debtor.number : account,
          vat,
          clearsReceipt: positive,
        });
      }
    }
    total += d.base;
  }
  return { tenders, freePostings, total: total as Cents };
}

/**
 * The instalments of a sale that is still open, as a plan of their own (no receipt yet, nothing to clear): each
 * is in the cash book and the VAT return of the day it was paid. Written under the sale's link, so the sale's
 * plan on completion finds them booked. Null when nothing was paid.
 */
export function planOpenSaleDeposits(summary: SaleSummary, mappings: OrderMappings, ctx: DepositContext & { bookingTime: string; shopId: string; registerId: string | null }, pinned: PlannedTender[]): BookingPlan | null {
  const shares = vatSharesOf(summary.revenue.map((g) => ({ vat: g.vat, amount: toCents(decimal(g.gross)) })));
  const { tenders } = planDeposits(summary.tenders, shares, mappings, ctx, { pinned, clear: false });
  if (!tenders.length) return null;
  const date = tenders.map((t) => t.bookingDate.slice(0, 10)).sort().at(-1)!;
  const byPaymentType: Record<string, Cents> = {};
  for (const t of tenders) byPaymentType[t.paymentTypeIds[0]!] = ((byPaymentType[t.paymentTypeIds[0]!] ?? 0) + t.amount) as Cents;
  return {
    kind: "sale",
    saleIds: summary.saleIds,
    invoiceNumber: ctx.invoiceNumber,
    date,
    shopId: ctx.shopId,
    registerId: ctx.registerId,
    debtor: ctx.debtor,
    receipt: null,
    tenders,
    freePostings: [],
    comment: "",
    totals: { gross: 0 as Cents, byVat: {}, byPaymentType, tips: 0 as Cents, rounding: 0 as Cents },
  };
}

/** `amount` in proportion to `shares`, in whole cents that add up exactly (largest remainder). */
function split(amount: number, shares: [VatCode, number][], gross: number): [VatCode, Cents][] {
  const raw = shares.map(([vat, v]) => ({ vat, exact: (amount * v) / gross }));
  const parts = raw.map((r) => ({ vat: r.vat, cents: Math.trunc(r.exact), rest: Math.abs(r.exact - Math.trunc(r.exact)) }));
  let left = amount - parts.reduce((a, p) => a + p.cents, 0);
  const step = Math.sign(left);
  for (const p of [...parts].sort((a, b) => b.rest - a.rest)) {
    if (left === 0) break;
    p.cents += step;
    left -= step;
  }
  return parts.filter((p) => p.cents !== 0).map((p) => [p.vat, p.cents as Cents]);
}
