import type { PlannedPostingLine } from "../booking-plan";

/** A plan's posting lines as BB takes them (the plan also says which line clears the receipt). */
export function postingLines(lines: PlannedPostingLine[]) {
  return lines.map((l) => ({ account: l.account, text: l.text, vat: l.vat, amount: l.amount }));
}
