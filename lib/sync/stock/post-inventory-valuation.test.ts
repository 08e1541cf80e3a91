import { describe, expect, it } from "vitest";
import { connect, testSandbox } from "@/lib/buchhaltungsbutler/test-helpers";
import { AppError } from "@/lib/errors/app-error";
import { testDb } from "@/scripts/test/db";
import type { Database } from "../../db";
import { writeCursor } from "../cursors";
import { bbValuationTarget } from "./bb-valuation-target";
import { listValuations, revaluePeriod, runDueValuations } from "./post-inventory-valuation";
import type { ValuationTarget } from "./valuation-target";
import { saveStockSettings } from "./stock-settings";
import { STOCK_CURSOR } from "./stock-cursor";

const database = testDb();
const sandbox = await testSandbox();

async function setup(chart: "SKR03" | "SKR04" = "SKR03") {
  const { tenantId, bb, client } = await connect(database, sandbox, { chart });
  await database
    .insertInto("connections")
    .values({ tenant_id: tenantId, provider: "buchhaltungsbutler", status: "connected", meta: JSON.stringify({ check: { chart } }), updated_at: new Date() })
    .execute();
  await saveStockSettings(database, tenantId, { managedInBb: true, firstValuation: "post_full_value", timeZone: "Europe/Berlin" }, true);
  await database
    .insertInto("products")
    .values(
      [
        ["1", "default"],
        ["2", "default"],
        ["3", "non_inventory"],
        ["4", "default"],
      ].map(([id, type]) => ({ tenant_id: tenantId, item_id: id!, sku: `SKU-${id}`, sku_key: `sku-${id}`, sku_source: "customSku", kind: "simple" as const, item_type: type!, source: "{}", source_hash: "h", default_cost: "1", updated_at: new Date() })),
    )
    .execute();
  return { tenantId, bb, client, target: bbValuationTarget(client) };
}

async function history(db: Database, tenantId: string, rows: { item: string; shop: string; qoh: number; cost?: string; at: string }[]) {
  await db
    .insertInto("stock_history")
    .values(rows.map((r) => ({ tenant_id: tenantId, item_id: r.item, shop_id: r.shop, qoh: r.qoh, average_cost: r.cost ?? null, ls_timestamp: r.at })))
    .execute();
}

const free = (bb: { postings: { kind: string; text: string; amount: number; debit: number; credit: number; date: string }[] }) =>
  bb.postings.filter((p) => p.kind === "free").map((p) => ({ text: p.text, amount: p.amount, debit: p.debit, credit: p.credit, date: p.date }));

