import { AppError } from "../../errors/app-error";
import type { VatCode } from "../../mapping/chart-defaults";
import type { OrderMappings } from "../../mapping/order-mappings";
import { decimal, toCents, type Cents } from "../../money";
import type { BookingPlan, PlannedFreePosting, PlannedPostingLine, PlannedTender } from "./booking-plan";
import type { SaleSummary } from "./summarize-sale";
import { planDeposits, vatSharesOf } from "./plan-deposits";

export interface PlanContext {
  kind: "sale" | "day";
  invoiceNumber: string;
  date: string;
  /** Local time of day for transaction booking dates, "HH:MM:SS". */
  bookingTime: string;
  shopId: string;
  registerId: string | null;
  debtor: { number: number; name: string };
  dueDate: string | null;
  linkToSaleId: string | null;
  /** Human label for texts: "Verkauf 220000000277" or "Tagesabschluss Filiale Mitte 14.03.2026". */
  label: string;
  comment: string;
  /**
   * How payments are keyed (the key is part of the transaction purpose, which is how a lost write is found
   * again). A day is merged from many sales whose order is not stable, so its payments are keyed and sorted by
   * payment type and account; a sale keeps the position of its payment type, as plans already in flight have
   * it. "position" also rebuilds a day whose writing began before day plans were stored (see post-closed-days).
   */
  tenderKeys?: "position" | "paymentType";
  /** Deposits booked while the sale was open (from its link): they stay as they were booked. */
  bookedDeposits?: PlannedTender[];
}

const VAT_LABEL: Record<VatCode, string> = { "19_vat": "19 %", "7_vat": "7 %", "0_none": "0 %" };

/** BB limits posting texts to 128 characters. */
const text = (s: string) => (s.length > 128 ? `${s.slice(0, 127)}…` : s);

