import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { loadStockPage, STOCK_PAGE_SIZE } from "./load-stock-page";
import { saveStockSettings } from "./stock-settings";

const database = testDb();

const level = (tenantId: string, item: string, shop: string, o: { qoh: number; layaway?: number; special?: number; work?: number; backorder?: number; transferIn?: number; cost?: string }) => ({
  tenant_id: tenantId,
  item_id: item,
  shop_id: shop,
  item_shop_id: `${item}-${shop}`,
  qoh: o.qoh,
  sellable: Math.max(0, o.qoh),
  on_layaway: o.layaway ?? 0,
  on_special_order: o.special ?? 0,
  on_work_order: o.work ?? 0,
  backorder: o.backorder ?? 0,
  on_transfer_in: o.transferIn ?? 0,
  on_transfer_out: 0,
  component_qoh: 0,
  average_cost: o.cost ?? null,
  ls_timestamp: new Date("2026-05-01T10:00:00Z"),
});

async function shop() {
  const tenantId = await createTestTenant(database);
  const p = (id: string, sku: string, description: string, type = "default", defaultCost: string | null = null, kind: "simple" | "variant" = "simple") => ({
    tenant_id: tenantId, item_id: id, sku, sku_key: sku.toLowerCase(), sku_source: "customSku", kind, item_type: type, description, default_cost: defaultCost, source: "{}", source_hash: "h", updated_at: new Date(),
  });
  await database
    .insertInto("products")
    .values([p("1", "TEE-RED", "T-Shirt rot", "default", null, "variant"), p("2", "MUG", "Becher", "default", "3.50"), p("3", "GIFT", "Geschenkpapier", "non_inventory"), p("4", "NOCOST", "Ohne Preis")])
    .execute();
  await database
    .insertInto("stock_shops")
    .values([
      { tenant_id: tenantId, shop_id: "1", name: "Mitte", time_zone: "Europe/Berlin", archived: false, updated_at: new Date() },
      { tenant_id: tenantId, shop_id: "2", name: "Nord", time_zone: "Europe/Berlin", archived: false, updated_at: new Date() },
    ])
    .execute();
  await database
    .insertInto("stock_levels")
    .values([
      level(tenantId, "1", "1", { qoh: 10, layaway: 2, special: 1, work: 1, backorder: 5, transferIn: 1 }),
      level(tenantId, "1", "2", { qoh: -2 }),
      level(tenantId, "1", "0", { qoh: 8, layaway: 2, special: 1, work: 1, cost: "2.25" }),
      level(tenantId, "2", "2", { qoh: 4 }),
      level(tenantId, "3", "1", { qoh: 99 }),
      level(tenantId, "4", "1", { qoh: 1 }),
    ])
    .execute();
  return tenantId;
}

describe("the stock page's data", () => {
  it("shows one shop's available stock by the chosen formula, on hand, reservations by kind and value at cost", async () => {
    const tenantId = await shop();
    const mitte = await loadStockPage(database, tenantId, { shopId: "1" });
    expect(mitte.shops.map((s) => s.name)).toEqual(["Mitte", "Nord"]);
    expect(mitte.settings.availableFormula).toBe("on_hand_minus_reserved");
    // Non-inventory items (gift wrap) have no stock to show.
    expect(mitte.rows.map((r) => r.sku)).toEqual(["NOCOST", "TEE-RED"]);
    expect(mitte.rows.find((r) => r.sku === "TEE-RED")).toEqual({
      itemId: "1", sku: "TEE-RED", description: "T-Shirt rot", variant: true,
      onHand: 10, available: 6, onLayaway: 2, onSpecialOrder: 1, onWorkOrder: 1, incoming: 6,
      valueCents: 2250, // 10 × 2.25, the all-shops average cost
      costMissing: false,
    });
    expect(mitte.rows.find((r) => r.sku === "NOCOST")).toMatchObject({ valueCents: 0, costMissing: true });

    // The formula the merchant chose is what the page computes.
    await saveStockSettings(database, tenantId, { availableFormula: "on_hand_minus_reserved_plus_incoming" });
    expect((await loadStockPage(database, tenantId, { shopId: "1", search: "tee" })).rows.map((r) => [r.sku, r.available])).toEqual([["TEE-RED", 12]]);
    await saveStockSettings(database, tenantId, { availableFormula: "on_hand" });
    // All shops: per-shop values summed, so shop 2's −2 shows in on hand but its value counts 0.
    const all = await loadStockPage(database, tenantId, {});
    expect(all.shopId).toBeNull();
    expect(all.rows.map((r) => [r.sku, r.onHand, r.available, r.valueCents])).toEqual([
      ["MUG", 4, 4, 1400], // 4 × 3.50 default cost: no average cost known
      ["NOCOST", 1, 1, 0],
      ["TEE-RED", 8, 8, 2250],
    ]);
  });

  it("searches by SKU or name, pages through large shops, and never shows another tenant's shop", async () => {
    const tenantId = await shop();
    expect((await loadStockPage(database, tenantId, { search: "Becher" })).rows.map((r) => r.sku)).toEqual(["MUG"]);
    expect((await loadStockPage(database, tenantId, { search: "mug" })).rows.map((r) => r.sku)).toEqual(["MUG"]);
    expect((await loadStockPage(database, tenantId, { search: "nothing-like-this" })).rows).toEqual([]);

    const many = Array.from({ length: STOCK_PAGE_SIZE + 7 }, (_, k) => String(100 + k));
    await database
      .insertInto("products")
      .values(many.map((id) => ({ tenant_id: tenantId, item_id: id, sku: `BULK-${id}`, sku_key: `bulk-${id}`, sku_source: "customSku", kind: "simple" as const, item_type: "default", source: "{}", source_hash: "h", updated_at: new Date() })))
      .execute();
    await database.insertInto("stock_levels").values(many.map((id) => level(tenantId, id, "1", { qoh: 1 }))).execute();
    const first = await loadStockPage(database, tenantId, { search: "BULK" });
    expect([first.total, first.pageCount, first.rows.length]).toEqual([STOCK_PAGE_SIZE + 7, 2, STOCK_PAGE_SIZE]);
    const second = await loadStockPage(database, tenantId, { search: "BULK", page: 2 });
    expect(second.rows.map((r) => r.sku)).toEqual(many.slice(STOCK_PAGE_SIZE).map((id) => `BULK-${id}`));
    // Past the end: the last page, not an empty one.
    expect((await loadStockPage(database, tenantId, { search: "BULK", page: 99 })).page).toBe(2);

    const other = await shop();
    const foreign = await loadStockPage(database, other, { shopId: "1" });
    expect(foreign.rows.every((r) => !r.sku?.startsWith("BULK"))).toBe(true);
    // A shop id that is not the tenant's falls back to all shops.
    expect((await loadStockPage(database, tenantId, { shopId: "77" })).shopId).toBeNull();
  });
});
