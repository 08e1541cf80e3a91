import type { Database } from "../../db";
import { CHART_DEFAULTS, type Chart } from "../../mapping/chart-defaults";
import { loadOrderMappings } from "../../mapping/order-mappings";
import { listStock } from "./list-stock";
import { listValuations } from "./post-inventory-valuation";
import { loadStockSettings, type StockSettings } from "./stock-settings";

export const STOCK_PAGE_SIZE = 50;

export interface StockPageRow {
  itemId: string;
  sku: string | null;
  description: string | null;
  variant: boolean;
  onHand: number;
  available: number;
  onLayaway: number;
  onSpecialOrder: number;
  onWorkOrder: number;
  incoming: number;
  valueCents: number;
  costMissing: boolean;
}

export interface StockPage {
  enabled: boolean;
  settings: StockSettings;
  chart: Chart | null;
  /** What the valuation posts to when the merchant leaves an account empty (null: chart not known yet). */
  defaultAccounts: { stock: number; stockChange: number } | null;
  shops: { shopId: string; name: string }[];
  /** The shop shown; null = all shops. */
  shopId: string | null;
  search: string;
  page: number;
  pageCount: number;
  total: number;
  rows: StockPageRow[];
  valuations: Awaited<ReturnType<typeof listValuations>>;
}

/**
 * The stock screen's data: one page of items in one shop (or summed over all shops, the way the formula sums
 * them) with available stock by the tenant's formula, reservations by kind and value at cost, plus the stock
 * settings and the latest valuations. A shop that is not the tenant's shows nothing rather than another's.
 */
export async function loadStockPage(database: Database, tenantId: string, query: { shopId?: string | null; search?: string; page?: number } = {}): Promise<StockPage> {
  const [{ enabled, settings }, mappings, shopRows, valuations] = await Promise.all([
    loadStockSettings(database, tenantId),
    loadOrderMappings(database, tenantId),
    database.selectFrom("stock_shops").select(["shop_id", "name"]).where("tenant_id", "=", tenantId).where("archived", "=", false).execute(),
    listValuations(database, tenantId, 12),
  ]);
  const shops = shopRows.map((s) => ({ shopId: s.shop_id, name: s.name })).sort((a, b) => Number(a.shopId) - Number(b.shopId));
  const shopId = query.shopId && shops.some((s) => s.shopId === query.shopId) ? query.shopId : null;
  const search = query.search?.trim() ?? "";
  const wanted = Math.max(1, Math.floor(query.page ?? 1));
  const list = await listStock(database, tenantId, { search: search || undefined, shopId: shopId ?? undefined, limit: STOCK_PAGE_SIZE, offset: (wanted - 1) * STOCK_PAGE_SIZE, formula: settings.availableFormula });
  const pageCount = Math.max(1, Math.ceil(list.total / STOCK_PAGE_SIZE));
  const chart = mappings.chart ?? null;
  const rows = list.rows.map((r): StockPageRow => {
    const base = { itemId: r.itemId, sku: r.sku, description: r.description, variant: r.kind === "variant", costMissing: r.costMissing };
    if (shopId) {
      const s = r.shops.find((x) => x.shopId === shopId);
      return { ...base, onHand: s?.qoh ?? 0, available: s?.available ?? 0, onLayaway: s?.onLayaway ?? 0, onSpecialOrder: s?.onSpecialOrder ?? 0, onWorkOrder: s?.onWorkOrder ?? 0, incoming: s?.incoming ?? 0, valueCents: s?.valueCents ?? 0 };
    }
    // All shops: the per-shop rows summed (the all-shops row only when an item has no per-shop rows), as the formula does.
    const perShop = r.shops.filter((x) => x.shopId !== "0");
    const use = perShop.length ? perShop : r.shops;
    const sum = (f: (x: (typeof use)[number]) => number) => use.reduce((n, x) => n + f(x), 0);
    return { ...base, onHand: r.totalOnHand, available: r.totalAvailable, onLayaway: sum((x) => x.onLayaway), onSpecialOrder: sum((x) => x.onSpecialOrder), onWorkOrder: sum((x) => x.onWorkOrder), incoming: sum((x) => x.incoming), valueCents: r.totalValueCents };
  });
  return {
    enabled,
    settings,
    chart,
    defaultAccounts: chart ? { stock: CHART_DEFAULTS[chart].stock, stockChange: CHART_DEFAULTS[chart].stockChange } : null,
    shops,
    shopId,
    search,
    page: Math.min(wanted, pageCount),
    pageCount,
    total: list.total,
    rows,
    valuations,
  };
}
