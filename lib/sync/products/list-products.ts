import { sql } from "kysely";
import type { Database } from "../../db";
import type { MappedAttribute, MappedFeature } from "../../mapping/product-attributes";
import type { ProductFlag } from "./build-product-record";

/**
 * What BuchhaltungsButler can and cannot hold, for the screens to say plainly (BB has no article master, no
 * stock and no images; see DESIGN.md §1).
 */
export const PRODUCT_FLOW_CAPABILITIES = {
  articlesInBb: false,
  stockInBb: false,
  images: false,
  categoryRevenueAccounts: true,
  inventoryValuationPosting: true,
  note: "BuchhaltungsButler has no articles, stock or images. Products and stock are kept in Butlerbridge's register and ledger; BB receives category revenue accounts (optional) and a periodic inventory valuation posting (optional).",
} as const;

export interface ProductListRow {
  itemId: string;
  sku: string;
  skuSource: string;
  kind: "simple" | "variant";
  matrixId: string | null;
  matrixDescription: string | null;
  description: string;
  categoryId: string | null;
  categoryPath: string | null;
  itemType: string;
  archived: boolean;
  ean: string;
  upc: string;
  priceNetCents: number | null;
  priceGrossCents: number | null;
  msrpGrossCents: number | null;
  vatPercent: string | null;
  attributes: MappedAttribute[];
  features: MappedFeature[];
  flags: ProductFlag[];
  updatedAt: Date;
}

export interface ProductListOptions {
  /** Matches SKU, description, EAN/UPC or itemID. */
  search?: string;
  kind?: "simple" | "variant";
  matrixId?: string;
  categoryId?: string;
  /** Only products with this flag (e.g. "attribute_unmapped", "sku_conflict"). */
  flag?: ProductFlag;
  /** Default false: archived products are hidden. */
  includeArchived?: boolean;
  limit?: number;
  offset?: number;
}

/** The product register for the products screen, ordered by SKU. */
export async function listProducts(database: Database, tenantId: string, options: ProductListOptions = {}): Promise<{ total: number; rows: ProductListRow[] }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  let q = database
    .selectFrom("products as p")
    .leftJoin("product_categories as c", (j) => j.onRef("c.tenant_id", "=", "p.tenant_id").onRef("c.category_id", "=", "p.category_id"))
    .leftJoin("product_matrices as m", (j) => j.onRef("m.tenant_id", "=", "p.tenant_id").onRef("m.matrix_id", "=", "p.matrix_id"))
    .where("p.tenant_id", "=", tenantId);
  if (!options.includeArchived) q = q.where("p.archived", "=", false);
  if (options.kind) q = q.where("p.kind", "=", options.kind);
  if (options.matrixId) q = q.where("p.matrix_id", "=", options.matrixId);
  if (options.categoryId) q = q.where("p.category_id", "=", options.categoryId);
  if (options.flag) q = q.where(sql<boolean>`p.flags ? ${options.flag}`);
  const s = options.search?.trim();
  if (s) {
    const like = `%${s.replace(/[%_\\]/g, "\\$&")}%`;
    q = q.where((eb) => eb.or([eb("p.sku", "ilike", like), eb("p.description", "ilike", like), eb("p.ean", "=", s), eb("p.upc", "=", s), eb("p.item_id", "=", s)]));
  }
  const total = await q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirst();
  const rows = await q
    .select([
      "p.item_id",
      "p.sku",
      "p.sku_source",
      "p.kind",
      "p.matrix_id",
      "m.description as matrix_description",
      "p.description",
      "p.category_id",
      "c.full_path_name",
      "p.item_type",
      "p.archived",
      "p.ean",
      "p.upc",
      "p.price_net_cents",
      "p.price_gross_cents",
      "p.msrp_gross_cents",
      "p.vat_percent",
      "p.attributes",
      "p.features",
      "p.flags",
      "p.updated_at",
    ])
    .orderBy("p.sku")
    .limit(limit)
    .offset(options.offset ?? 0)
    .execute();
  return {
    total: Number(total?.n ?? 0),
    rows: rows.map((r) => ({
      itemId: r.item_id,
      sku: r.sku,
      skuSource: r.sku_source,
      kind: r.kind,
      matrixId: r.matrix_id,
      matrixDescription: r.matrix_description,
      description: r.description,
      categoryId: r.category_id,
      categoryPath: r.full_path_name,
      itemType: r.item_type,
      archived: r.archived,
      ean: r.ean,
      upc: r.upc,
      priceNetCents: r.price_net_cents,
      priceGrossCents: r.price_gross_cents,
      msrpGrossCents: r.msrp_gross_cents,
      vatPercent: r.vat_percent,
      attributes: r.attributes as MappedAttribute[],
      features: r.features as MappedFeature[],
      flags: r.flags as ProductFlag[],
      updatedAt: r.updated_at,
    })),
  };
}

