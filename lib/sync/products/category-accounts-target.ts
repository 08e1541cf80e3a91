/**
 * The part of the BB client category accounts need. Its own module so the sync step and the BB adapter
 * (bb-accounts-target.ts) both depend on it instead of on each other.
 */
export interface CategoryAccountsTarget {
  listPostingAccounts(): Promise<{ number: number; name: string }[]>;
  addPostingAccount(input: { number: number; name: string; parent: number }): Promise<void>;
  updatePostingAccount(input: { number: number; name: string }): Promise<void>;
}