export function buildBookingPlan(summary: SaleSummary, mappings: OrderMappings, ctx: PlanContext): BookingPlan {
  // 1. Revenue: exact gross per (account × VAT), rounded once; Lightspeed's rounded total is the truth.
  const revenueLines: PlannedPostingLine[] = [];
  const byVat: Partial<Record<VatCode, Cents>> = {};
  let rounded = 0;
  for (const g of summary.revenue) {
    const amount = toCents(decimal(g.gross));
    if (amount === 0) continue;
    rounded += amount;
    byVat[g.vat] = ((byVat[g.vat] ?? 0) + amount) as Cents;
    revenueLines.push({ account: g.account, vat: g.vat, amount, text: text(`${ctx.invoiceNumber} Erlöse ${VAT_LABEL[g.vat]}`) });
  }
  const rounding = summary.total - rounded;
  if (rounding !== 0) {
    if (!mappings.rounding) {
      throw new AppError("MAPPING_MISSING", {
        detail: `${ctx.label}: the lines differ from the sale total by ${rounding} cent(s) of rounding, and no rounding account is mapped`,
        fixHint: "Choose a rounding account under Mappings → Other accounts.",
      });
    }
    byVat[mappings.rounding.vat] = ((byVat[mappings.rounding.vat] ?? 0) + rounding) as Cents;
    revenueLines.push({ account: mappings.rounding.account, vat: mappings.rounding.vat, amount: rounding as Cents, text: text(`${ctx.invoiceNumber} Rundungsdifferenz`) });
  }

  const total = summary.total;
  if (total === 0 && revenueLines.length > 0) {
    throw new AppError("RECORD_INVALID", {
      detail: `${ctx.label}: goods were exchanged between VAT rates with a total of 0.00 €, which BuchhaltungsButler cannot take as a receipt`,
      fixHint: "Book this exchange manually in BuchhaltungsButler, then mark the sale as handled.",
    });
  }

  // 2. Money. Everything runs through the debtor: each tender pays the debtor (clearing the receipt), a gift
  // card moves value between the debtor and the liability account, an on-account charge simply stays open.
  // For a walk-in sale the debtor nets to zero; for a customer it keeps exactly what they still owe.
  if (summary.giftCard !== 0 && !mappings.giftCardLiability) {
    throw new AppError("MAPPING_MISSING", {
      detail: `${ctx.label}: a gift card was sold or redeemed, but no gift-card liability account is mapped`,
      fixHint: "Choose the gift-card liability account under Mappings → Other accounts.",
    });
  }

  // One transaction per payment type (and account).
  const byType = new Map<string, { paymentTypeIds: string[]; name: string; account: number; base: number; tip: number }>();
  for (const t of summary.tenders) {
    if (t.deposit) continue;
    const k = `${t.paymentTypeId}|${t.account}`;
    const e = byType.get(k);
    if (e) {
      e.base += t.base;
      e.tip += t.tip;
    } else byType.set(k, { paymentTypeIds: [t.paymentTypeId], name: t.paymentTypeName, account: t.account, base: t.base, tip: t.tip });
  }
  const byPaymentType = (ctx.tenderKeys ?? (ctx.kind === "day" ? "paymentType" : "position")) === "paymentType";
  const tenderGroups = [...byType.values()].filter((t) => t.base !== 0 || t.tip !== 0);
  if (byPaymentType) tenderGroups.sort((a, b) => compareIds(a.paymentTypeIds[0]!, b.paymentTypeIds[0]!) || a.account - b.account);
  const tipsTotal = tenderGroups.reduce((a, t) => a + t.tip, 0);
  if (tipsTotal !== 0 && !mappings.tips) {
    throw new AppError("MAPPING_MISSING", { detail: `${ctx.label}: tips were paid, but no tips account is mapped`, fixHint: "Choose the tips account under Mappings → Other accounts." });
  }

  const receiptLines = mergeLines(revenueLines);
  const deposits = planDeposits(summary.tenders, vatSharesOf(receiptLines), mappings, { invoiceNumber: ctx.invoiceNumber, date: ctx.date, debtor: ctx.debtor, label: ctx.label }, { pinned: ctx.bookedDeposits });
  const baseSum = tenderGroups.reduce((a, t) => a + t.base, 0) + deposits.total;
  const expected = total - summary.giftCard - summary.onAccount;
  if (baseSum !== expected) {
    throw new AppError("RECORD_INVALID", {
      detail: `${ctx.label}: the payments (${(baseSum / 100).toFixed(2)} € without tips) do not match the sale total (${(expected / 100).toFixed(2)} € to be paid)`,
      fixHint: "Check the payments of this sale in Lightspeed.",
    });
  }

  const tenders: PlannedTender[] = tenderGroups.map((t, i) => {
    const lines: PlannedPostingLine[] = [];
    if (t.base !== 0) lines.push({ account: ctx.debtor.number, vat: "0_none", amount: t.base as Cents, text: text(`${ctx.invoiceNumber} ${ctx.debtor.name}`), clearsReceipt: total !== 0 });
    if (t.tip !== 0) lines.push({ account: mappings.tips!.account, vat: "0_none", amount: t.tip as Cents, text: text(`${ctx.invoiceNumber} Trinkgeld`) });
    const key = byPaymentType ? `${t.paymentTypeIds[0]}-${t.account}` : String(i + 1);
    return {
      key,
      paymentTypeIds: t.paymentTypeIds,
      paymentTypeName: t.name,
      account: t.account,
      amount: (t.base + t.tip) as Cents,
      purpose: `${ctx.invoiceNumber}/${key}`,
      bookingDate: `${ctx.date} ${ctx.bookingTime}`,
      bookingText: text(`Lightspeed ${t.name}`),
      lines,
    };
  }).filter((t) => t.amount !== 0);
  tenders.push(...deposits.tenders);

  const freePostings: PlannedFreePosting[] = [];
  if (summary.giftCard !== 0) {
    const liability = mappings.giftCardLiability!.account;
    const positive = summary.giftCard > 0;
    freePostings.push({
      key: "gift-card",
      date: ctx.date,
      text: text(`${ctx.invoiceNumber} ${positive ? "Gutschein eingelöst" : "Gutschein ausgegeben"}`),
      amount: Math.abs(summary.giftCard) as Cents,
      debitAccount: positive ? liability : ctx.debtor.number,
      creditAccount: positive ? ctx.debtor.number : liability,
      vat: "0_none",
      // It settles (part of) the receipt when it offsets it: a redemption on a sale, store credit on a refund.
      clearsReceipt: total !== 0 && Math.sign(summary.giftCard) === Math.sign(total),
    });
  }

  freePostings.push(...deposits.freePostings);

  return {
    kind: ctx.kind,
    saleIds: summary.saleIds,
    invoiceNumber: ctx.invoiceNumber,
    date: ctx.date,
    shopId: ctx.shopId,
    registerId: ctx.registerId,
    debtor: ctx.debtor,
    receipt: total === 0 ? null : { amount: total, dueDate: ctx.dueDate, lines: receiptLines, linkToSaleId: ctx.linkToSaleId },
    tenders,
    freePostings,
    comment: ctx.comment,
    totals: { gross: total, byVat, byPaymentType: summary.byPaymentType, tips: tipsTotal as Cents, rounding: rounding as Cents },
  };
}

/** Lightspeed ids are decimal numbers; order them as numbers so "10" follows "9". */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Lines on the same account, VAT code and clearing flag become one; zero lines disappear (BB rejects 0.00). */
function mergeLines(lines: PlannedPostingLine[]): PlannedPostingLine[] {
  const out = new Map<string, PlannedPostingLine>();
  for (const l of lines) {
    const k = `${l.account}|${l.vat}|${l.clearsReceipt ? 1 : 0}|${l.text}`;
    const e = out.get(k);
    if (e) e.amount = (e.amount + l.amount) as Cents;
    else out.set(k, { ...l });
  }
  return [...out.values()].filter((l) => l.amount !== 0);
}
