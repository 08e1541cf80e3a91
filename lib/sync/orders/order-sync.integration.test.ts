import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { InlineDriver } from "@/inngest/inline-driver";
import { ORDERS_BACKFILL_EVENT, ORDERS_SYNC_EVENT } from "@/inngest/events";
import { ordersSync } from "@/inngest/functions/orders-sync";
import { testDb } from "@/scripts/test/db";
import { addDays } from "@/lib/time";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import { buildSyncDeps } from "../deps";
import { runOrdersPage, startOrdersRun } from "./run-orders-sync";
import { reconcileDays } from "./reconcile-days";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function backfill(w: OrderWorld) {
  const driver = new InlineDriver({ definitions: [ordersSync.withDeps(w.deps)], backoffMs: () => 5 });
  const from = new Date(w.ls.clock.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  await driver.send({ name: ORDERS_BACKFILL_EVENT, data: { tenantId: w.tenantId, kind: "backfill", from } });
  await driver.idle();
  const failed = [...driver.runs.values()].filter((r) => r.status === "failed");
  expect(failed.map((r) => String(r.error))).toEqual([]);
  return { driver, from };
}

async function reconcileAll(w: OrderWorld, from: string) {
  const to = new Date(w.ls.clock.now()).toISOString().slice(0, 10);
  const days = await reconcileDays(database, { ls: w.lsClient(), bb: w.bbClient() }, w.tenantId, { from, to: addDays(to, -1) });
  return days;
}

describe("order sync against both sandboxes", () => {
  it("posts every completed sale exactly once and reconciles every day to the cent (per-sale mode)", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 150, days: 6, items: 80, customers: 30 } } });
    const { from } = await backfill(world);

    const links = await database.selectFrom("sync_links").select(["source_id", "status", "last_error"]).where("tenant_id", "=", world.tenantId).where("entity", "=", "sale").execute();
    const failed = links.filter((l) => l.status === "failed");
    expect(failed.map((f) => f.last_error)).toEqual([]);
    expect(links.filter((l) => l.status === "done").length).toBeGreaterThan(50);

    const receipts = world.bb.tenant(world.bbApiKey).receipts.filter((r) => !r.deleted);
    const numbers = receipts.map((r) => r.invoiceNumber);
    expect(new Set(numbers).size).toBe(numbers.length);

    const days = await reconcileAll(world, from);
    const bad = days.filter((d) => !d.ok);
    expect(bad.map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
    expect(days.reduce((a, d) => a + d.expected.sales, 0)).toBeGreaterThan(50);
    // Lightspeed's own PaymentsByDay report agrees with its sales.
    expect(days.flatMap((d) => d.report.differences)).toEqual([]);

    // A second poll with nothing new changes nothing in BB.
    const before = world.bb.stats(world.bbApiKey).requests;
    const driver = new InlineDriver({ definitions: [ordersSync.withDeps(world.deps)], backoffMs: () => 5 });
    await driver.send({ name: ORDERS_SYNC_EVENT, data: { tenantId: world.tenantId, kind: "poll" } });
    await driver.idle();
    expect(world.bb.stats(world.bbApiKey).requests).toBe(before);
  }, 300_000);
});

describe("changes after posting", () => {
  it("reverses a sale voided after it was posted and stays reconciled", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 60, days: 3, items: 40, customers: 15 } } });
    const { from } = await backfill(world);
    const posted = await database
      .selectFrom("sync_links")
      .select(["source_id", "target_ids"])
      .where("tenant_id", "=", world.tenantId)
      .where("entity", "=", "sale")
      .where("status", "=", "done")
      .execute();
    const victim = posted.find((p) => ((p.target_ids as { plan?: { tenders: unknown[] } }).plan?.tenders.length ?? 0) > 0)!;
    world.ls.mutate({ action: "voidSale", saleId: Number(victim.source_id) });

    const driver = new InlineDriver({ definitions: [ordersSync.withDeps(world.deps)], backoffMs: () => 5 });
    await driver.send({ name: ORDERS_SYNC_EVENT, data: { tenantId: world.tenantId, kind: "poll" } });
    await driver.idle();

    const link = await database.selectFrom("sync_links").select(["status", "target_ids"]).where("tenant_id", "=", world.tenantId).where("entity", "=", "sale").where("source_id", "=", victim.source_id).executeTakeFirstOrThrow();
    expect(link.status).toBe("voided");
    const v = (link.target_ids as { void: { cancelled: string[]; reversals: Record<string, { transactionId: string; posted: boolean }> } }).void;
    expect(v.cancelled.length).toBeGreaterThan(0);
    expect(Object.values(v.reversals).every((r) => r.transactionId && r.posted)).toBe(true);

    const days = await reconcileAll(world, from);
    expect(days.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
  }, 300_000);
});

