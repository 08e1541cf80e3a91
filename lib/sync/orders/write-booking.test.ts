import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import type { Cents } from "@/lib/money";
import type { BookingPlan } from "./booking-plan";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import type { BbClient } from "@/lib/buchhaltungsbutler";
import { AppError } from "@/lib/errors/app-error";
import { PipelinedWriter, writeBookings, type WriteItem } from "./write-booking";
import { getLinks } from "../links";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const DEBTOR = { number: 10001, name: "Laufkundschaft" };

/** A sale of `gross` cents paid in cash, of which `giftCard` cents with a gift card (redemption). */
function plan(n: number, gross: number, giftCard = 0): BookingPlan {
  const invoiceNumber = `LS-1-${String(n).padStart(6, "0")}`;
  const date = `2026-03-${String(10 + (n % 3)).padStart(2, "0")}`;
  const cash = gross - giftCard;
  return {
    kind: "sale",
    saleIds: [String(n)],
    invoiceNumber,
    date,
    shopId: "1",
    registerId: "1",
    debtor: DEBTOR,
    receipt: { amount: gross as Cents, dueDate: date, lines: [{ account: 8400, vat: "19_vat", amount: gross as Cents, text: `${invoiceNumber} Erlöse 19 %` }], linkToSaleId: null },
    tenders: cash
      ? [
          {
            key: "1",
            paymentTypeIds: ["1"],
            paymentTypeName: "Cash",
            account: 1000,
            amount: cash as Cents,
            purpose: `${invoiceNumber}/1`,
            bookingDate: `${date} 12:00:00`,
            bookingText: "Lightspeed Cash",
            lines: [{ account: DEBTOR.number, vat: "0_none", amount: cash as Cents, text: `${invoiceNumber} ${DEBTOR.name}`, clearsReceipt: true }],
          },
        ]
      : [],
    freePostings: giftCard
      ? [{ key: "gift-card", date, text: `${invoiceNumber} Gutschein eingelöst`, amount: giftCard as Cents, debitAccount: 1796, creditAccount: DEBTOR.number, vat: "0_none", clearsReceipt: true }]
      : [],
    comment: `Lightspeed-Verkauf ${n}`,
    totals: { gross: gross as Cents, byVat: { "19_vat": gross as Cents }, byPaymentType: {}, tips: 0 as Cents, rounding: 0 as Cents },
  };
}

function items(w: OrderWorld, plans: BookingPlan[], initial?: WriteItem["initial"]): WriteItem[] {
  return plans.map((p) => ({ target: { tenantId: w.tenantId, entity: "sale", sourceId: p.saleIds[0]! }, plan: p, initial }));
}