/** A product by SKU (case-insensitive), e.g. for the order flow's "all products exist" check. */
export async function findProductsBySku(database: Database, tenantId: string, skus: string[]): Promise<Map<string, { itemId: string; sku: string; archived: boolean }>> {
  const keys = [...new Set(skus.map((s) => s.trim().toLowerCase()).filter(Boolean))];
  if (keys.length === 0) return new Map();
  const rows = await database.selectFrom("products").select(["item_id", "sku", "sku_key", "archived"]).where("tenant_id", "=", tenantId).where("sku_key", "in", keys).execute();
  return new Map(rows.map((r) => [r.sku_key, { itemId: r.item_id, sku: r.sku, archived: r.archived }]));
}

/** Which Lightspeed items are in the register (the order flow checks sale lines by itemID). */
export async function findProductsByItemId(database: Database, tenantId: string, itemIds: string[]): Promise<Map<string, { sku: string; archived: boolean; itemType: string; categoryId: string | null; vatPercent: string | null }>> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return new Map();
  const rows = await database.selectFrom("products").select(["item_id", "sku", "archived", "item_type", "category_id", "vat_percent"]).where("tenant_id", "=", tenantId).where("item_id", "in", ids).execute();
  return new Map(rows.map((r) => [r.item_id, { sku: r.sku, archived: r.archived, itemType: r.item_type, categoryId: r.category_id, vatPercent: r.vat_percent }]));
}

/** Attribute sets with their axes, the merchant's names and how many variants use them: the mapping screen. */
export async function listAttributeAxes(database: Database, tenantId: string) {
  const [sets, mappings, usage] = await Promise.all([
    database.selectFrom("product_attribute_sets").select(["attribute_set_id", "name", "attribute_names", "archived"]).where("tenant_id", "=", tenantId).orderBy("attribute_set_id").execute(),
    database.selectFrom("mappings").select(["source_key", "target"]).where("tenant_id", "=", tenantId).where("kind", "=", "product_attribute").execute(),
    database
      .selectFrom("product_matrices")
      .select(["attribute_set_id", (eb) => eb.fn.countAll<string>().as("n")])
      .where("tenant_id", "=", tenantId)
      .groupBy("attribute_set_id")
      .execute(),
  ]);
  const mapped = new Map(mappings.map((m) => [m.source_key, (m.target as { name?: string }).name ?? null]));
  const used = new Map(usage.map((u) => [u.attribute_set_id, Number(u.n)]));
  return sets.map((s) => ({
    attributeSetId: s.attribute_set_id,
    name: s.name,
    archived: s.archived,
    matrices: used.get(s.attribute_set_id) ?? 0,
    axes: ([1, 2, 3] as const)
      .map((axis) => ({ axis, lsName: (s.attribute_names[axis - 1] ?? "").trim(), mappedName: mapped.get(`${s.attribute_set_id}|${axis}`) ?? null }))
      .filter((a) => a.lsName !== ""),
  }));
}

/** Custom field names seen on products, with their feature mapping: the features screen. */
export async function listCustomFields(database: Database, tenantId: string) {
  const [seen, mappings] = await Promise.all([
    sql<{ name: string; n: string }>`
      select f.key as name, count(*)::text as n
      from products p, jsonb_each_text(coalesce(p.source->'customFields', '{}'::jsonb)) f
      where p.tenant_id = ${tenantId}
      group by f.key order by f.key`.execute(database),
    database.selectFrom("mappings").select(["source_key", "target"]).where("tenant_id", "=", tenantId).where("kind", "=", "product_feature").execute(),
  ]);
  const mapped = new Map(mappings.map((m) => [m.source_key, m.target as { name: string } | { ignore: true }]));
  return seen.rows.map((r) => ({ customField: r.name, products: Number(r.n), mapping: mapped.get(r.name) ?? null }));
}
