import { describe, expect, it } from "vitest";
import type { LsItemShop } from "@/lib/lightspeed/domain";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { applyItemShopsPage } from "./apply-item-shops-page";
import { listStock } from "./list-stock";

const database = testDb();

const row = (o: Partial<LsItemShop> & { itemId: string; shopId: string }): LsItemShop => ({
  itemShopId: `${o.itemId}${o.shopId}`,
  qoh: 0,
  sellable: 0,
  backorder: 0,
  componentQoh: 0,
  onLayaway: 0,
  onSpecialOrder: 0,
  onWorkOrder: 0,
  onTransferIn: 0,
  onTransferOut: 0,
  averageCost: null,
  totalValueAvgCost: null,
  totalValueFifo: null,
  timeStamp: "2026-05-01T10:00:00.000Z",
  ...o,
});

async function tenant() {
  const tenantId = await createTestTenant(database);
  const p = (id: string, type: string) => ({ tenant_id: tenantId, item_id: id, sku: `SKU-${id}`, sku_key: `sku-${id}`, sku_source: "customSku", kind: "simple" as const, item_type: type, source: "{}", source_hash: "h", updated_at: new Date() });
  await database.insertInto("products").values([p("1", "default"), p("2", "non_inventory")]).execute();
  await database.insertInto("stock_shops").values([{ tenant_id: tenantId, shop_id: "1", name: "Mitte", time_zone: "Europe/Berlin", archived: false, updated_at: new Date() }]).execute();
  return tenantId;
}

describe("stock ledger writes", () => {
  it("keeps reservations, incoming and negative stock per shop; available follows the formula; non-inventory is skipped", async () => {
    const tenantId = await tenant();
    const r = await applyItemShopsPage(database, {
      tenantId,
      runId: null,
      formula: "on_hand_minus_reserved",
      redactPii: false,
      rows: [
        row({ itemId: "1", shopId: "1", qoh: 5, sellable: 5, onLayaway: 2, onSpecialOrder: 1, onWorkOrder: 1, backorder: 3, onTransferIn: 2 }),
        row({ itemId: "1", shopId: "2", qoh: -2, sellable: 0 }),
        row({ itemId: "1", shopId: "0", qoh: 3, sellable: 3, onLayaway: 2, onSpecialOrder: 1, onWorkOrder: 1, averageCost: "4.1234567" }),
        row({ itemId: "2", shopId: "1", qoh: 50, sellable: 50 }),
      ],
    });
    expect(r).toEqual({ created: 3, updated: 0, unchanged: 0, skipped: 1, failed: 0 });
    const list = await listStock(database, tenantId);
    expect(list.rows).toHaveLength(1);
    const item = list.rows[0]!;
    expect(item.shops.map((s) => [s.shopId, s.shopName, s.qoh, s.reserved, s.incoming, s.available])).toEqual([
      ["1", "Mitte", 5, 4, 5, 1],
      ["2", "Filiale 2", -2, 0, 0, 0],
      ["0", "Alle Filialen", 3, 4, 0, 0],
    ]);
    expect(item).toMatchObject({ totalOnHand: 3, totalAvailable: 1 });
    expect((await listStock(database, tenantId, { formula: "on_hand_minus_reserved_plus_incoming" })).rows[0]!.totalAvailable).toBe(6);
    expect((await listStock(database, tenantId, { formula: "on_hand" })).rows[0]!.totalAvailable).toBe(3);
    expect((await listStock(database, tenantId, { formula: "sellable" })).rows[0]!.totalAvailable).toBe(5);
    const skipped = await database.selectFrom("activity_log").select(["result", "message"]).where("tenant_id", "=", tenantId).where("result", "=", "skipped").execute();
    expect(skipped).toEqual([{ result: "skipped", message: "Skipped shop 1: non-inventory item (no stock kept)" }]);
    expect(await database.selectFrom("stock_levels").select("item_id").where("tenant_id", "=", tenantId).where("item_id", "=", "2").execute()).toEqual([]);
  });

  it("an unchanged re-read writes nothing; a change appends history; a broken row fails alone", async () => {
    const tenantId = await tenant();
    const base = row({ itemId: "1", shopId: "1", qoh: 5, sellable: 5 });
    await applyItemShopsPage(database, { tenantId, runId: null, formula: "on_hand_minus_reserved", redactPii: false, rows: [base] });
    expect(await applyItemShopsPage(database, { tenantId, runId: null, formula: "on_hand_minus_reserved", redactPii: false, rows: [base] })).toMatchObject({ unchanged: 1, created: 0, updated: 0 });
    const r = await applyItemShopsPage(database, {
      tenantId,
      runId: null,
      formula: "on_hand_minus_reserved",
      redactPii: false,
      rows: [{ ...base, qoh: 4, sellable: 4, onLayaway: 1, timeStamp: "2026-05-01T11:00:00.000Z" }, row({ itemId: "3", shopId: "1", qoh: 1.5 })],
    });
    expect(r).toMatchObject({ updated: 1, failed: 1 });
    const history = await database.selectFrom("stock_history").select(["qoh", "on_layaway"]).where("tenant_id", "=", tenantId).orderBy("id").execute();
    expect(history).toEqual([{ qoh: 5, on_layaway: 0 }, { qoh: 4, on_layaway: 1 }]);
    const failed = await database.selectFrom("activity_log").select("message").where("tenant_id", "=", tenantId).where("result", "=", "failed").executeTakeFirstOrThrow();
    expect(failed.message).toBe("Lightspeed inventory row 31 (item 3, shop 1): qoh 1.5 is not a whole number of units");
    const updated = await database.selectFrom("activity_log").select("message").where("tenant_id", "=", tenantId).where("result", "=", "updated").executeTakeFirstOrThrow();
    expect(updated.message).toBe("shop 1: on hand 5 → 4, reserved 1, incoming 0, available 3");
  });
});
