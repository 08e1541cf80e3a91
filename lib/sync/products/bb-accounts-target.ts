import type { BbClient } from "../../buchhaltungsbutler";
import type { CategoryAccountsTarget } from "./category-accounts-target";

/** A BB client narrowed to what category accounts need. */
export function bbAccountsTarget(bb: Pick<BbClient, "listPostingAccounts" | "addPostingAccount" | "updatePostingAccount">): CategoryAccountsTarget {
  return {
    async listPostingAccounts() {
      return (await bb.listPostingAccounts()).map((a) => ({ number: a.number, name: a.name }));
    },
    async addPostingAccount(input) {
      // The client reads back after an unclear answer, so a lost response never creates the account twice.
      await bb.addPostingAccount({ number: input.number, name: input.name, parentNumber: input.parent });
    },
    async updatePostingAccount(input) {
      await bb.updatePostingAccount({ number: input.number, name: input.name });
    },
  };
}
