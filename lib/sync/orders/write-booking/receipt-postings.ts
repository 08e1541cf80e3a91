import type { BbReceiptPostingInput } from "../../../buchhaltungsbutler";
import { postingLines } from "./posting-lines";
import { alreadyThere, definePhase } from "./run-phase";
import type { Work } from "./types";

type ReceiptPosting = { w: Work };

/** 3. Revenue postings on the receipts. BB lists postings only by date, so a crash mid-write is marked first. */
export const receiptPostings = definePhase<ReceiptPosting, BbReceiptPostingInput, void>({
  name: "receipt postings",
  need: (live) => live.filter((w) => w.item.plan.receipt && w.state.receiptId && !w.state.receiptPosted).map((w) => ({ w })),
  intent: () => "receipt_posting",
  readBack: async (unsure, need, run) => {
    const posted = new Set((await run.postingsOf(need.map((x) => x.w))).filter((p) => p.receiptId && !p.transactionId).map((p) => p.receiptId));
    return alreadyThere(unsure.filter((x) => posted.has(x.w.state.receiptId!)));
  },
  input: ({ w }) => ({ receiptId: w.state.receiptId!, date: w.item.plan.date, debtor: w.item.plan.debtor.number, lines: postingLines(w.item.plan.receipt!.lines) }),
  sendBatch: (client, inputs) => client.postReceipts(inputs),
  sendOne: (client, input) => client.postReceipt(input),
  record: ({ w }) => {
    w.state.receiptPosted = true;
  },
  step: () => "receipt_posted",
});
