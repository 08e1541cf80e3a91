import type { Cents } from "../../money";
import type { BookingPlan, PlannedPostingLine } from "./booking-plan";

export interface OpenItem {
  receiptId: string;
  /** What is still open on the receipt (positive). */
  open: Cents;
}

/**
 * A payment into a customer's account (Lightspeed: a negative "credit account" payment balanced by a tender)
 * pays the debtor. Posted without an open item it would only net the debtor's balance while BB still lists
 * the charged receipts as unpaid, so the dunning list and the open-item list would disagree with the account.
 * This splits the debtor lines of the plan's payments, up to the amount paid in, over the customer's open
 * receipts oldest first; what exceeds them stays on the debtor unassigned (a credit, e.g. a prepayment).
 */
export function settleAccountPayment(plan: BookingPlan, paidIn: Cents, openItems: OpenItem[]): BookingPlan {
  if (paidIn <= 0) return plan;
  let budget: number = paidIn;
  const queue = openItems.filter((o) => o.open > 0).map((o) => ({ ...o }));
  const tenders = plan.tenders.map((t) => {
    const lines: PlannedPostingLine[] = [];
    for (const l of t.lines) {
      if (budget <= 0 || l.account !== plan.debtor.number || l.amount <= 0 || l.openItemReceiptId) {
        lines.push(l);
        continue;
      }
      let share = Math.min(l.amount, budget);
      budget -= share;
      const rest = l.amount - share;
      while (share > 0 && queue.length > 0) {
        const item = queue[0]!;
        const take = Math.min(share, item.open);
        lines.push({ account: l.account, vat: l.vat, amount: take as Cents, text: l.text, openItemReceiptId: item.receiptId });
        share -= take;
        item.open = (item.open - take) as Cents;
        if (item.open === 0) queue.shift();
      }
      if (share > 0) lines.push({ account: l.account, vat: l.vat, amount: share as Cents, text: l.text });
      if (rest > 0) lines.push({ ...l, amount: rest as Cents });
    }
    return { ...t, lines };
  });
  return { ...plan, tenders };
}