describe("daily summary mode", () => {
  it("posts one receipt per shop and closed day, corrects a late change, and reconciles every day", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 120, days: 5, items: 60, customers: 20 } }, settings: { postingMode: "daily_summary", individualForIdentifiedCustomers: true } });
    const { from } = await backfill(world);

    const days = await database.selectFrom("sync_links").select(["source_id", "status"]).where("tenant_id", "=", world.tenantId).where("entity", "=", "day").execute();
    expect(days.length).toBeGreaterThan(2);
    expect(days.every((d) => d.status === "done")).toBe(true);
    const receipts = world.bb.tenant(world.bbApiKey).receipts.filter((r) => !r.deleted);
    expect(receipts.filter((r) => r.invoiceNumber.startsWith("Z-")).length).toBe(days.filter((d) => !d.source_id.includes("#")).length - 0);

    // A sale of an already posted day is voided: the day gets a correcting receipt, never an edit.
    const daySale = await database
      .selectFrom("sync_links")
      .select(["source_id", "target_ids"])
      .where("tenant_id", "=", world.tenantId)
      .where("entity", "=", "sale")
      .where("step", "=", "day")
      .where("status", "=", "done")
      // A sale that moves the day's total; which row comes first otherwise depends on the heap order.
      .where(sql<number>`(target_ids->'summary'->>'total')::bigint`, "<>", 0)
      .orderBy("source_id")
      .executeTakeFirstOrThrow();
    world.ls.mutate({ action: "voidSale", saleId: Number(daySale.source_id) });
    const driver = new InlineDriver({ definitions: [ordersSync.withDeps(world.deps)], backoffMs: () => 5 });
    await driver.send({ name: ORDERS_SYNC_EVENT, data: { tenantId: world.tenantId, kind: "poll" } });
    await driver.idle();
    const corrections = world.bb.tenant(world.bbApiKey).receipts.filter((r) => /-K1$/.test(r.invoiceNumber));
    const dayKey = (daySale.target_ids as { dayKey: string }).dayKey;
    const dayLink = await database.selectFrom("sync_links").select(["status", "target_ids"]).where("tenant_id", "=", world.tenantId).where("entity", "=", "day").where("source_id", "=", dayKey).executeTakeFirst();
    const saleLink = await database.selectFrom("sync_links").select(["status", "step"]).where("tenant_id", "=", world.tenantId).where("entity", "=", "sale").where("source_id", "=", daySale.source_id).executeTakeFirst();
    expect(corrections, JSON.stringify({ dayKey, sale: saleLink, day: { status: dayLink?.status, corrections: (dayLink?.target_ids as { corrections?: number })?.corrections } })).toHaveLength(1);

    const to = addDays(new Date(world.ls.clock.now()).toISOString().slice(0, 10), -2);
    const result = await reconcileDays(database, { ls: world.lsClient(), bb: world.bbClient() }, world.tenantId, { from, to });
    expect(result.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
  }, 300_000);
});

describe("a backfill step when BB fails for good", () => {
  it("stops reading Lightspeed, books nothing half and fails the step for its retry", async () => {
    // Every receipt batch answers 500 (never after commit), so the first chunk fails after the client's retries.
    world = await startOrderWorld(database, {
      ls: { sizes: { sales: 2500, days: 10, items: 80, customers: 30 } },
      bbFaults: { error500Rate: 1, error500AfterCommitShare: 0, paths: ["receipts/addBatch"] },
    });
    const w = world;
    let pagesRead = 0;
    // The production clients, with Lightspeed's sales pages counted as the step takes them.
    const deps = (() => {
      const ls = w.lsClient();
      const counted = new Proxy(ls, {
        get(target, key) {
          if (key !== "readSales") return Reflect.get(target, key, target) as unknown;
          return (...args: Parameters<typeof ls.readSales>) => {
            const pages = target.readSales(...args);
            return {
              async *[Symbol.asyncIterator]() {
                for await (const page of pages) {
                  pagesRead++;
                  yield page;
                }
              },
            };
          };
        },
      });
      return buildSyncDeps(database, w.tenantId, { ls: counted, bb: w.bbClient() });
    })();
    const from = new Date(w.ls.clock.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const run = await startOrdersRun(deps, { tenantId: w.tenantId, kind: "backfill", from });
    expect(run.proceed).toBe(true);
    if (!run.proceed) return;
    const cursor = () => database.selectFrom("sync_cursors").select("cursor").where("tenant_id", "=", w.tenantId).where("entity", "=", "sales").executeTakeFirst();
    const cursorBefore = await cursor();

    await expect(runOrdersPage(deps, { tenantId: w.tenantId, runId: run.runId, kind: "backfill", firstPage: true })).rejects.toThrow();

    // 25 pages are there and the step may read 50; it stops once the writer has failed (at most the pages in
    // flight when it failed: 14 chunks of 50 and the page being read ahead).
    expect(pagesRead).toBeGreaterThan(0);
    expect(pagesRead).toBeLessThanOrEqual(9);
    expect(w.bb.tenant(w.bbApiKey).receipts).toEqual([]);
    const done = await database.selectFrom("sync_links").select("source_id").where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").where("status", "=", "done").execute();
    expect(done).toEqual([]);
    // The cursor did not move: the retry reads the same sales again.
    expect(await cursor()).toEqual(cursorBefore);
  }, 120_000);
});
