import { BB_CURRENCY, type BbReceiptInput } from "../../../buchhaltungsbutler";
import { AppError } from "../../../errors/app-error";
import type { Cents } from "../../../money";
import { saleReceiptId } from "../../links";
import { definePhase, type ChunkRun } from "./run-phase";
import { cachedListing, type Work } from "./types";

type Receipt = { w: Work };
type Found = { id: string; amount: Cents };

/** BB's receipts under our invoice numbers: one listing per business day in batch mode, else one lookup each. */
async function existingReceipts(unsure: Receipt[], run: ChunkRun): Promise<Map<string, Found[]>> {
  const { client, options } = run;
  const existing = new Map<string, Found[]>();
  if (options.batch) {
    // One listing per business day, shared by every chunk of this write.
    for (const day of [...new Set(unsure.map((x) => x.w.item.plan.date))]) {
      const listing = cachedListing(options.cache.receipts, day, () =>
        client.getReceipts({ direction: "outbound", dateFrom: day, dateTo: day }).then((rows) => {
          const m = new Map<string, Found[]>();
          for (const x of rows) if (!x.deleted) m.set(x.invoiceNumber, [...(m.get(x.invoiceNumber) ?? []), { id: x.id, amount: x.amount }]);
          return m;
        }),
      );
      for (const [k, v] of await listing) existing.set(k, [...(existing.get(k) ?? []), ...v]);
    }
  } else {
    for (const x of unsure) {
      const r = await client.findReceiptByInvoiceNumber(x.w.item.plan.invoiceNumber, "outbound");
      if (r) existing.set(r.invoiceNumber, [{ id: r.id, amount: r.amount }]);
    }
  }
  return existing;
}

/**
 * A receipt already written for another amount than the plan's: the sale (or day) changed after its receipt
 * was created. Its lines must not go onto that receipt; the caller books the change as a correction.
 */
function writtenForAnotherAmount(w: Work): boolean {
  return !!w.state.receiptId && w.state.receiptAmount !== undefined && !!w.item.plan.receipt && w.state.receiptAmount !== w.item.plan.receipt.amount;
}

/** 1. Receipts: adopt what BB already has under our invoice number, create the rest. */
export const receipts = definePhase<Receipt, BbReceiptInput, { id: string; amount: Cents }>({
  name: "receipts",
  need: (live) => live.filter((w) => w.item.plan.receipt && (!w.state.receiptId || writtenForAnotherAmount(w))).map((w) => ({ w })),
  readBack: async (all, _need, run) => {
    const changed = all.filter((x) => writtenForAnotherAmount(x.w));
    for (const { w } of changed) {
      run.fail(
        w,
        new AppError("RECORD_INVALID", {
          detail: `The receipt ${w.item.plan.invoiceNumber} in BuchhaltungsButler is for ${(w.state.receiptAmount! / 100).toFixed(2)} €, but the booking is now ${(w.item.plan.receipt!.amount / 100).toFixed(2)} €; nothing was posted on it`,
          fixHint: "Resync the sale: a change after its receipt exists is booked as a correction.",
          context: { receiptId: w.state.receiptId, dedupeKey: `receipt-changed:${w.item.plan.invoiceNumber}` },
        }),
      );
    }
    const unsure = all.filter((x) => !x.w.state.receiptId);
    const existing = unsure.length ? await existingReceipts(unsure, run) : new Map<string, Found[]>();
    const found = new Map<Receipt, { id: string; amount: Cents }>();
    for (const x of unsure) {
      const { w } = x;
      const hit = existing.get(w.item.plan.invoiceNumber)?.[0];
      const amount = w.item.plan.receipt!.amount;
      if (!hit) continue;
      if (hit.amount === amount) found.set(x, { id: hit.id, amount });
      else
        run.fail(
          w,
          new AppError("UPSTREAM_REJECTED", {
            detail: `BuchhaltungsButler already has a receipt with invoice number ${w.item.plan.invoiceNumber} for ${(hit.amount / 100).toFixed(2)} €, but this record is ${(amount / 100).toFixed(2)} €`,
            fixHint: "Check that receipt in BuchhaltungsButler; delete it if it is wrong, then retry.",
            context: { receiptId: hit.id, dedupeKey: `receipt-conflict:${w.item.plan.invoiceNumber}` },
          }),
        );
    }
    return found;
  },
  input: async ({ w }, run) => {
    const p = w.item.plan;
    const linkTo = p.receipt!.linkToSaleId ? await saleReceiptId(run.database, w.item.target.tenantId, p.receipt!.linkToSaleId) : null;
    return {
      type: "invoice outbound" as const,
      counterparty: p.debtor.name,
      invoiceNumber: p.invoiceNumber,
      date: p.date,
      amount: p.receipt!.amount,
      currency: BB_CURRENCY,
      creditorDebtor: p.debtor.number,
      ...(p.receipt!.dueDate ? { dueDate: p.receipt!.dueDate } : {}),
      ...(linkTo ? { linkToReceiptId: linkTo } : {}),
    };
  },
  sendBatch: async (client, inputs) => {
    const outcome = await client.addReceipts(inputs);
    return { ...outcome, results: outcome.results.map((r, i) => (r.ok ? { ...r, value: { id: r.value.id, amount: inputs[i]!.amount } } : r)) };
  },
  sendOne: async (client, input) => ({ id: (await client.addReceipt(input)).id, amount: input.amount }),
  record: ({ w }, { id, amount }, found) => {
    w.state.receiptId = id;
    w.state.receiptAmount = amount;
    if (found) w.state.adoptedReceipt = true;
    else w.created = true;
  },
  step: () => "receipt",
});
