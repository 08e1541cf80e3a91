import type { BbTransactionInput } from "../../../buchhaltungsbutler";
import type { PlannedTender } from "../booking-plan";
import { definePhase, type ChunkRun } from "./run-phase";
import { cachedListing, type Work } from "./types";

type Tender = { w: Work; t: PlannedTender };

// A deposit is booked on the day it was paid, not on the plan's day.
const dayOf = (t: PlannedTender) => t.bookingDate.slice(0, 10);

/** How a payment is recognised in BB without an id: purpose, date, amount, account. */
const sig = (purpose: string, date: string, amount: number, account: number) => `${purpose}|${date}|${amount}|${account}`;

/** Ids of the payments BB holds that a record of ours may have written, by `sig`. */
async function existingTransactions(unsure: Tender[], run: ChunkRun): Promise<Map<string, string>> {
  const { client, options } = run;
  const found = new Map<string, string>();
  if (options.batch) {
    const accounts = [...new Set(unsure.map((x) => x.t.account))];
    const days = [...new Set(unsure.map((x) => dayOf(x.t)))];
    for (const account of accounts) {
      for (const day of days) {
        const listing = cachedListing(options.cache.transactions, `${account}|${day}`, () =>
          client.getTransactions({ account, dateFrom: day, dateTo: day }).then((rows) => new Map(rows.map((t) => [sig(t.purpose, t.bookingDate.slice(0, 10), t.amount, account), t.id]))),
        );
        for (const [k, v] of await listing) found.set(k, v);
      }
    }
  } else {
    for (const { t } of unsure) {
      const hit = await client.findTransaction({ purpose: t.purpose, date: dayOf(t), amount: t.amount, account: t.account });
      if (hit) found.set(sig(t.purpose, dayOf(t), t.amount, t.account), hit.id);
    }
  }
  return found;
}

/** 4. Payments: find or create one transaction per tender. */
export const tenders = definePhase<Tender, BbTransactionInput, { id: string }>({
  name: "tenders",
  need: (live) => live.flatMap((w) => w.item.plan.tenders.filter((t) => !w.state.tenders![t.key]?.transactionId).map((t) => ({ w, t }))),
  // A payment can only be in BB already if this record was written before (a run that died before saving the id)
  // or its receipt was found there. A record this write meets for the first time has nothing to look up: an
  // uncertain answer to our own call is read back by the client before it returns.
  unsure: ({ w }) => w.item.initial !== undefined || !!w.state.adoptedReceipt,
  readBack: async (unsure, need, run) => {
    const existing = await existingTransactions(unsure, run);
    const found = new Map<Tender, { id: string }>();
    // Every record is matched, not only the unsure ones: the listings are there anyway.
    for (const x of need) {
      const id = existing.get(sig(x.t.purpose, dayOf(x.t), x.t.amount, x.t.account));
      if (id) found.set(x, { id });
    }
    return found;
  },
  input: ({ w, t }) => ({ account: t.account, toFrom: w.item.plan.debtor.name, amount: t.amount, bookingDate: t.bookingDate, purpose: t.purpose, bookingText: t.bookingText }),
  sendBatch: (client, inputs) => client.addTransactions(inputs),
  sendOne: (client, input) => client.addTransaction(input),
  record: ({ w, t }, { id }) => {
    w.state.tenders![t.key] = { ...w.state.tenders![t.key], transactionId: id };
  },
  step: ({ t }) => `tender_${t.key}`,
});
