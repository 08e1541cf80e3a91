import type { PlannedTender } from "../booking-plan";
import { isDepositTender } from "../plan-deposits";
import { alreadyThere, definePhase } from "./run-phase";
import type { Work } from "./types";

type Assignment = { w: Work; t: PlannedTender };

/**
 * 5. Assign each payment to its receipt (open-item matching in BB). A deposit is not: it was posted to the
 * advance-payment account, and its clearing posting settles the receipt.
 */
export const assignments = definePhase<Assignment, { transactionId: string; receiptId: string }, void>({
  name: "assignments",
  need: (live) =>
    live.flatMap((w) =>
      w.item.plan.receipt && w.state.receiptId ? w.item.plan.tenders.filter((t) => !isDepositTender(t) && w.state.tenders![t.key]?.transactionId && !w.state.tenders![t.key]?.assigned).map((t) => ({ w, t })) : [],
    ),
  intent: ({ t }) => `assign_${t.key}`,
  // BB tells a payment's receipts only one payment at a time; marks are rare (a crash mid-write), so this is cheap.
  readBack: async (unsure, _need, run) => {
    const assigned: Assignment[] = [];
    for (const x of unsure) if ((await run.client.getAssignedReceipts(x.w.state.tenders![x.t.key]!.transactionId!)).includes(x.w.state.receiptId!)) assigned.push(x);
    return alreadyThere(assigned);
  },
  input: ({ w, t }) => ({ transactionId: w.state.tenders![t.key]!.transactionId!, receiptId: w.state.receiptId! }),
  sendBatch: (client, pairs) => client.assignTransactionsToReceipts(pairs),
  sendOne: (client, pair) => client.assignTransactionToReceipt(pair.transactionId, pair.receiptId),
  record: ({ w, t }) => {
    w.state.tenders![t.key]!.assigned = true;
  },
  step: ({ t }) => `tender_${t.key}_assigned`,
});
