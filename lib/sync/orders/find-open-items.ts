import type { BbClient } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import type { Cents } from "../../money";
import { receiptsOfDebtor } from "../links";
import type { OpenItem } from "./settle-account-payment";

/**
 * The customer's receipts that BB still lists as (partly) unpaid, oldest first. Candidates come from our links
 * (BB's receipt list carries no debtor number); what is still open comes from BB, which knows every payment,
 * also ones the merchant booked by hand.
 */
export async function findOpenItems(database: Database, bb: BbClient, tenantId: string, debtorNumber: number): Promise<OpenItem[]> {
  const ours = await receiptsOfDebtor(database, tenantId, debtorNumber);
  if (ours.length === 0) return [];
  const unpaid = new Map<string, Cents>();
  for (const counterparty of new Set(ours.map((r) => r.counterparty))) {
    for (const r of await bb.getReceipts({ direction: "outbound", counterparty, paymentStatus: "unpaid", dateFrom: ours[0]!.date })) {
      if (!r.deleted && r.amount > 0) unpaid.set(r.id, (r.amount - r.amountPaid) as Cents);
    }
  }
  return ours.flatMap((r) => {
    const open = unpaid.get(r.receiptId);
    return open && open > 0 ? [{ receiptId: r.receiptId, open }] : [];
  });
}
