import type { Clock } from "@/lib/clock";
import { CHARTS, CREDITOR_RANGE, DEBTOR_RANGE, vatInfo } from "./charts";
import { isFixed, isOutbound, type SbPosting, type SbReceipt, type SbTenant } from "./model";

/**
 * Double-entry view of the sandbox's postings. A posting is one gross line between two accounts; for the trial
 * balance its VAT is split off the Sachkonto side (the tax-bearing side) onto the chart's tax account, so
 * revenue shows net and the USt account shows the tax, exactly as the books would.
 */
export interface LedgerEntry {
  account: number;
  debit: number;
  credit: number;
}

/** Tax of a gross amount at `rate` %, rounded half up (kaufmännisch). */
export function taxOfGross(gross: number, rate: number): number {
  if (rate === 0) return 0;
  const sign = gross < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(gross) * rate) / (100 + rate) + 0.5);
}

export function isPersonAccount(n: number): boolean {
  return n >= DEBTOR_RANGE.from && n <= CREDITOR_RANGE.to;
}

export function postingEntries(tenant: SbTenant, p: SbPosting): LedgerEntry[] {
  const chart = CHARTS[tenant.chart];
  const { rate, kind } = vatInfo(p.vat);
  if (kind === "none" || !p.taxSide) {
    return [
      { account: p.debit, debit: p.amount, credit: 0 },
      { account: p.credit, debit: 0, credit: p.amount },
    ];
  }
  if (kind === "reverse") {
    // Reverse charge: the amount is net; input and output tax are both booked and cancel out.
    const tax = Math.floor((p.amount * rate) / 100 + 0.5);
    return [
      { account: p.debit, debit: p.amount, credit: 0 },
      { account: p.credit, debit: 0, credit: p.amount },
      { account: chart.reverseChargeInput, debit: tax, credit: 0 },
      { account: chart.reverseChargeOutput, debit: 0, credit: tax },
    ];
  }
  const tax = taxOfGross(p.amount, rate);
  const taxAccount = kind === "output" ? chart.outputTax[rate as 19 | 7] : chart.inputTax[rate as 19 | 7];
  if (p.taxSide === "credit") {
    return [
      { account: p.debit, debit: p.amount, credit: 0 },
      { account: p.credit, debit: 0, credit: p.amount - tax },
      { account: taxAccount, debit: 0, credit: tax },
    ];
  }
  return [
    { account: p.debit, debit: p.amount - tax, credit: 0 },
    { account: taxAccount, debit: tax, credit: 0 },
    { account: p.credit, debit: 0, credit: p.amount },
  ];
}

export function accountName(tenant: SbTenant, n: number): string {
  return (
    tenant.accounts.get(n)?.name ??
    tenant.paymentAccounts.get(n)?.name ??
    tenant.debtors.get(n)?.name ??
    tenant.creditors.get(n)?.name ??
    (n === DEBTOR_RANGE.collective ? "Sammeldebitor" : n === CREDITOR_RANGE.collective ? "Sammelkreditor" : `Konto ${n}`)
  );
}

export interface TrialBalanceRow {
  account: number;
  name: string;
  debit: number;
  credit: number;
  /** debit − credit, in cents. */
  balance: number;
}

export function trialBalance(tenant: SbTenant): { rows: TrialBalanceRow[]; totalDebit: number; totalCredit: number } {
  const sums = new Map<number, { debit: number; credit: number }>();
  for (const p of tenant.postings) {
    if (p.cancelled) continue;
    for (const e of postingEntries(tenant, p)) {
      const s = sums.get(e.account) ?? { debit: 0, credit: 0 };
      s.debit += e.debit;
      s.credit += e.credit;
      sums.set(e.account, s);
    }
  }
  const rows = [...sums.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([account, s]) => ({ account, name: accountName(tenant, account), debit: s.debit, credit: s.credit, balance: s.debit - s.credit }));
  return { rows, totalDebit: rows.reduce((t, r) => t + r.debit, 0), totalCredit: rows.reduce((t, r) => t + r.credit, 0) };
}

/** Live (not cancelled) postings of a receipt or a transaction. */
export function postingsOf(tenant: SbTenant, by: { receiptId?: number; transactionId?: number }): SbPosting[] {
  const list = by.receiptId !== undefined ? tenant.postingsByReceipt.get(by.receiptId) : by.transactionId !== undefined ? tenant.postingsByTransaction.get(by.transactionId) : undefined;
  return (list ?? []).filter((p) => !p.cancelled);
}

export function addPosting(tenant: SbTenant, clock: Clock, p: Omit<SbPosting, "id" | "bookingNumber" | "createdAt" | "lastActionAt" | "cancelled" | "reversalOf"> & { reversalOf?: number }): SbPosting {
  const now = clock.now();
  const posting: SbPosting = { ...p, id: tenant.nextPostingId++, bookingNumber: tenant.nextBookingNumber++, createdAt: now, lastActionAt: now, cancelled: false, reversalOf: p.reversalOf ?? null };
  tenant.postings.push(posting);
  const index = (map: Map<number, SbPosting[]>, key: number | null) => {
    if (key === null) return;
    const list = map.get(key);
    if (list) list.push(posting);
    else map.set(key, [posting]);
  };
  index(tenant.postingsByReceipt, posting.receiptId);
  index(tenant.postingsByTransaction, posting.transactionId);
  return posting;
}

/** Clearing postings per receipt, built in one pass (lists of thousands of receipts would otherwise be quadratic). */
export type PaidIndex = Map<number, SbPosting[]>;

export function paidIndex(tenant: SbTenant): PaidIndex {
  const index: PaidIndex = new Map();
  for (const p of tenant.postings) {
    if (p.cancelled || p.kind === "receipt") continue;
    for (const id of p.assignedReceiptIds) {
      const list = index.get(id);
      if (list) list.push(p);
      else index.set(id, [p]);
    }
  }
  return index;
}

/**
 * How much of a receipt is paid: postings that clear it (transaction postings naming it as open item, free
 * postings assigned to it) and move value off its debtor (outbound) or onto its creditor (inbound).
 */
export function receiptPaid(tenant: SbTenant, r: SbReceipt, index?: PaidIndex): { paid: number; paidFixed: number; paymentDate: string | null } {
  let paid = 0;
  let paidFixed = 0;
  let last: string | null = null;
  const candidates = index ? (index.get(r.id) ?? []) : tenant.postings;
  for (const p of candidates) {
    if (p.cancelled || p.kind === "receipt" || !p.assignedReceiptIds.includes(r.id)) continue;
    const outbound = isOutbound(r.type);
    const person = outbound ? (isPersonAccount(p.credit) ? "credit" : isPersonAccount(p.debit) ? "debit" : null) : isPersonAccount(p.debit) ? "debit" : isPersonAccount(p.credit) ? "credit" : null;
    if (!person) continue;
    const signed = (outbound ? person === "credit" : person === "debit") ? p.amount : -p.amount;
    const receiptSign = (r.amount ?? 0) < 0 ? -1 : 1;
    paid += signed * receiptSign;
    if (isFixed(tenant, p.date)) paidFixed += signed * receiptSign;
    if (!last || p.date > last) last = p.date;
  }
  const full = r.amount !== null && Math.abs(paid) >= Math.abs(r.amount) && paid !== 0;
  return { paid: paid * ((r.amount ?? 0) < 0 ? -1 : 1), paidFixed: paidFixed * ((r.amount ?? 0) < 0 ? -1 : 1), paymentDate: full ? last : null };
}
