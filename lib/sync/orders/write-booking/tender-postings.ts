import type { BbTransactionPostingInput } from "../../../buchhaltungsbutler";
import type { PlannedTender } from "../booking-plan";
import { postingLines } from "./posting-lines";
import { alreadyThere, definePhase } from "./run-phase";
import type { Work } from "./types";

type TenderPosting = { w: Work; t: PlannedTender };

/** 6. Post each payment against the debtor (and tips), clearing the receipt. */
export const tenderPostings = definePhase<TenderPosting, BbTransactionPostingInput, void>({
  name: "tender postings",
  need: (live) => live.flatMap((w) => w.item.plan.tenders.filter((t) => w.state.tenders![t.key]?.transactionId && !w.state.tenders![t.key]?.posted).map((t) => ({ w, t }))),
  intent: ({ t }) => `post_${t.key}`,
  readBack: async (unsure, need, run) => {
    const posted = new Set((await run.postingsOf(need.map((x) => x.w))).map((p) => p.transactionId).filter(Boolean));
    return alreadyThere(unsure.filter((x) => posted.has(x.w.state.tenders![x.t.key]!.transactionId!)));
  },
  input: ({ w, t }) => ({
    transactionId: w.state.tenders![t.key]!.transactionId!,
    // The transaction's own day (a deposit's is earlier than the plan's): where the read-back looks.
    date: t.bookingDate.slice(0, 10),
    lines: postingLines(t.lines),
    openItemReceiptIds: t.lines.map((l) => l.openItemReceiptId ?? (l.clearsReceipt && w.state.receiptId ? w.state.receiptId : null)),
  }),
  sendBatch: (client, inputs) => client.postTransactions(inputs),
  sendOne: (client, input) => client.postTransaction(input),
  record: ({ w, t }) => {
    w.state.tenders![t.key]!.posted = true;
  },
  step: ({ t }) => `tender_${t.key}_posted`,
});
