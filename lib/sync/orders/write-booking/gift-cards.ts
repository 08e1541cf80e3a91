import type { BbFreePostingInput, BbPosting } from "../../../buchhaltungsbutler";
import { AppError } from "../../../errors/app-error";
import type { PlannedFreePosting } from "../booking-plan";
import { alreadyThere, definePhase, range, type ChunkRun } from "./run-phase";
import type { Work } from "./types";

type GiftCard = { w: Work; f: PlannedFreePosting };
/** `postingId`: BB's id of the posting, learnt from the listing (BB answers a free posting with no id). */
type GiftCardAssignment = GiftCard & { postingId?: string };

// Only free postings are listed here ("free booking"), so a listing over a few days stays one call.
const freeListing = (ws: Work[], run: ChunkRun) => run.client.getPostings({ ...range(ws.map((w) => w.item.plan.date)), account: ["free booking"] });

const matches = (p: BbPosting, { f }: GiftCard) =>
  p.date === f.date && p.text === f.text && p.amount === f.amount && p.debitAccount === f.debitAccount && p.creditAccount === f.creditAccount && !p.receiptId && !p.transactionId;

/** 7a. Gift-card value between the debtor and the liability. */
export const giftCardPostings = definePhase<GiftCard, BbFreePostingInput, void>({
  name: "gift-card postings",
  skip: (options) => options.deferFree,
  need: (live) => live.flatMap((w) => w.item.plan.freePostings.filter((f) => !w.state.free![f.key]?.posted).map((f) => ({ w, f }))),
  intent: ({ f }) => `free_${f.key}`,
  readBack: async (unsure, _need, run) => {
    const postings = await freeListing(unsure.map((x) => x.w), run);
    return alreadyThere(unsure.filter((x) => postings.some((p) => matches(p, x))));
  },
  input: ({ f }) => ({ date: f.date, text: f.text, amount: f.amount, debitAccount: f.debitAccount, creditAccount: f.creditAccount, vat: f.vat }),
  sendBatch: (client, inputs) => client.addFreePostings(inputs),
  sendOne: (client, input) => client.addFreePosting(input),
  record: ({ w, f }) => {
    w.state.free![f.key] = { posted: true };
  },
  step: ({ f }) => `free_${f.key}`,
});

/**
 * 7b. Each gift-card posting assigned to the receipt it settles. Assigning needs the posting's id, which BB only
 * tells through a listing; there is no batch endpoint for it.
 */
export const giftCardAssignments = definePhase<GiftCardAssignment, { receiptId: string; postingId: string }, void>({
  name: "gift-card assignments",
  skip: (options) => options.deferFree,
  need: (live) =>
    live.flatMap((w) => w.item.plan.freePostings.filter((f) => f.clearsReceipt && w.state.receiptId && w.state.free![f.key]?.posted && !w.state.free![f.key]?.assigned).map((f) => ({ w, f }))),
  readBack: async (unsure, _need, run) => {
    const postings = await freeListing(unsure.map((x) => x.w), run);
    const assigned: GiftCardAssignment[] = [];
    for (const x of unsure) {
      const p = postings.find((q) => matches(q, x));
      if (!p)
        // Posted (we have BB's word for it) but not listed: the open item would stay open with the link "done".
        run.fail(
          x.w,
          new AppError("UPSTREAM_REJECTED", {
            detail: `the gift-card posting “${x.f.text}” is in BuchhaltungsButler but could not be found to assign it to receipt ${x.w.state.receiptId}`,
            fixHint: "Retry the sale; if it fails again, assign the gift-card posting to the receipt in BuchhaltungsButler by hand.",
          }),
        );
      else if (p.assignedReceiptIds.includes(x.w.state.receiptId!)) assigned.push(x);
      else x.postingId = p.id;
    }
    return alreadyThere(assigned);
  },
  input: ({ w, postingId }) => ({ receiptId: w.state.receiptId!, postingId: postingId! }),
  sendOne: (client, { receiptId, postingId }) => client.assignReceiptToFreePosting(receiptId, postingId),
  record: ({ w, f }) => {
    w.state.free![f.key] = { posted: true, assigned: true };
  },
  step: ({ f }) => `free_${f.key}_assigned`,
});