describe("writeBookings (batch mode)", () => {
  it("collects gift-card postings across chunks into batch calls and assigns each to its own receipt", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
    // 240 sales in about five chunks; every 12th is partly paid with a gift card, so each chunk has only a few.
    const plans = Array.from({ length: 240 }, (_, i) => plan(i + 1, 1000 + i, i % 12 === 0 ? 500 : 0));
    const before = world.bb.stats(world.bbApiKey).byPath;
    const outcomes = await writeBookings(database, world.bbClient(), items(world, plans), { batch: true, comment: false });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);

    const byPath = world.bb.stats(world.bbApiKey).byPath;
    const calls = (p: string) => (byPath[p] ?? 0) - (before[p] ?? 0);
    const gift = plans.filter((p) => p.freePostings.length);
    expect(gift.length).toBe(20);
    expect(calls("postings/add/free")).toBe(0);
    expect(calls("postings/add-batch/free")).toBe(1);
    expect(calls("postings/assign/receipt-to-free-posting")).toBe(20);
    // A first write has nothing of its own to look for among BB's payments.
    expect(calls("transactions/get")).toBe(0);

    const bb = world.bb.tenant(world.bbApiKey);
    for (const [i, p] of plans.entries()) {
      const o = outcomes[i]!;
      const receipt = bb.receipts.find((r) => r.invoiceNumber === p.invoiceNumber && !r.deleted)!;
      expect(o.state.receiptId).toBe(String(receipt.id));
      const free = bb.postings.filter((x) => x.kind === "free" && x.text.startsWith(`${p.invoiceNumber} `));
      if (p.freePostings.length) {
        expect(free).toHaveLength(1);
        expect(free[0]!.assignedReceiptIds).toEqual([receipt.id]);
        expect(o.state.free?.["gift-card"]).toEqual({ posted: true, assigned: true });
      } else expect(free).toHaveLength(0);
    }
  });

  it("finds the payments of a write that died before saving their ids instead of creating them twice", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
    const plans = Array.from({ length: 60 }, (_, i) => plan(i + 1, 2000 + i));
    // The run that died had sent the payments; their ids never reached the links.
    const client = world.bbClient();
    const sent = await client.addTransactions(
      plans.map((p) => {
        const t = p.tenders[0]!;
        return { account: t.account, toFrom: p.debtor.name, amount: t.amount, bookingDate: t.bookingDate, purpose: t.purpose, bookingText: t.bookingText };
      }),
    );
    expect(sent.failed).toBe(0);
    const bb = world.bb.tenant(world.bbApiKey);
    const transactions = bb.transactions.length;

    const outcomes = await writeBookings(database, client, items(world, plans, { invoiceNumber: "" }), { batch: true, comment: false });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(bb.transactions.length).toBe(transactions);
    for (const [i, p] of plans.entries()) {
      const tx = bb.transactions.find((t) => t.purpose === `${p.invoiceNumber}/1`)!;
      expect(outcomes[i]!.state.tenders?.["1"]).toEqual({ transactionId: String(tx.id), assigned: true, posted: true });
    }
  });
});

describe("PipelinedWriter after a failed chunk", () => {
  it("settles only when every chunk still in flight has finished, so a retry never races a running write", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
    let calls = 0;
    let slowChunkDone = false;
    const ok = <T>(n: number, value: T) => ({ results: Array.from({ length: n }, () => ({ ok: true as const, value })), succeeded: n, failed: 0 });
    // Only what a receipts-only chunk touches: the first chunk's receipts fail for good, the second is slow.
    const client = {
      getReceipts: async () => [],
      addReceipts: async (inputs: unknown[]) => {
        if (++calls === 1) throw new AppError("UPSTREAM_UNAVAILABLE", { detail: "BB is down" });
        await new Promise((r) => setTimeout(r, 300));
        return ok(inputs.length, { id: "1" });
      },
      postReceipts: async (inputs: unknown[]) => {
        slowChunkDone = true;
        return ok(inputs.length, undefined);
      },
    } as unknown as BbClient;
    const receiptsOnly = Array.from({ length: 100 }, (_, i) => ({ ...plan(i + 1, 1000 + i), tenders: [] }));
    const writer = new PipelinedWriter(database, client, { batch: true, comment: false });
    for (const item of items(world, receiptsOnly)) writer.add(item);
    await expect(writer.finish()).rejects.toThrow("BB is down");
    expect(calls).toBe(2);
    expect(slowChunkDone).toBe(true);
  });
});

