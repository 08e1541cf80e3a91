import { createBbClient, type BbClient } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import type { CategoryAccountsTarget } from "./sync-category-accounts";

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

/** The tenant's BB client (credentials from its connection), narrowed. */
export async function createBbAccountsTarget(database: Database, tenantId: string): Promise<CategoryAccountsTarget> {
  return bbAccountsTarget(createBbClient({ database, tenantId }));
}
