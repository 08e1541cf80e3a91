import type { BbClient, BbPosting } from "../../buchhaltungsbutler";
import { cents } from "../../money";
import type { ValuationTarget } from "./valuation-target";

type Free = Parameters<ValuationTarget["hasFreePosting"]>[0];

function same(x: BbPosting, p: Free): boolean {
  return x.text === p.text && x.amount === p.amountCents && x.debitAccount === p.debitAccount && x.creditAccount === p.creditAccount && x.date === p.date;
}

/** A BB client narrowed to a free posting (VAT-free: stock is valued net) and its read-back. */
export function bbValuationTarget(bb: Pick<BbClient, "addFreePosting" | "getPostings">): ValuationTarget {
  return {
    async addFreePosting(p) {
      await bb.addFreePosting({ date: p.date, text: p.text, amount: cents(p.amountCents), debitAccount: p.debitAccount, creditAccount: p.creditAccount, vat: "0_none" });
    },
    async hasFreePosting(p) {
      return (await bb.getPostings({ dateFrom: p.date, dateTo: p.date })).some((x) => same(x, p));
    },
  };
}