describe("inventory valuation posting", () => {
  it("posts the change per period at average cost, once; late data and corrections post only the difference", async () => {
    const { tenantId, bb, client, target } = await setup();
    await history(database, tenantId, [
      { item: "1", shop: "0", qoh: 10, cost: "2.5", at: "2026-03-10T09:00:00Z" },
      { item: "1", shop: "1", qoh: 10, at: "2026-03-10T09:00:00Z" },
      { item: "2", shop: "0", qoh: 4, cost: "10", at: "2026-03-20T09:00:00Z" },
      { item: "2", shop: "1", qoh: 4, at: "2026-03-20T09:00:00Z" },
      { item: "3", shop: "1", qoh: 99, cost: "5", at: "2026-03-20T09:00:00Z" }, // non-inventory: not valued
      { item: "4", shop: "1", qoh: 7, at: "2026-03-31T22:10:00Z" }, // 1 April 00:10 in Berlin: April's
    ]);
    await writeCursor(database, tenantId, STOCK_CURSOR, { timeStamp: "2026-03-31T22:10:00Z", ids: [], ledgerStartedAt: "2026-02-15T10:00:00Z", caughtUpAt: "2026-04-01T00:30:00Z" });

    // 1 April 02:30 Berlin: March has closed and the ledger was read past its end.
    const march = await runDueValuations(database, { tenantId, runId: null, bb: target, now: () => Date.parse("2026-04-01T00:30:00Z") });
    expect(march.periods).toEqual([{ period: "2026-03", status: "posted", valueCents: 6500, postedCents: 6500 }]);
    expect(free(bb)).toEqual([{ text: "Bestandsveränderung 2026-03 (Butlerbridge)", amount: 6500, debit: 3980, credit: 3960, date: "2026-03-31" }]);

    // Nothing due any more: no BB call at all, nothing posted twice.
    const calls = client.stats().calls;
    const again = await runDueValuations(database, { tenantId, runId: null, bb: target, now: () => Date.parse("2026-04-01T01:00:00Z") });
    expect(again.periods).toEqual([]);
    expect(client.stats().calls).toBe(calls);
    expect(free(bb)).toHaveLength(1);

    // April: item 1 sells 4 → a decrease of 10.00, credited to stock.
    await history(database, tenantId, [
      { item: "1", shop: "0", qoh: 6, cost: "2.5", at: "2026-04-10T09:00:00Z" },
      { item: "1", shop: "1", qoh: 6, at: "2026-04-10T09:00:00Z" },
    ]);
    await writeCursor(database, tenantId, STOCK_CURSOR, { timeStamp: "2026-04-10T09:00:00Z", ids: [], ledgerStartedAt: "2026-02-15T10:00:00Z", caughtUpAt: "2026-04-30T22:20:00Z" });
    const april = await runDueValuations(database, { tenantId, runId: null, bb: target, now: () => Date.parse("2026-04-30T22:30:00Z") });
    // 6 × 2.50 + 4 × 10 + 7 × 1 (item 4 has no average cost: its default cost)
    expect(april.periods).toEqual([{ period: "2026-04", status: "posted", valueCents: 6200, postedCents: -300 }]);
    expect(free(bb).at(-1)).toEqual({ text: "Bestandsveränderung 2026-04 (Butlerbridge)", amount: 300, debit: 3960, credit: 3980, date: "2026-04-30" });

    // Late data: a change from 20 April arrives after April was valued → a correction of the difference only.
    await history(database, tenantId, [
      { item: "2", shop: "0", qoh: 5, cost: "10", at: "2026-04-20T09:00:00Z" },
      { item: "2", shop: "1", qoh: 5, at: "2026-04-20T09:00:00Z" },
    ]);
    const late = await runDueValuations(database, { tenantId, runId: null, bb: target, now: () => Date.parse("2026-04-30T23:00:00Z") });
    expect(late.periods).toEqual([{ period: "2026-04", status: "posted", valueCents: 7200, postedCents: 700 }]);
    expect(free(bb).at(-1)).toEqual({ text: "Bestandsveränderung 2026-04 Korrektur 1 (Butlerbridge)", amount: 1000, debit: 3980, credit: 3960, date: "2026-04-30" });

    // A manual revaluation without new data posts nothing.
    const manual = await revaluePeriod(database, { tenantId, runId: null, period: "2026-03", bb: target, now: () => Date.parse("2026-05-02T10:00:00Z") });
    expect(manual.periods.map((p) => p.status)).toEqual(["posted", "posted"]);
    expect(free(bb)).toHaveLength(3);

    // The stock account's balance equals the latest value: 65.00 − 3.00 + 10.00 = 72.00 (the sandbox keeps cents).
    const balance = free(bb).reduce((s, p) => s + (p.debit === 3980 ? p.amount : -p.amount), 0);
    expect(balance).toBe(7200);
    const list = await listValuations(database, tenantId);
    expect(list.map((v) => [v.period, v.valueCents, v.postedCents, v.postings.length])).toEqual([
      ["2026-04", 7200, 700, 2],
      ["2026-03", 6500, 6500, 1],
    ]);
    const log = await database.selectFrom("activity_log").select(["result", "message"]).where("tenant_id", "=", tenantId).where("entity", "=", "valuation").orderBy("id").execute();
    expect(log[0]!.message).toMatch(/^2026-03: posted increase of 65\.00 € \(debit 3980, credit 3960\)/);
  });

  it("never posts twice when the answer to a posting was lost: it reads back first", async () => {
    const { tenantId, bb, target } = await setup("SKR04");
    await history(database, tenantId, [
      { item: "1", shop: "0", qoh: 3, cost: "4", at: "2026-06-10T09:00:00Z" },
      { item: "1", shop: "1", qoh: 3, at: "2026-06-10T09:00:00Z" },
    ]);
    await writeCursor(database, tenantId, STOCK_CURSOR, { timeStamp: "2026-06-10T09:00:00Z", ids: [], ledgerStartedAt: "2026-06-01T00:00:00Z", caughtUpAt: "2026-07-01T06:00:00Z" });
    // The posting reaches BB, but the answer is lost.
    let lose = true;
    const flaky: ValuationTarget = {
      addFreePosting: async (p) => {
        await target.addFreePosting(p);
        if (lose) {
          lose = false;
          throw new AppError("OUTCOME_UNKNOWN", { detail: "connection reset after sending" });
        }
      },
      hasFreePosting: (p) => target.hasFreePosting(p),
    };
    const now = () => Date.parse("2026-07-01T08:00:00Z");
    await expect(runDueValuations(database, { tenantId, runId: null, bb: flaky, now })).rejects.toThrow(/OUTCOME_UNKNOWN/);
    expect((await listValuations(database, tenantId))[0]).toMatchObject({ period: "2026-06", status: "pending", postedCents: 0 });
    const retry = await runDueValuations(database, { tenantId, runId: null, bb: flaky, now });
    expect(retry.periods).toEqual([{ period: "2026-06", status: "posted", valueCents: 1200, postedCents: 1200 }]);
    expect(free(bb)).toEqual([{ text: "Bestandsveränderung 2026-06 (Butlerbridge)", amount: 1200, debit: 1140, credit: 5880, date: "2026-06-30" }]);
    expect((await listValuations(database, tenantId))[0]!.postings).toEqual([expect.objectContaining({ seq: 1, via: "read_back", amountCents: 1200 })]);
  });

  it("records a baseline without posting for the first period by default, and waits until the ledger is read past the period end", async () => {
    const { tenantId, bb, target } = await setup();
    await saveStockSettings(database, tenantId, { firstValuation: "baseline" });
    await history(database, tenantId, [{ item: "1", shop: "1", qoh: 2, cost: "5", at: "2026-08-05T09:00:00Z" }]);
    await writeCursor(database, tenantId, STOCK_CURSOR, { timeStamp: "2026-08-05T09:00:00Z", ids: [], ledgerStartedAt: "2026-08-01T00:00:00Z", caughtUpAt: "2026-08-31T22:05:00Z" });
    const early = await runDueValuations(database, { tenantId, runId: null, bb: target, now: () => Date.parse("2026-08-31T22:10:00Z") });
    expect(early.periods).toEqual([]);
    expect(early.waiting).toMatch(/2026-08 closes its ledger once the stock has been read past/);
    await writeCursor(database, tenantId, STOCK_CURSOR, { timeStamp: "2026-08-05T09:00:00Z", ids: [], ledgerStartedAt: "2026-08-01T00:00:00Z", caughtUpAt: "2026-08-31T22:30:00Z" });
    const base = await runDueValuations(database, { tenantId, runId: null, bb: target, now: () => Date.parse("2026-08-31T22:40:00Z") });
    expect(base.periods).toEqual([{ period: "2026-08", status: "baseline", valueCents: 1000, postedCents: 0 }]);
    expect(free(bb)).toEqual([]);
  });

  it("values quarters at the quarter end in the shop's zone", async () => {
    const { tenantId, bb, target } = await setup();
    await saveStockSettings(database, tenantId, { valuationFrequency: "quarter" });
    await history(database, tenantId, [
      { item: "1", shop: "0", qoh: 2, cost: "10", at: "2026-05-10T09:00:00Z" },
      { item: "1", shop: "1", qoh: 2, at: "2026-05-10T09:00:00Z" },
      // 30 June 23:30 in Berlin is still Q2.
      { item: "2", shop: "0", qoh: 1, cost: "5", at: "2026-06-30T21:30:00Z" },
      { item: "2", shop: "1", qoh: 1, at: "2026-06-30T21:30:00Z" },
    ]);
    await writeCursor(database, tenantId, STOCK_CURSOR, { timeStamp: "2026-06-30T21:30:00Z", ids: [], ledgerStartedAt: "2026-04-02T00:00:00Z", caughtUpAt: "2026-06-30T23:00:00Z" });
    const r = await runDueValuations(database, { tenantId, runId: null, bb: target, now: () => Date.parse("2026-06-30T23:05:00Z") });
    expect(r.periods).toEqual([{ period: "2026-Q2", status: "posted", valueCents: 2500, postedCents: 2500 }]);
    expect(free(bb)).toEqual([{ text: "Bestandsveränderung 2026-Q2 (Butlerbridge)", amount: 2500, debit: 3980, credit: 3960, date: "2026-06-30" }]);
  });

  it("does not value a period that ended before the ledger existed", async () => {
    const { tenantId, target } = await setup();
    await writeCursor(database, tenantId, STOCK_CURSOR, { timeStamp: null, ids: [], ledgerStartedAt: "2026-09-10T00:00:00Z", caughtUpAt: "2026-09-10T00:00:00Z" });
    const r = await runDueValuations(database, { tenantId, runId: null, bb: target, now: () => Date.parse("2026-09-10T01:00:00Z") });
    expect(r.periods).toEqual([]);
    expect(r.waiting).toMatch(/the ledger started after 2026-08 ended/);
  });
});
