import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, startSandbox, type Connected } from "@/lib/lightspeed/sandbox.test-helpers";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { testDb } from "@/scripts/test/db";
import { saveProductSettings } from "../products/product-settings";
import { listStock } from "./list-stock";
import { saveStockSettings } from "./stock-settings";
import { productsSync } from "@/inngest/functions/products-sync";
import { stockSync } from "@/inngest/functions/stock-sync";
import { runFlowNow } from "@/inngest/run-flow-now";
import type { LightspeedClient } from "@/lib/lightspeed";
import { buildSyncDeps } from "../deps";

const database = testDb();

/** Whole product and stock syncs through the real jobs, on the test's Lightspeed client. */
const deps = (client: LightspeedClient) => (id: string) => buildSyncDeps(database, id, { ls: client });
const syncProductsNow = (input: { tenantId: string; kind: "poll"; client: LightspeedClient }) => runFlowNow(productsSync, deps(input.client), { tenantId: input.tenantId, kind: input.kind });
const syncStockNow = (input: { tenantId: string; kind: "poll"; client: LightspeedClient }) => runFlowNow(stockSync, deps(input.client), { tenantId: input.tenantId, kind: input.kind });
let sandbox: LightspeedSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ speed: 50, seed: 7 });
});
afterAll(async () => {
  await sandbox.close();
});

async function connectedTenant(): Promise<Connected> {
  const c = await connect(database, sandbox);
  await saveProductSettings(database, c.tenantId, {}, true);
  await saveStockSettings(database, c.tenantId, {}, true);
  return c;
}

describe("stock flow against the Lightspeed sandbox", () => {
  it("loads the ledger, then an incremental poll catches a stock-only change (Item.timeStamp does not move)", async () => {
    const c = await connectedTenant();
    const store = sandbox.store;
    const first = await syncStockNow({ tenantId: c.tenantId, kind: "poll", client: c.client });
    expect(first.status).toBe("succeeded");
    const rows = [...store.itemShops.values()];
    const levels = await database.selectFrom("stock_levels").select((eb) => eb.fn.countAll<string>().as("n")).where("tenant_id", "=", c.tenantId).executeTakeFirstOrThrow();
    expect(Number(levels.n)).toBe(rows.length);

    // An idle poll: one Lightspeed request (the overlap re-read), nothing written.
    const before = c.client.stats();
    const idle = await syncStockNow({ tenantId: c.tenantId, kind: "poll", client: c.client });
    const idleDrips = c.client.stats().drips - before.drips;
    expect(idleDrips).toBeLessThanOrEqual(2);
    expect(idle.counts).toMatchObject({ created: 0, updated: 0 });

    // Sell 3 units in shop 1 of an item with stock there: only ItemShop timeStamps move.
    const row = rows.find((r) => r.shopId === 1 && r.qoh > 5)!;
    const item = store.items.get(row.itemId)!;
    const itemStamp = item.timeStamp;
    const oldQoh = row.qoh;
    sandbox.mutate({ action: "changeStock", itemId: row.itemId, shopId: 1, delta: -3 });
    expect(store.items.get(row.itemId)!.timeStamp).toBe(itemStamp);

    // The product flow sees no item change …
    await syncProductsNow({ tenantId: c.tenantId, kind: "poll", client: c.client });
    const products = await syncProductsNow({ tenantId: c.tenantId, kind: "poll", client: c.client });
    expect(products.counts).toMatchObject({ created: 0, updated: 0 });
    // … the stock flow does.
    const poll = await syncStockNow({ tenantId: c.tenantId, kind: "poll", client: c.client });
    expect(poll.counts).toMatchObject({ updated: 2, failed: 0 }); // shop 1 and the all-shops row
    const level = await database.selectFrom("stock_levels").selectAll().where("tenant_id", "=", c.tenantId).where("item_id", "=", String(row.itemId)).where("shop_id", "=", "1").executeTakeFirstOrThrow();
    expect(level.qoh).toBe(oldQoh - 3);
    const history = await database.selectFrom("stock_history").select(["qoh"]).where("tenant_id", "=", c.tenantId).where("item_id", "=", String(row.itemId)).where("shop_id", "=", "1").orderBy("id").execute();
    expect(history.map((h) => h.qoh)).toEqual([oldQoh, oldQoh - 3]);
    const log = await database.selectFrom("activity_log").select(["message", "result"]).where("tenant_id", "=", c.tenantId).where("flow", "=", "stock").where("source_id", "=", String(row.itemId)).orderBy("id", "desc").limit(2).execute();
    expect(log.map((l) => l.result)).toEqual(["updated", "updated"]);
    expect(log.some((l) => l.message.startsWith(`shop 1: on hand ${oldQoh} → ${oldQoh - 3}`))).toBe(true);

    // The listing the UI uses shows it with the product's SKU and the default formula.
    const list = await listStock(database, c.tenantId, { search: String(row.itemId) });
    const entry = list.rows.find((r) => r.itemId === String(row.itemId))!;
    expect(entry.shops.find((s) => s.shopId === "1")).toMatchObject({ qoh: oldQoh - 3, available: Math.max(0, oldQoh - 3) });
    expect(entry.sku).toBeTruthy();
  });
});
