import { afterEach, describe, expect, it } from "vitest";
import { InlineDriver } from "@/inngest/inline-driver";
import { ORDERS_BACKFILL_EVENT, ORDERS_SYNC_EVENT } from "@/inngest/events";
import { ordersSync } from "@/inngest/functions/orders-sync";
import { testDb } from "@/scripts/test/db";
import { addDays } from "@/lib/time";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import { reconcileDays } from "./reconcile-days";
import { neutralisedBy, repairDuplicates } from "./repair-duplicates";
import type { Cents } from "@/lib/money";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * The first write on `path` is answered with a gateway timeout and committed by BB only later than the client's
 * read-back wait (200 ms of clock here): the client writes again, and the late copy lands afterwards.
 */
async function backfillWithLateCommit(path: string) {
  world = await startOrderWorld(database, { ls: { sizes: { sales: 40, days: 2, items: 20, customers: 10 } }, bbFaults: { lateCommitRate: 1, lateCommitMs: 30_000, paths: [path], limit: 1 } });
  const w = world;
  const driver = new InlineDriver({ definitions: [ordersSync.withDeps(w.deps)], backoffMs: () => 5 });
  const from = new Date(w.ls.clock.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  await driver.send({ name: ORDERS_BACKFILL_EVENT, data: { tenantId: w.tenantId, kind: "backfill", from } });
  await driver.idle();
  // A copy that lands after the backfill's last step is the next run's to find: the days stay watched.
  await new Promise((r) => setTimeout(r, 300));
  await driver.send({ name: ORDERS_SYNC_EVENT, data: { tenantId: w.tenantId, kind: "poll" } });
  await driver.idle();
  expect([...driver.runs.values()].filter((r) => r.status === "failed").map((r) => String(r.error))).toEqual([]);
  expect(w.bb.stats(w.bbApiKey).faults["late-commit"]).toBe(1);
  const to = addDays(new Date(w.ls.clock.now()).toISOString().slice(0, 10), -1);
  const days = await reconcileDays(database, { ls: w.lsClient(), bb: w.bbClient() }, w.tenantId, { from, to });
  const activity = await database.selectFrom("activity_log").select(["message", "result", "reference"]).where("tenant_id", "=", w.tenantId).where("message", "like", "%committed after we gave up%").execute();
  return { w, days, activity };
}

/**
 * A poll whose one late commit lands after it, then the poll that finds the copy: the late copy arrives 30 s of
 * clock (150 ms real at the world's speed) after the client gave up, hence the real wait between the two.
 */
async function pollPastLateCommit(w: OrderWorld) {
  const driver = new InlineDriver({ definitions: [ordersSync.withDeps(w.deps)], backoffMs: () => 5 });
  await driver.send({ name: ORDERS_SYNC_EVENT, data: { tenantId: w.tenantId, kind: "poll" } });
  await driver.idle();
  expect(w.bb.stats(w.bbApiKey).faults["late-commit"]).toBe(1);
  await new Promise((r) => setTimeout(r, 300));
  await driver.send({ name: ORDERS_SYNC_EVENT, data: { tenantId: w.tenantId, kind: "poll" } });
  await driver.idle();
}

async function cleanBackfill() {
  world = await startOrderWorld(database, { ls: { sizes: { sales: 20, days: 2, items: 20, customers: 10 } } });
  const w = world;
  const driver = new InlineDriver({ definitions: [ordersSync.withDeps(w.deps)], backoffMs: () => 5 });
  const from = new Date(w.ls.clock.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  await driver.send({ name: ORDERS_BACKFILL_EVENT, data: { tenantId: w.tenantId, kind: "backfill", from } });
  await driver.idle();
  const to = addDays(new Date(w.ls.clock.now()).toISOString().slice(0, 10), -1);
  const reconcile = () => reconcileDays(database, { ls: w.lsClient(), bb: w.bbClient() }, w.tenantId, { from, to });
  return { w, reconcile };
}

describe("late commits (#14.7)", () => {
  it("#14.7 closing reconciliation: a payment copy BB committed late is a difference until it is repaired", async () => {
    const { w, reconcile } = await cleanBackfill();
    expect((await reconcile()).filter((d) => !d.ok)).toEqual([]);
    const link = (await database.selectFrom("sync_links").select(["target_ids"]).where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").where("status", "=", "done").execute())
      .map((l) => l.target_ids as { plan?: { tenders: { purpose: string; amount: Cents; account: number; bookingDate: string; bookingText: string }[]; debtor: { name: string } } })
      .find((t) => t.plan?.tenders.length)!;
    const tender = link.plan!.tenders[0]!;
    // What a late commit leaves: the same payment a second time, unposted, unknown to our link.
    const client = w.bbClient();
    await client.addTransaction({ account: tender.account, toFrom: link.plan!.debtor.name, amount: tender.amount, bookingDate: tender.bookingDate, purpose: tender.purpose, bookingText: tender.bookingText });
    const date = tender.bookingDate.slice(0, 10);
    const before = (await reconcile()).find((d) => d.date === date)!;
    expect(before.differences).toContainEqual({ kind: "duplicate", key: tender.purpose, expected: 1, actual: 2 });

    const repairs = await repairDuplicates({ database, bb: client, tenantId: w.tenantId, runId: null, redactPii: false }, [date]);
    expect(repairs.map((r) => ({ kind: r.kind, key: r.key, problem: r.problem }))).toEqual([{ kind: "transaction", key: tender.purpose, problem: undefined }]);
    expect((await reconcile()).filter((d) => !d.ok)).toEqual([]);
    // A second pass finds nothing left to do.
    expect(await repairDuplicates({ database, bb: client, tenantId: w.tenantId, runId: null, redactPii: false }, [date])).toEqual([]);
  }, 120_000);

  it("#14.8 a repair's own posting committed twice (the counter-payment's) is cancelled by the next pass", async () => {
    const { w, reconcile } = await cleanBackfill();
    const link = (await database.selectFrom("sync_links").select(["target_ids"]).where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").where("status", "=", "done").execute())
      .map((l) => l.target_ids as { plan?: { tenders: { purpose: string; amount: Cents; account: number; bookingDate: string; bookingText: string; lines: { account: number; vat: "0_none"; amount: Cents; text: string }[] }[]; debtor: { name: string } } })
      .find((t) => t.plan?.tenders.length)!;
    const tender = link.plan!.tenders[0]!;
    const client = w.bbClient();
    await client.addTransaction({ account: tender.account, toFrom: link.plan!.debtor.name, amount: tender.amount, bookingDate: tender.bookingDate, purpose: tender.purpose, bookingText: tender.bookingText });
    const date = tender.bookingDate.slice(0, 10);
    const ctx = { database, bb: client, tenantId: w.tenantId, runId: null, redactPii: false };
    const [first] = await repairDuplicates(ctx, [date]);
    // The counter-payment's posting call was committed twice (its answer lost, BB stored it late).
    const bb = w.bb.tenant(w.bbApiKey);
    const counterId = first!.counterTransactionId!;
    const lines = (bb.postingsByTransaction.get(Number(counterId)) ?? []).filter((p) => !p.cancelled);
    await client.postTransaction({ transactionId: counterId, date, lines: lines.map((p) => ({ account: p.debit === tender.account ? p.credit : p.debit, vat: "0_none", amount: -tender.amount as Cents, text: p.text })), openItemReceiptIds: lines.map(() => null) });
    expect((bb.postingsByTransaction.get(Number(counterId)) ?? []).filter((p) => !p.cancelled)).toHaveLength(lines.length * 2);

    await repairDuplicates(ctx, [date]);
    expect((bb.postingsByTransaction.get(Number(counterId)) ?? []).filter((p) => !p.cancelled)).toHaveLength(lines.length);
    expect((await reconcile()).filter((d) => !d.ok)).toEqual([]);
  }, 120_000);

  it("#14.7 late commits: a receipt batch BB commits after the client gave up leaves no duplicate receipt after the run", async () => {
    const { w, days, activity } = await backfillWithLateCommit("receipts/add");
    const bb = w.bb.tenant(w.bbApiKey);
    const live = bb.receipts.filter((r) => !r.deleted).map((r) => r.invoiceNumber);
    expect(live.filter((n, i) => live.indexOf(n) !== i)).toEqual([]);
    // The late copies are there, deleted, with nothing booked on them.
    const deleted = bb.receipts.filter((r) => r.deleted);
    expect(deleted.length).toBeGreaterThan(0);
    for (const r of deleted) expect(bb.postings.filter((p) => !p.cancelled && (p.receiptId === r.id || p.assignedReceiptIds.includes(r.id)))).toEqual([]);
    expect(activity.filter((a) => a.result === "updated")).toHaveLength(deleted.length);
    expect(days.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
  }, 120_000);

  it("#14.7 late commits: a payment batch BB commits after the client gave up is neutralised, so every payment account counts each sale once", async () => {
    const { w, days, activity } = await backfillWithLateCommit("transactions/add");
    const bb = w.bb.tenant(w.bbApiKey);
    // BB cannot delete payments: per purpose, the copies and their counter-payments must net to one payment.
    const byPurpose = new Map<string, { amounts: number; count: number }>();
    for (const t of bb.transactions) {
      const base = neutralisedBy(t.purpose)?.purpose ?? t.purpose;
      const e = byPurpose.get(base) ?? { amounts: 0, count: 0 };
      e.amounts += t.amount;
      e.count += neutralisedBy(t.purpose) ? 0 : 1;
      byPurpose.set(base, e);
    }
    const copies = [...byPurpose.values()].filter((e) => e.count > 1);
    expect(copies.length).toBeGreaterThan(0);
    const links = await database.selectFrom("sync_links").select(["target_ids"]).where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").where("status", "=", "done").execute();
    const planned = new Map<string, number>();
    for (const l of links) for (const t of (l.target_ids as { plan?: { tenders: { purpose: string; amount: number }[] } }).plan?.tenders ?? []) planned.set(t.purpose, t.amount);
    for (const [purpose, amount] of planned) expect({ purpose, net: byPurpose.get(purpose)?.amounts }).toEqual({ purpose, net: amount });
    // Nothing is left unposted in BB's list of open payments.
    const posted = new Set(bb.postings.filter((p) => !p.cancelled && p.transactionId).map((p) => p.transactionId));
    expect(bb.transactions.filter((t) => !posted.has(t.id)).map((t) => t.purpose)).toEqual([]);
    expect(activity.filter((a) => a.result === "updated").length).toBe(copies.reduce((a, e) => a + e.count - 1, 0));
    expect(days.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
  }, 120_000);

  it.each([["transactions/add"], ["postings/add/transaction"]])(
    "#14.8 late commits on a void's reversal (%s): the counter-payment or its posting BB commits after the client gave up is repaired",
    async (path) => {
      const { w } = await cleanBackfill();
      const sale = (await database.selectFrom("sync_links").select(["source_id", "target_ids"]).where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").where("status", "=", "done").execute()).find(
        (l) => ((l.target_ids as { plan?: { tenders: unknown[] } }).plan?.tenders.length ?? 0) > 0,
      )!;
      w.ls.mutate({ action: "voidSale", saleId: Number(sale.source_id) });
      w.bb.faults.set({ lateCommitRate: 1, lateCommitMs: 30_000, paths: [path], limit: 1 });
      await pollPastLateCommit(w);

      const bb = w.bb.tenant(w.bbApiKey);
      const reversals = bb.transactions.filter((t) => t.purpose.endsWith("/S"));
      expect(reversals.length).toBeGreaterThan(0);
      // Per reversal purpose: the copies and their counter-payments net to one counter-transaction, posted once.
      const neutralised = new Set(bb.transactions.flatMap((t) => (neutralisedBy(t.purpose) ? [Number(neutralisedBy(t.purpose)!.duplicateId)] : [])));
      const standing = reversals.filter((t) => !neutralised.has(t.id)).map((t) => t.purpose);
      expect(standing.filter((p, i) => standing.indexOf(p) !== i)).toEqual([]);
      for (const t of reversals.filter((x) => !neutralised.has(x.id))) {
        const live = (bb.postingsByTransaction.get(t.id) ?? []).filter((p) => !p.cancelled && p.kind === "transaction");
        const keys = live.map((p) => `${p.text}|${p.amount}|${p.debit}|${p.credit}`);
        expect({ purpose: t.purpose, copies: keys.filter((k, i) => keys.indexOf(k) !== i) }).toEqual({ purpose: t.purpose, copies: [] });
        expect(live.length).toBeGreaterThan(0);
      }
    },
    120_000,
  );

  it("#14.7 late commits: a gift-card posting BB commits after the client gave up is cancelled, the one assigned to the receipt stays", async () => {
    const { w } = await cleanBackfill();
    // Gift-card value goes in as a free posting (single calls in a poll); its first call is committed late.
    w.ls.mutate({ action: "addSale", kind: "giftcard-sale" });
    w.ls.mutate({ action: "addSale", kind: "giftcard-redeem" });
    w.bb.faults.set({ lateCommitRate: 1, lateCommitMs: 30_000, paths: ["postings/add/free"], limit: 1 });
    await pollPastLateCommit(w);
    const free = w.bb.tenant(w.bbApiKey).postings.filter((p) => p.kind === "free" && !p.cancelled);
    const texts = free.map((p) => p.text);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
    // What settles an open item is still there.
    const links = await database.selectFrom("sync_links").select(["target_ids"]).where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").where("status", "=", "done").execute();
    let settling = 0;
    for (const l of links) {
      const t = l.target_ids as { receiptId?: string; plan?: { freePostings: { text: string; clearsReceipt: boolean }[] } };
      for (const f of t.plan?.freePostings ?? []) {
        if (!f.clearsReceipt) continue;
        expect(free.find((p) => p.text === f.text)?.assignedReceiptIds).toEqual([Number(t.receiptId)]);
        settling++;
      }
    }
    expect(settling).toBeGreaterThan(0);
  }, 120_000);

  it.each([["postings/add-batch/receipts"], ["postings/add-batch/transactions"]])(
    "#14.7 late commits: postings BB commits after the client gave up (%s) are cancelled, so every receipt and payment is booked once",
    async (path) => {
      const { w, days, activity } = await backfillWithLateCommit(path);
      const bb = w.bb.tenant(w.bbApiKey);
      const links = await database.selectFrom("sync_links").select(["target_ids"]).where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").where("status", "=", "done").execute();
      let checked = 0;
      for (const l of links) {
        const t = l.target_ids as { receiptId?: string; plan?: { receipt: { lines: unknown[] } | null; tenders: { key: string; lines: unknown[] }[] }; tenders?: Record<string, { transactionId?: string }> };
        if (t.receiptId && t.plan?.receipt) {
          expect(bb.postings.filter((p) => !p.cancelled && p.receiptId === Number(t.receiptId) && !p.transactionId)).toHaveLength(t.plan.receipt.lines.length);
          checked++;
        }
        for (const tender of t.plan?.tenders ?? []) {
          const id = t.tenders?.[tender.key]?.transactionId;
          if (id) expect(bb.postings.filter((p) => !p.cancelled && p.transactionId === Number(id))).toHaveLength(tender.lines.length);
        }
      }
      expect(checked).toBeGreaterThan(10);
      expect(bb.postings.filter((p) => p.cancelled).length).toBeGreaterThan(0);
      expect(activity.filter((a) => a.result === "updated").length).toBeGreaterThan(0);
      expect(days.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
    },
    120_000,
  );
});
