import { AppError } from "../../errors/app-error";
import type { VatCode } from "../../mapping/chart-defaults";
import type { OrderMappings } from "../../mapping/order-mappings";
import { decimal, toCents, type Cents } from "../../money";
import type { BookingPlan, PlannedFreePosting, PlannedPostingLine, PlannedTender } from "./booking-plan";
import type { SaleSummary } from "./summarize-sale";

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
}

const VAT_LABEL: Record<VatCode, string> = { "19_vat": "19 %", "7_vat": "7 %", "0_none": "0 %" };

/** BB limits posting texts to 128 characters. */
const text = (s: string) => (s.length > 128 ? `${s.slice(0, 127)}…` : s);

interface Component {
  amount: number;
  line: Omit<PlannedPostingLine, "amount">;
}

/**
 * Splits what the tenders paid into posting lines so that each transaction's lines sum to its own amount and
 * each component (receipt clearing, gift cards sold, account deposits) is covered exactly once. Same-sign
 * amounts are filled in order (the natural case); anything else falls back to an exact construction that puts
 * the remainder on the last tender.
 */
export function allocateComponents(bases: number[], components: Component[]): { amount: number; line: Component["line"] }[][] {
  const result: { amount: number; line: Component["line"] }[][] = bases.map(() => []);
  const nonZero = components.filter((c) => c.amount !== 0);
  const allSameSign = [...bases, ...nonZero.map((c) => c.amount)].filter((v) => v !== 0).every((v, _, arr) => Math.sign(v) === Math.sign(arr[0]!));
  if (allSameSign) {
    const remaining = nonZero.map((c) => ({ ...c }));
    let ci = 0;
    bases.forEach((base, ti) => {
      let left = base;
      while (left !== 0 && ci < remaining.length) {
        const c = remaining[ci]!;
        const take = Math.abs(c.amount) <= Math.abs(left) ? c.amount : left;
        result[ti]!.push({ amount: take, line: c.line });
        c.amount -= take;
        left -= take;
        if (c.amount === 0) ci++;
      }
    });
    return result;
  }
  const list = nonZero.length ? nonZero : components.slice(0, 1);
  const clearing = list[0];
  if (!clearing || bases.length === 0) return result;
  const last = bases.length - 1;
  let beforeLast = 0;
  bases.forEach((base, ti) => {
    if (ti === last) return;
    if (base !== 0) result[ti]!.push({ amount: base, line: clearing.line });
    beforeLast += base;
  });
  const lastLines = list.map((c) => ({ amount: c === clearing ? c.amount - beforeLast : c.amount, line: c.line }));
  result[last]!.push(...lastLines.filter((l) => l.amount !== 0));
  return result;
}

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

  // 2. Money: receipt clearing, gift cards, account movements.
  const redeemed = summary.giftCard > 0 ? summary.giftCard : 0;
  const sold = summary.giftCard < 0 ? -summary.giftCard : 0;
  const charged = summary.onAccount > 0 ? summary.onAccount : 0;
  const deposited = summary.onAccount < 0 ? -summary.onAccount : 0;
  // What the tenders paid towards this receipt: the total less what a gift card or the customer's account covered.
  const clearingAmount = total - redeemed - charged;

  if ((sold !== 0 || redeemed !== 0) && !mappings.giftCardLiability) {
    throw new AppError("MAPPING_MISSING", {
      detail: `${ctx.label}: a gift card was sold or redeemed, but no gift-card liability account is mapped`,
      fixHint: "Choose the gift-card liability account under Mappings → Other accounts.",
    });
  }

  // Group tender movements by payment type: one transaction per payment type.
  const byType = new Map<string, { paymentTypeIds: string[]; name: string; account: number; base: number; tip: number }>();
  for (const t of summary.tenders) {
    const k = `${t.paymentTypeId}|${t.account}`;
    const e = byType.get(k);
    if (e) {
      e.base += t.base;
      e.tip += t.tip;
    } else byType.set(k, { paymentTypeIds: [t.paymentTypeId], name: t.paymentTypeName, account: t.account, base: t.base, tip: t.tip });
  }
  const tenderGroups = [...byType.values()].filter((t) => t.base + t.tip !== 0);
  const tipsTotal = tenderGroups.reduce((a, t) => a + t.tip, 0);
  if (tipsTotal !== 0 && !mappings.tips) {
    throw new AppError("MAPPING_MISSING", { detail: `${ctx.label}: tips were paid, but no tips account is mapped`, fixHint: "Choose the tips account under Mappings → Other accounts." });
  }

  const baseSum = tenderGroups.reduce((a, t) => a + t.base, 0);
  const expected = clearingAmount + sold + deposited;
  if (baseSum !== expected) {
    throw new AppError("RECORD_INVALID", {
      detail: `${ctx.label}: the payments (${(baseSum / 100).toFixed(2)} € without tips) do not match the sale total (${(expected / 100).toFixed(2)} € to be paid)`,
      fixHint: "Check the payments of this sale in Lightspeed.",
    });
  }

  const components: Component[] = [
    { amount: clearingAmount, line: { account: ctx.debtor.number, vat: "0_none", text: text(`${ctx.invoiceNumber} ${ctx.debtor.name}`), clearsReceipt: total !== 0 } },
    { amount: sold, line: { account: mappings.giftCardLiability?.account ?? 0, vat: "0_none", text: text(`${ctx.invoiceNumber} Gutschein verkauft`) } },
    { amount: deposited, line: { account: ctx.debtor.number, vat: "0_none", text: text(`${ctx.invoiceNumber} Einzahlung Kundenkonto`) } },
  ];
  const allocation = allocateComponents(
    tenderGroups.map((t) => t.base),
    components,
  );
  const tenders: PlannedTender[] = tenderGroups.map((t, i) => {
    const lines: PlannedPostingLine[] = allocation[i]!.map((a) => ({ ...a.line, amount: a.amount as Cents }));
    if (t.tip !== 0) lines.push({ account: mappings.tips!.account, vat: "0_none", amount: t.tip as Cents, text: text(`${ctx.invoiceNumber} Trinkgeld`) });
    const key = String(i + 1);
    return {
      key,
      paymentTypeIds: t.paymentTypeIds,
      paymentTypeName: t.name,
      account: t.account,
      amount: (t.base + t.tip) as Cents,
      purpose: `${ctx.invoiceNumber}/${key}`,
      bookingDate: `${ctx.date} ${ctx.bookingTime}`,
      bookingText: text(`Lightspeed ${t.name}`),
      lines: mergeLines(lines),
    };
  });

  const freePostings: PlannedFreePosting[] = [];
  if (summary.giftCard !== 0) {
    const liability = mappings.giftCardLiability!.account;
    const positive = summary.giftCard > 0;
    freePostings.push({
      key: "gift-card",
      date: ctx.date,
      text: text(`${ctx.invoiceNumber} ${positive ? "Gutschein eingelöst" : "Gutschein erstattet"}`),
      amount: Math.abs(summary.giftCard) as Cents,
      debitAccount: positive ? liability : ctx.debtor.number,
      creditAccount: positive ? ctx.debtor.number : liability,
      vat: "0_none",
      clearsReceipt: total !== 0,
    });
  }

  return {
    kind: ctx.kind,
    saleIds: summary.saleIds,
    invoiceNumber: ctx.invoiceNumber,
    date: ctx.date,
    shopId: ctx.shopId,
    registerId: ctx.registerId,
    debtor: ctx.debtor,
    receipt: total === 0 ? null : { amount: total, dueDate: ctx.dueDate, lines: mergeLines(revenueLines), linkToSaleId: ctx.linkToSaleId },
    tenders,
    freePostings,
    comment: ctx.comment,
    totals: { gross: total, byVat, byPaymentType: summary.byPaymentType, tips: tipsTotal as Cents, rounding: rounding as Cents },
  };
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
