import { sql } from "kysely";
import type { Database } from "../../db";
import { decimal, toCents } from "../../money";

export interface StockValue {
  valueCents: number;
  /** Item × shop rows that contributed. */
  rows: number;
  items: number;
  /** Rows with negative stock, valued at 0 (they are counting errors, not negative assets). */
  negativeRows: number;
  /** Items without any cost (no average cost, no default cost): valued at 0 and listed. */
  missingCost: string[];
  nonInventorySkipped: number;
}

export interface ValuationRow {
  itemId: string;
  shopId: string;
  qoh: number;
  averageCost: string | null;
  itemType: string | null;
  defaultCost: string | null;
}

/**
 * Stock value at average cost, from the rows of one instant. Lightspeed keeps averageCost only on the
 * all-shops row (shopID 0), so each shop's units are valued at the item's shop-0 cost; an item without
 * per-shop rows is valued from its shop-0 row. Negative stock counts as 0. Summed exactly, rounded once.
 */
export function valueRows(rows: ValuationRow[]): StockValue {
  const byItem = new Map<string, ValuationRow[]>();
  for (const r of rows) {
    const list = byItem.get(r.itemId);
    if (list) list.push(r);
    else byItem.set(r.itemId, [r]);
  }
  let total = decimal(0);
  const out: StockValue = { valueCents: 0, rows: 0, items: 0, negativeRows: 0, missingCost: [], nonInventorySkipped: 0 };
  for (const [itemId, list] of byItem) {
    if (list[0]!.itemType === "non_inventory") {
      out.nonInventorySkipped++;
      continue;
    }
    const summary = list.find((r) => r.shopId === "0");
    const perShop = list.filter((r) => r.shopId !== "0");
    const use = perShop.length ? perShop : summary ? [summary] : [];
    const costText = summary?.averageCost ?? perShop.find((r) => r.averageCost !== null)?.averageCost ?? list[0]!.defaultCost;
    const cost = costText === null ? null : decimal(costText);
    out.items++;
    for (const r of use) {
      out.rows++;
      if (r.qoh < 0) out.negativeRows++;
      if (r.qoh <= 0) continue;
      if (cost === null || cost.isZero()) {
        if (cost === null && !out.missingCost.includes(itemId)) out.missingCost.push(itemId);
        continue;
      }
      total = total.plus(cost.times(r.qoh));
    }
  }
  out.valueCents = toCents(total);
  return out;
}

/** The ledger's stock value as of an instant (exclusive): each row's last state observed before it. */
export async function computeStockValue(database: Database, tenantId: string, asOf: Date): Promise<StockValue> {
  const result = await sql<{ item_id: string; shop_id: string; qoh: number; average_cost: string | null; item_type: string | null; default_cost: string | null }>`
    with latest as (
      select distinct on (item_id, shop_id) item_id, shop_id, qoh, average_cost
      from stock_history
      where tenant_id = ${tenantId} and ls_timestamp < ${asOf}
      order by item_id, shop_id, ls_timestamp desc, id desc
    )
    select l.item_id, l.shop_id, l.qoh, l.average_cost::text as average_cost, p.item_type, p.default_cost
    from latest l
    left join products p on p.tenant_id = ${tenantId} and p.item_id = l.item_id
  `.execute(database);
  return valueRows(
    result.rows.map((r) => ({ itemId: r.item_id, shopId: r.shop_id, qoh: r.qoh, averageCost: r.average_cost, itemType: r.item_type, defaultCost: r.default_cost })),
  );
}
