import { zonedDate } from "@/lib/time";
import { d, fixed2, ZERO, type SDecimal } from "./format";
import type { SandboxAccount } from "./model";
import { ApiError } from "./query";
import { saleMath } from "./sale-math";

/**
 * Reports/Accounting/PaymentsByDay and TaxesByDay, computed from the same sales the API serves so they
 * reconcile to the cent (see README "Reports"):
 *  - PaymentsByDay: every non-archived payment of a non-voided, non-archived sale that is completed, plus
 *    layaway deposits of open layaways; grouped by the payment's local date in the shop's time zone, shop,
 *    payment type and `layaway` (true for deposits paid before completion). Amounts include tips.
 *  - TaxesByDay: the header tax (calcTax1 + calcTax2, already rounded to cents per sale) of every completed,
 *    non-voided, non-archived sale, grouped by the local date of completeTime, shop and tax category.
 */
export interface PaymentsRow {
  date: string;
  shopID: string;
  paymentTypeID: string;
  paymentTypeName: string;
  amount: string;
  layaway: string;
}

export interface TaxesRow {
  date: string;
  shopID: string;
  taxCategoryID: string;
  taxCategoryName: string;
  tax: string;
}

function parseDay(value: string | null, name: string): string {
  if (!value) throw new ApiError(400, `${name} is required (YYYY-MM-DD)`, "MerchantOS\\Exception\\Query");
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m || Number(m[2]) > 12 || Number(m[3]) > 31) throw new ApiError(400, `${name} must be a date like 2021-01-26 (got "${value}")`, "MerchantOS\\Exception\\Query");
  return value;
}

const usDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

export function reportRange(params: URLSearchParams): { start: string; end: string } {
  const start = parseDay(params.get("startDate"), "startDate");
  const end = parseDay(params.get("endDate"), "endDate");
  if (end < start) throw new ApiError(400, "endDate is before startDate", "MerchantOS\\Exception\\Query");
  return { start, end };
}

function candidateSales(account: SandboxAccount, start: string, end: string) {
  // A day margin on each side covers any time zone; the exact local date is checked per record.
  const lo = Date.parse(`${start}T00:00:00Z`) - 2 * 86_400_000;
  const hi = Date.parse(`${end}T00:00:00Z`) + 3 * 86_400_000;
  return [...account.store.sales.values()].filter((s) => !s.voided && !s.archived && s.createTime < hi && (s.completeTime ?? s.updateTime) >= lo);
}

export function paymentsByDay(account: SandboxAccount, start: string, end: string): PaymentsRow[] {
  const store = account.store;
  const groups = new Map<string, { row: Omit<PaymentsRow, "amount">; amount: SDecimal; sort: string }>();
  for (const sale of candidateSales(account, start, end)) {
    const tz = store.shops.get(sale.shopId)?.timeZone ?? "UTC";
    for (const p of sale.payments) {
      if (p.archived || !(sale.completed || p.layawayDeposit)) continue;
      const date = zonedDate(new Date(p.createTime), tz);
      if (date < start || date > end) continue;
      const key = `${date}|${sale.shopId}|${p.paymentTypeId}|${p.layawayDeposit}`;
      let g = groups.get(key);
      if (!g) {
        const type = store.paymentTypes.get(p.paymentTypeId);
        g = {
          row: { date: usDate(date), shopID: String(sale.shopId), paymentTypeID: String(p.paymentTypeId), paymentTypeName: type?.name ?? "", layaway: p.layawayDeposit ? "true" : "false" },
          amount: ZERO,
          sort: `${date}|${String(sale.shopId).padStart(6, "0")}|${String(p.paymentTypeId).padStart(6, "0")}|${p.layawayDeposit ? 1 : 0}`,
        };
        groups.set(key, g);
      }
      g.amount = g.amount.plus(d(p.amount));
    }
  }
  return [...groups.values()].sort((a, b) => (a.sort < b.sort ? -1 : 1)).map((g) => ({ ...g.row, amount: fixed2(g.amount) }));
}

export function taxesByDay(account: SandboxAccount, start: string, end: string): TaxesRow[] {
  const store = account.store;
  const groups = new Map<string, { row: Omit<TaxesRow, "tax">; tax: SDecimal; sort: string }>();
  for (const sale of candidateSales(account, start, end)) {
    if (!sale.completed || sale.completeTime === null) continue;
    const tz = store.shops.get(sale.shopId)?.timeZone ?? "UTC";
    const date = zonedDate(new Date(sale.completeTime), tz);
    if (date < start || date > end) continue;
    const key = `${date}|${sale.shopId}|${sale.taxCategoryId}`;
    let g = groups.get(key);
    if (!g) {
      const cat = store.taxCategories.get(sale.taxCategoryId);
      g = {
        row: { date: usDate(date), shopID: String(sale.shopId), taxCategoryID: String(sale.taxCategoryId), taxCategoryName: cat?.tax1Name ?? "" },
        tax: ZERO,
        sort: `${date}|${String(sale.shopId).padStart(6, "0")}|${String(sale.taxCategoryId).padStart(6, "0")}`,
      };
      groups.set(key, g);
    }
    const h = saleMath(sale).header;
    g.tax = g.tax.plus(d(h.calcTax1)).plus(d(h.calcTax2));
  }
  return [...groups.values()].sort((a, b) => (a.sort < b.sort ? -1 : 1)).map((g) => ({ ...g.row, tax: fixed2(g.tax) }));
}