describe("read-back listings", () => {
  it("#14.5 read-back cache scope: a resume whose tender postings are on other dates than its receipt postings writes no payment posting twice", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
    const client = world.bbClient();
    const bb = world.bb.tenant(world.bbApiKey);
    // Two sales on different business days (plan dates follow n % 3).
    const a = plan(1, 1190);
    const b = plan(2, 2380);
    expect(a.date).not.toBe(b.date);

    // Sale b was written completely, but the run died after BB booked its payment and before the link said so.
    const [first] = await writeBookings(database, client, items(world, [b]), { batch: false, comment: false });
    expect(first!.ok).toBe(true);
    const txB = first!.state.tenders!["1"]!.transactionId!;
    const resumeB = { ...first!.state, tenders: { "1": { transactionId: txB, assigned: true } }, intents: ["post_1"] };
    // Sale a died after its receipt was created, while its revenue posting was being sent.
    const receiptA = await client.addReceipt({ type: "invoice outbound", counterparty: a.debtor.name, invoiceNumber: a.invoiceNumber, date: a.date, amount: a.receipt!.amount, currency: "EUR", creditorDebtor: a.debtor.number });
    const resumeA = { invoiceNumber: a.invoiceNumber, receiptId: receiptA.id, intents: ["receipt_posting"] };

    const [ia] = items(world, [a], resumeA);
    const [ib] = items(world, [b], resumeB);
    const outcomes = await writeBookings(database, client, [ia!, ib!], { batch: false, comment: false });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);

    const livePostingsOf = (tx: string) => bb.postings.filter((p) => !p.cancelled && p.transactionId === Number(tx));
    expect(livePostingsOf(txB)).toHaveLength(1);
    expect(outcomes[1]!.state.tenders?.["1"]).toEqual({ transactionId: txB, assigned: true, posted: true });
    // Sale a was written on: one revenue posting, one payment posted once.
    expect(bb.postings.filter((p) => !p.cancelled && p.receiptId === Number(receiptA.id) && !p.transactionId)).toHaveLength(1);
    expect(livePostingsOf(outcomes[0]!.state.tenders!["1"]!.transactionId!)).toHaveLength(1);
  });
});

describe("a receipt written for another amount", () => {
  it("#14.6 the writer never posts a plan's lines on a receipt that was written for another amount", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
    const client = world.bbClient();
    // The first write stops after the receipt (its postings refused).
    const refusing = new Proxy(client, {
      get: (target, key) => (key === "postReceipt" ? () => Promise.reject(new AppError("UPSTREAM_REJECTED", { detail: "refused" })) : (Reflect.get(target, key, target) as unknown)),
    });
    const [created] = await writeBookings(database, refusing, items(world, [plan(7, 1000)]), { batch: false, comment: false });
    expect(created!.ok).toBe(false);
    const receiptId = created!.state.receiptId!;
    expect(receiptId).toBeTruthy();
    // The receipt exists, unposted; the plan has changed since (the sale was edited before the write finished).
    const changed = plan(7, 2500);
    const [outcome] = await writeBookings(database, client, items(world, [changed], { invoiceNumber: changed.invoiceNumber, receiptId, receiptAmount: 1000 as Cents }), { batch: false, comment: false });

    expect(outcome!.ok).toBe(false);
    expect(!outcome!.ok && outcome!.error.code).toBe("RECORD_INVALID");
    const bb = world.bb.tenant(world.bbApiKey);
    expect(bb.postings.filter((p) => p.receiptId === Number(receiptId))).toEqual([]);
    expect(bb.transactions.filter((t) => t.purpose.startsWith(changed.invoiceNumber))).toEqual([]);
  });
});

describe("comments in batch mode", () => {
  it("#14.8 a comment is recorded as soon as BB took it: a sync killed later in the phase sends no comment twice", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
    const w = world;
    const plans = Array.from({ length: 6 }, (_, i) => plan(300 + i, 1000 + i));
    const real = w.bbClient();
    let sent = 0;
    // What a SIGKILL while the third comment is on its way would leave in the links.
    let atKill: (boolean | null | undefined)[] = [];
    const client = new Proxy(real, {
      get(target, key) {
        if (key === "addComment")
          return async (c: Parameters<BbClient["addComment"]>[0]) => {
            if (++sent === 3) {
              const links = await getLinks(database, w.tenantId, "sale", plans.slice(0, 2).map((p) => p.saleIds[0]!));
              atKill = plans.slice(0, 2).map((p) => links.get(p.saleIds[0]!)?.target_ids.commented);
            }
            return target.addComment(c);
          };
        return Reflect.get(target, key, target) as unknown;
      },
    });
    const outcomes = await writeBookings(database, client, items(w, plans), { batch: true, comment: true });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(sent).toBe(6);
    expect(atKill).toEqual([true, true]);
  });
});
