import type { BbCommentInput } from "../../../buchhaltungsbutler";
import { definePhase } from "./run-phase";
import type { Work } from "./types";

/**
 * 2. A comment naming the Lightspeed record, polls only: comments have no batch endpoint, and a backfill would
 * spend one of BB's 100 calls a minute per sale on them. Not read back: a comment twice does no harm to the books.
 */
export const comments = definePhase<{ w: Work }, BbCommentInput, unknown>({
  name: "comments",
  skip: (options) => !options.comment,
  need: (live) => live.filter((w) => w.item.plan.receipt && w.state.receiptId && !w.state.commented).map((w) => ({ w })),
  input: ({ w }) => ({ receiptId: w.state.receiptId!, text: w.item.plan.comment.slice(0, 210) }),
  sendOne: (client, input) => client.addComment(input),
  record: ({ w }) => {
    w.state.commented = true;
  },
  step: () => "comment",
});
