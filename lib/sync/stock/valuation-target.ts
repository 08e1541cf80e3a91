/**
 * The part of the BB client a valuation needs. Its own module so the valuation and the BB adapter
 * (bb-valuation-target.ts) both depend on it instead of on each other.
 */
export interface ValuationTarget {
  addFreePosting(p: { date: string; text: string; amountCents: number; debitAccount: number; creditAccount: number }): Promise<void>;
  /** Read-back: is exactly this free posting in BB? */
  hasFreePosting(p: { date: string; text: string; amountCents: number; debitAccount: number; creditAccount: number }): Promise<boolean>;
}
