import type { Database } from "../../db";
import { loadProductMappings, type AttributeSetInfo } from "../../mapping/product-attributes";
import type { ProductContext, TaxClassInfo } from "./build-product-record";
import { loadProductSettings, type ProductSettings } from "./product-settings";

export interface ProductRunContext extends ProductContext {
  tenantId: string;
  settings: ProductSettings;
  /** Always false: catalogue data carries no personal data, and redaction would blank attribute names. */
  redactPii: boolean;
}

/**
 * Everything a page needs besides the page itself, read from our DB (no Lightspeed calls). Pass `base` (a
 * context loaded earlier in the same step) to only look up the page's matrices.
 */
export async function loadProductContext(database: Database, tenantId: string, matrixIds: string[] = [], base?: ProductRunContext): Promise<ProductRunContext> {
  if (base) return { ...base, matrixAttributeSets: await matrixSets(database, tenantId, matrixIds) };
  const [{ settings }, mappings, sets, taxes] = await Promise.all([
    loadProductSettings(database, tenantId),
    loadProductMappings(database, tenantId),
    database.selectFrom("product_attribute_sets").select(["attribute_set_id", "attribute_names"]).where("tenant_id", "=", tenantId).execute(),
    database.selectFrom("product_tax_classes").select(["tax_class_id", "vat_percent", "tax_inclusive"]).where("tenant_id", "=", tenantId).execute(),
  ]);
  const attributeSets = new Map<string, AttributeSetInfo>();
  for (const s of sets) {
    const n = s.attribute_names;
    attributeSets.set(s.attribute_set_id, { attributeSetId: s.attribute_set_id, names: [n[0] ?? "", n[1] ?? "", n[2] ?? ""] });
  }
  const taxClasses = new Map<string, TaxClassInfo>(taxes.map((t) => [t.tax_class_id, { vatPercent: t.vat_percent, taxInclusive: t.tax_inclusive }]));
  return { tenantId, settings, redactPii: false, skuField: settings.skuField, mappings, attributeSets, taxClasses, matrixAttributeSets: await matrixSets(database, tenantId, matrixIds) };
}

async function matrixSets(database: Database, tenantId: string, matrixIds: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const ids = [...new Set(matrixIds)];
  if (ids.length === 0) return out;
  const rows = await database.selectFrom("product_matrices").select(["matrix_id", "attribute_set_id"]).where("tenant_id", "=", tenantId).where("matrix_id", "in", ids).execute();
  for (const r of rows) out.set(r.matrix_id, r.attribute_set_id);
  return out;
}
