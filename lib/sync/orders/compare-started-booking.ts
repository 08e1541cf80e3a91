import type { BbPosting } from "../../buchhaltungsbutler";
import type { WriteProgressState } from "../link-state";
import type { BookingPlan, PlannedPostingLine } from "./booking-plan";

function sameLines(a: PlannedPostingLine[], b: PlannedPostingLine[]): boolean {
  return a.length === b.length && a.every((l, i) => l.account === b[i]!.account && l.vat === b[i]!.vat && l.amount === b[i]!.amount && !!l.clearsReceipt === !!b[i]!.clearsReceipt);
}

/**
 * Whether a booking that was started for `stored` and not finished can still be finished as `next`: it can
 * when every part already in BB (or possibly in BB) is the same in both, so that what BB ends up holding is
 * exactly `next`. A part whose write was sent but not confirmed (an intent mark) counts as written only when
 * BB has it (`postingsInBb` is asked only then): a write BB refused must not pin the plan it was refused for,
 * or fixing the mapping that caused the refusal would never take effect.
 */
export async function startedBookingChanged(state: WriteProgressState, stored: BookingPlan, next: BookingPlan, postingsInBb: () => Promise<BbPosting[]>): Promise<boolean> {
  const intents = new Set(state.intents ?? []);
  const inBb = async (match: (p: BbPosting) => boolean) => (await postingsInBb()).some(match);

  if (state.receiptId) {
    const a = stored.receipt;
    const b = next.receipt;
    if (!a || !b) return true;
    if (a.amount !== b.amount || stored.date !== next.date || stored.debtor.number !== next.debtor.number || stored.invoiceNumber !== next.invoiceNumber || a.dueDate !== b.dueDate) return true;
    if (!sameLines(a.lines, b.lines)) {
      const receiptId = state.receiptId;
      if (state.receiptPosted || (intents.has("receipt_posting") && (await inBb((p) => p.receiptId === receiptId && !p.transactionId)))) return true;
    }
  }

  for (const [key, written] of Object.entries(state.tenders ?? {})) {
    if (!written.transactionId) continue;
    const a = stored.tenders.find((t) => t.key === key);
    const b = next.tenders.find((t) => t.key === key);
    if (!a || !b) return true;
    if (a.account !== b.account || a.amount !== b.amount || a.purpose !== b.purpose || a.bookingDate.slice(0, 10) !== b.bookingDate.slice(0, 10)) return true;
    if (!sameLines(a.lines, b.lines)) {
      const transactionId = written.transactionId;
      if (written.posted || (intents.has(`post_${key}`) && (await inBb((p) => p.transactionId === transactionId)))) return true;
    }
  }

  for (const a of stored.freePostings) {
    // A free posting is read back by its text, date and amount; one sent but unconfirmed is taken as written.
    if (!state.free?.[a.key]?.posted && !intents.has(`free_${a.key}`)) continue;
    const b = next.freePostings.find((f) => f.key === a.key);
    if (!b || a.amount !== b.amount || a.date !== b.date || a.text !== b.text || a.debitAccount !== b.debitAccount || a.creditAccount !== b.creditAccount || a.vat !== b.vat) return true;
  }
  return false;
}

/** Whether anything of a booking may be in BB already (ids saved, or writes sent but not confirmed). */
export function bookingStarted(state: WriteProgressState): boolean {
  return (
    !!state.receiptId ||
    Object.values(state.tenders ?? {}).some((t) => !!t.transactionId) ||
    Object.values(state.free ?? {}).some((f) => !!f.posted) ||
    (state.intents ?? []).length > 0
  );
}
