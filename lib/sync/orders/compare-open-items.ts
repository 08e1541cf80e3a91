import { findDebtorByCustomerNumber, findDebtorByEmail, findDebtorByNumber, type BbClient } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import type { LightspeedClient } from "../../lightspeed";
import { loadOrderMappings } from "../../mapping/order-mappings";
import { toCents, type Cents } from "../../money";
import { zonedTimeToUtc } from "../../time";
import { bookedLinksBetween } from "../links";
import { customerEmail } from "./choose-debtor";
import { loadOrderSettings } from "./order-settings";

export interface OpenItemRow {
  customerId: string | null;
  /** The customer's debtor in BB; null when BB has none for them. */
  debtor: number | null;
  name: string;
  /** What the customer owes on their Lightspeed account (credit-account payments; negative = store credit). */
  lightspeed: Cents;
  /** The debtor's balance in BB (debit − credit of every posting on it): their open items, net. */
  bb: Cents;
}

export interface OpenItemsComparison {
  from: string;
  to: string;
  /** Customers and debtors with a balance on either side; rows that differ first. */
  rows: OpenItemRow[];
  differences: number;
  ok: boolean;
}

/** postings/get takes a list of accounts; a few dozen per call keeps the request small. */
const DEBTORS_PER_CALL = 50;

/**
 * A black-box check of open items, to the cent: per customer, what Lightspeed says they owe on account
 * (every "credit account" payment of their completed, not voided sales since `from`) against the balance of
 * their debtor in BB over the same days. Both sides are read from the platforms, not from our links; the links
 * only add the debtors we booked to (so a customer whose payment went missing in BB shows up although
 * Lightspeed says they owe nothing). Balances from before `from` (the first synced day) are not ours and are
 * left out on both sides. The default debtor is not read: no account movement is ever booked to it, and a
 * customer's movement that landed there shows as that customer's difference.
 */
export async function compareOpenItems(
  database: Database,
  clients: { ls: LightspeedClient; bb: BbClient },
  tenantId: string,
  range: { from: string; to: string },
  options: { timeZone?: string } = {},
): Promise<OpenItemsComparison> {
  const [{ settings }, mappings] = await Promise.all([loadOrderSettings(database, tenantId), loadOrderMappings(database, tenantId)]);
  const timeZone = options.timeZone ?? "Europe/Berlin";
  const defaultDebtor = mappings.defaultDebtor?.postingAccountNumber ?? null;

  const customers = new Map<string, { name: string; email: string; owed: number }>();
  const since = zonedTimeToUtc(range.from, settings.cutoffHour, timeZone).toISOString();
  for await (const page of clients.ls.readSales({ since })) {
    for (const sale of page.records) {
      if (!sale.completed || sale.voided || !sale.customer) continue;
      let owed = 0;
      for (const p of sale.payments) {
        if (p.archived) continue;
        // Lightspeed's own payment kind decides (black box); the mapping only when the type was not loaded.
        const onAccount = p.paymentType ? p.paymentType.kind === "credit account" : mappings.paymentTypes.get(p.paymentTypeId)?.kind === "on_account";
        if (onAccount) owed += toCents(p.amount);
      }
      const c = sale.customer;
      const entry = customers.get(c.customerId) ?? { name: (c.company || `${c.firstName} ${c.lastName}`).trim(), email: customerEmail(c), owed: 0 };
      entry.owed += owed;
      customers.set(c.customerId, entry);
    }
  }

  const rows = new Map<number | string, OpenItemRow>();
  for (const [customerId, c] of customers) {
    const found = (await findDebtorByCustomerNumber(database, tenantId, `LS-${customerId}`)) ?? (c.email ? await findDebtorByEmail(database, tenantId, c.email) : null);
    const debtor = found && found.postingAccountNumber !== defaultDebtor ? found.postingAccountNumber : null;
    if (c.owed === 0 && debtor === null) continue;
    rows.set(debtor ?? `c${customerId}`, { customerId, debtor, name: found?.name ?? c.name, lightspeed: c.owed as Cents, bb: 0 as Cents });
  }
  for (const b of await bookedLinksBetween(database, tenantId, range)) {
    const n = b.link.target_ids.plan?.debtor.number;
    if (n === undefined || n === defaultDebtor || rows.has(n)) continue;
    const found = await findDebtorByNumber(database, tenantId, n);
    const customerId = found?.customerNumber?.startsWith("LS-") ? found.customerNumber.slice(3) : null;
    rows.set(n, { customerId, debtor: n, name: found?.name ?? b.link.target_ids.plan!.debtor.name, lightspeed: 0 as Cents, bb: 0 as Cents });
  }

  const debtors = [...rows.values()].flatMap((r) => (r.debtor === null ? [] : [r.debtor]));
  for (let i = 0; i < debtors.length; i += DEBTORS_PER_CALL) {
    const chunk = new Set(debtors.slice(i, i + DEBTORS_PER_CALL));
    for (const p of await clients.bb.getPostings({ dateFrom: range.from, dateTo: range.to, postingAccount: [...chunk] })) {
      const debit = chunk.has(p.debitAccount) ? rows.get(p.debitAccount) : undefined;
      const credit = chunk.has(p.creditAccount) ? rows.get(p.creditAccount) : undefined;
      if (debit) debit.bb = (debit.bb + p.amount) as Cents;
      if (credit) credit.bb = (credit.bb - p.amount) as Cents;
    }
  }

  const all = [...rows.values()].filter((r) => r.lightspeed !== 0 || r.bb !== 0);
  const differs = (r: OpenItemRow) => r.lightspeed !== r.bb;
  all.sort((a, b) => Number(differs(b)) - Number(differs(a)) || a.name.localeCompare(b.name));
  const differences = all.filter(differs).length;
  return { from: range.from, to: range.to, rows: all, differences, ok: differences === 0 };
}
