import { sql } from "kysely";
import { toJson, type Database } from "../../db";
import { recordActivities } from "../../activity/record-activity";
import { decimal } from "../../money";
import type { LsCategory, LsItemAttributeSet, LsShop, LsTaxCategory, LsTaxClass } from "../../lightspeed/domain";

/** The part of the Lightspeed client the lookups need (the real client satisfies it). */
export interface LookupSource {
  listShops(): Promise<LsShop[]>;
  listTaxCategories(): Promise<LsTaxCategory[]>;
  listTaxClasses(): Promise<LsTaxClass[]>;
  listItemAttributeSets(): Promise<LsItemAttributeSet[]>;
}

/** A rate as a fraction ("0.19") → percent as a normalised decimal string ("19"). */
export function percentOf(fraction: string): string {
  return decimal(fraction).times(100).toDecimalPlaces(4).toString();
}

/**
 * The shop whose tax category decides product VAT rates and whose zone closes valuation periods: the first
 * active shop by id (Lightspeed accounts in Germany use one tax category for all shops).
 */
export function primaryShop(shops: LsShop[]): LsShop | undefined {
  return [...shops].filter((s) => !s.archived).sort((a, b) => Number(a.shopId) - Number(b.shopId))[0];
}

/** Refreshes shops, tax rates per tax class and attribute sets: small tables, read whole. */
export async function refreshProductLookups(database: Database, tenantId: string, source: LookupSource): Promise<{ shops: number; taxClasses: number; attributeSets: number }> {
  const [shops, taxCategories, taxClasses, attributeSets] = await Promise.all([source.listShops(), source.listTaxCategories(), source.listTaxClasses(), source.listItemAttributeSets()]);
  const now = new Date();
  await saveShops(database, tenantId, shops);

  const primary = primaryShop(shops);
  const category = taxCategories.find((c) => c.taxCategoryId === primary?.taxCategoryId) ?? taxCategories[0];
  const rows: { tax_class_id: string; name: string; vat_percent: string; tax_inclusive: boolean }[] = [];
  if (category) {
    const base = decimal(category.tax1Rate).plus(decimal(category.tax2Rate || "0"));
    rows.push({ tax_class_id: "", name: category.tax1Name, vat_percent: percentOf(base.toString()), tax_inclusive: category.isTaxInclusive });
    for (const cls of taxClasses) {
      const override = category.classes.find((c) => c.taxClassId === cls.taxClassId);
      const rate = override ? decimal(override.tax1Rate).plus(decimal(override.tax2Rate || "0")) : base;
      rows.push({ tax_class_id: cls.taxClassId, name: cls.name, vat_percent: percentOf(rate.toString()), tax_inclusive: category.isTaxInclusive });
    }
  }
  await database.transaction().execute(async (trx) => {
    await trx.deleteFrom("product_tax_classes").where("tenant_id", "=", tenantId).execute();
    if (rows.length) await trx.insertInto("product_tax_classes").values(rows.map((r) => ({ ...r, tenant_id: tenantId, updated_at: now }))).execute();
    if (attributeSets.length) {
      await trx
        .insertInto("product_attribute_sets")
        .values(
          attributeSets.map((s) => ({
            tenant_id: tenantId,
            attribute_set_id: s.itemAttributeSetId,
            name: s.name,
            attribute_names: toJson([s.attributeName1, s.attributeName2, s.attributeName3]),
            archived: s.archived,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.columns(["tenant_id", "attribute_set_id"]).doUpdateSet({
            name: sql.ref("excluded.name"),
            attribute_names: sql.ref("excluded.attribute_names"),
            archived: sql.ref("excluded.archived"),
            updated_at: now,
          }),
        )
        .execute();
    }
  });
  return { shops: shops.length, taxClasses: rows.length, attributeSets: attributeSets.length };
}

export async function saveShops(database: Database, tenantId: string, shops: LsShop[]): Promise<void> {
  if (shops.length === 0) return;
  const now = new Date();
  await database
    .insertInto("stock_shops")
    .values(shops.map((s) => ({ tenant_id: tenantId, shop_id: s.shopId, name: s.name, time_zone: s.timeZone, archived: s.archived, updated_at: now })))
    .onConflict((oc) =>
      oc.columns(["tenant_id", "shop_id"]).doUpdateSet({ name: sql.ref("excluded.name"), time_zone: sql.ref("excluded.time_zone"), archived: sql.ref("excluded.archived"), updated_at: now }),
    )
    .execute();
}

export interface CategoriesOutcome {
  created: number;
  /** Changed in any way (renames included). */
  updated: number;
  renamed: { categoryId: string; from: string; to: string }[];
  unchanged: number;
}

/** Upserts categories (the tree with its full paths), logs each new or changed one; renames feed the account step. */
export async function applyCategories(database: Database, tenantId: string, categories: LsCategory[], runId: string | null = null): Promise<CategoriesOutcome> {
  const out: CategoriesOutcome = { created: 0, updated: 0, renamed: [], unchanged: 0 };
  if (categories.length === 0) return out;
  const existing = new Map(
    (await database.selectFrom("product_categories").select(["category_id", "full_path_name", "name", "archived", "parent_id"]).where("tenant_id", "=", tenantId).where("category_id", "in", categories.map((c) => c.categoryId)).execute()).map((r) => [r.category_id, r]),
  );
  const now = new Date();
  const changed = categories.filter((c) => {
    const row = existing.get(c.categoryId);
    if (!row) {
      out.created++;
      return true;
    }
    if (row.full_path_name !== c.fullPathName) out.renamed.push({ categoryId: c.categoryId, from: row.full_path_name, to: c.fullPathName });
    const same = row.full_path_name === c.fullPathName && row.name === c.name && row.archived === c.archived && row.parent_id === c.parentId;
    if (same) out.unchanged++;
    else out.updated++;
    return !same;
  });
  if (changed.length) {
    await database
      .insertInto("product_categories")
      .values(
        changed.map((c) => ({
          tenant_id: tenantId,
          category_id: c.categoryId,
          name: c.name,
          parent_id: c.parentId,
          full_path_name: c.fullPathName,
          node_depth: c.nodeDepth,
          archived: c.archived,
          ls_timestamp: c.timeStamp,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["tenant_id", "category_id"]).doUpdateSet({
          name: sql.ref("excluded.name"),
          parent_id: sql.ref("excluded.parent_id"),
          full_path_name: sql.ref("excluded.full_path_name"),
          node_depth: sql.ref("excluded.node_depth"),
          archived: sql.ref("excluded.archived"),
          ls_timestamp: sql.ref("excluded.ls_timestamp"),
          updated_at: now,
        }),
      )
      .execute();
    await recordActivities(
      database,
      changed.map((c) => {
        const before = existing.get(c.categoryId);
        return {
          tenantId,
          runId,
          flow: "products" as const,
          entity: "category",
          sourceId: c.categoryId,
          reference: c.fullPathName,
          result: before ? ("updated" as const) : ("created" as const),
          message: before
            ? before.full_path_name !== c.fullPathName
              ? `Category renamed in Lightspeed: "${before.full_path_name}" → "${c.fullPathName}"`
              : `Category "${c.fullPathName}" updated${c.archived ? " (archived)" : ""}`
            : `Category "${c.fullPathName}" added${c.archived ? " (archived)" : ""}`,
          sourcePayload: c,
          transformedPayload: { categoryId: c.categoryId, fullPathName: c.fullPathName, parentId: c.parentId, archived: c.archived },
          targetResponse: { target: "product register" },
        };
      }),
      { redact: false },
    );
  }
  return out;
}
