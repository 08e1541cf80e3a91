import type { BbReceiptInput } from "../../../buchhaltungsbutler";
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

/** 1. Receipts: adopt what BB already has under our invoice number, create the rest. */
export const receipts = definePhase<Receipt, BbReceiptInput, { id: string }>({
  name: "receipts",
  need: (live) => live.filter((w) => w.item.plan.receipt && !w.state.receiptId).map((w) => ({ w })),
  readBack: async (unsure, _need, run) => {
    const existing = await existingReceipts(unsure, run);
    const found = new Map<Receipt, { id: string }>();
    for (const x of unsure) {
      const { w } = x;
      const hit = existing.get(w.item.plan.invoiceNumber)?.[0];
      const amount = w.item.plan.receipt!.amount;
      if (!hit) continue;
      if (hit.amount === amount) found.set(x, { id: hit.id });
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
      currency: "EUR",
      creditorDebtor: p.debtor.number,
      ...(p.receipt!.dueDate ? { dueDate: p.receipt!.dueDate } : {}),
      ...(linkTo ? { linkToReceiptId: linkTo } : {}),
    };
  },
  sendBatch: (client, inputs) => client.addReceipts(inputs),
  sendOne: (client, input) => client.addReceipt(input),
  record: ({ w }, { id }, found) => {
    w.state.receiptId = id;
    if (found) w.state.adoptedReceipt = true;
    else w.created = true;
  },
  step: () => "receipt",
});
