import { sql } from "kysely";
import type { Database } from "../../db";
import { availableStock, incomingOf, reservedOf, totalAvailable, type AvailableFormula } from "./available-stock";
import { valueRows } from "./compute-stock-value";
import { loadStockSettings } from "./stock-settings";

export interface StockShopRow {
  shopId: string;
  /** "Alle Filialen" for the all-shops row. */
  shopName: string;
  qoh: number;
  reserved: number;
  /** Reservations by kind (all still inside qoh). */
  onLayaway: number;
  onSpecialOrder: number;
  onWorkOrder: number;
  incoming: number;
  available: number;
  averageCost: string | null;
  /** This shop's units at the item's cost, by the same rule as the valuation posting (negative stock counts 0). */
  valueCents: number;
  lsTimeStamp: Date;
}

export interface StockListRow {
  itemId: string;
  sku: string | null;
  description: string | null;
  kind: "simple" | "variant" | null;
  matrixId: string | null;
  /** Per shop (the all-shops row "0" last). */
  shops: StockShopRow[];
  totalOnHand: number;
  totalAvailable: number;
  totalValueCents: number;
  /** Stock but no cost anywhere (average, per shop, default): valued at 0, as the valuation does. */
  costMissing: boolean;
}

/**
 * Stock per item and shop with "available" per the tenant's formula, for the stock screen. Non-inventory
 * items are left out. Ordered by SKU; `search` matches SKU, description or itemID.
 */
export async function listStock(
  database: Database,
  tenantId: string,
  options: { search?: string; shopId?: string; limit?: number; offset?: number; formula?: AvailableFormula } = {},
): Promise<{ formula: AvailableFormula; total: number; rows: StockListRow[] }> {
  const formula = options.formula ?? (await loadStockSettings(database, tenantId)).settings.availableFormula;
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const q = options.search?.trim();
  let base = database
    .selectFrom("stock_levels as l")
    .leftJoin("products as p", (j) => j.onRef("p.tenant_id", "=", "l.tenant_id").onRef("p.item_id", "=", "l.item_id"))
    .where("l.tenant_id", "=", tenantId)
    .where((eb) => eb.or([eb("p.item_type", "is", null), eb("p.item_type", "!=", "non_inventory")]));
  if (q) {
    const like = `%${q.replace(/[%_\\]/g, "\\$&")}%`;
    base = base.where((eb) => eb.or([eb("p.sku", "ilike", like), eb("p.description", "ilike", like), eb("l.item_id", "=", q)]));
  }
  if (options.shopId) base = base.where("l.shop_id", "=", options.shopId);
  const totalRow = await base.select(sql<string>`count(distinct l.item_id)`.as("n")).executeTakeFirst();
  const items = await base
    .select(["l.item_id", "p.sku", "p.description", "p.kind", "p.matrix_id", "p.default_cost"])
    .groupBy(["l.item_id", "p.sku", "p.description", "p.kind", "p.matrix_id", "p.default_cost"])
    .orderBy(sql`coalesce(p.sku, l.item_id)`)
    .limit(limit)
    .offset(options.offset ?? 0)
    .execute();
  if (items.length === 0) return { formula, total: Number(totalRow?.n ?? 0), rows: [] };
  const [levels, shops] = await Promise.all([
    database.selectFrom("stock_levels").selectAll().where("tenant_id", "=", tenantId).where("item_id", "in", items.map((i) => i.item_id)).execute(),
    database.selectFrom("stock_shops").select(["shop_id", "name"]).where("tenant_id", "=", tenantId).execute(),
  ]);
  const shopName = new Map(shops.map((s) => [s.shop_id, s.name]));
  const byItem = new Map<string, typeof levels>();
  for (const l of levels) byItem.set(l.item_id, [...(byItem.get(l.item_id) ?? []), l]);
  const rows = items.map((i): StockListRow => {
    const ls = (byItem.get(i.item_id) ?? []).filter((l) => !options.shopId || l.shop_id === options.shopId || l.shop_id === "0");
    const valuation = ls.map((l) => ({ itemId: i.item_id, shopId: l.shop_id, qoh: l.qoh, averageCost: l.average_cost, itemType: null, defaultCost: i.default_cost }));
    const summary = valuation.filter((v) => v.shopId === "0");
    const total = valueRows(valuation);
    const quantities = ls.map((l) => ({ shopId: l.shop_id, qoh: l.qoh, onLayaway: l.on_layaway, onSpecialOrder: l.on_special_order, onWorkOrder: l.on_work_order, backorder: l.backorder, onTransferIn: l.on_transfer_in }));
    const shopRows = ls
      .map((l, k) => {
        const qq = quantities[k]!;
        return {
          shopId: l.shop_id,
          shopName: l.shop_id === "0" ? "Alle Filialen" : (shopName.get(l.shop_id) ?? `Filiale ${l.shop_id}`),
          qoh: l.qoh,
          reserved: reservedOf(qq),
          onLayaway: l.on_layaway,
          onSpecialOrder: l.on_special_order,
          onWorkOrder: l.on_work_order,
          incoming: incomingOf(qq),
          available: availableStock(qq, formula),
          averageCost: l.average_cost,
          valueCents: valueRows([valuation[k]!, ...(l.shop_id === "0" ? [] : summary)]).valueCents,
          lsTimeStamp: l.ls_timestamp,
        };
      })
      .sort((a, b) => (a.shopId === "0" ? 1 : b.shopId === "0" ? -1 : Number(a.shopId) - Number(b.shopId)));
    const perShop = quantities.filter((x) => x.shopId !== "0");
    return {
      itemId: i.item_id,
      sku: i.sku,
      description: i.description,
      kind: i.kind,
      matrixId: i.matrix_id,
      shops: shopRows,
      totalOnHand: (perShop.length ? perShop : quantities).reduce((s, x) => s + x.qoh, 0),
      totalAvailable: totalAvailable(quantities, formula),
      totalValueCents: total.valueCents,
      costMissing: total.missingCost.length > 0,
    };
  });
  return { formula, total: Number(totalRow?.n ?? 0), rows };
}
