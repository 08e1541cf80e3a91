import type { Database } from "../../db";
import { loadProductMappings, type AttributeSetInfo } from "../../mapping/product-attributes";
import { getTenantSettings } from "../../tenants/tenant-settings";
import type { ProductContext, TaxClassInfo } from "./build-product-record";
import { loadProductSettings, type ProductSettings } from "./product-settings";

export interface ProductRunContext extends ProductContext {
  tenantId: string;
  settings: ProductSettings;
  redactPii: boolean;
}

/** Everything a page needs besides the page itself, read from our DB (no Lightspeed calls). */
export async function loadProductContext(database: Database, tenantId: string, matrixIds: string[] = []): Promise<ProductRunContext> {
  const [{ settings }, mappings, sets, taxes, tenant] = await Promise.all([
    loadProductSettings(database, tenantId),
    loadProductMappings(database, tenantId),
    database.selectFrom("product_attribute_sets").select(["attribute_set_id", "attribute_names"]).where("tenant_id", "=", tenantId).execute(),
    database.selectFrom("product_tax_classes").select(["tax_class_id", "vat_percent", "tax_inclusive"]).where("tenant_id", "=", tenantId).execute(),
    getTenantSettings(database, tenantId),
  ]);
  const attributeSets = new Map<string, AttributeSetInfo>();
  for (const s of sets) {
    const n = s.attribute_names;
    attributeSets.set(s.attribute_set_id, { attributeSetId: s.attribute_set_id, names: [n[0] ?? "", n[1] ?? "", n[2] ?? ""] });
  }
  const taxClasses = new Map<string, TaxClassInfo>(taxes.map((t) => [t.tax_class_id, { vatPercent: t.vat_percent, taxInclusive: t.tax_inclusive }]));
  const matrixAttributeSets = new Map<string, string | null>();
  const ids = [...new Set(matrixIds)];
  if (ids.length) {
    const rows = await database.selectFrom("product_matrices").select(["matrix_id", "attribute_set_id"]).where("tenant_id", "=", tenantId).where("matrix_id", "in", ids).execute();
    for (const r of rows) matrixAttributeSets.set(r.matrix_id, r.attribute_set_id);
  }
  return { tenantId, settings, redactPii: tenant.redactPii, skuField: settings.skuField, mappings, attributeSets, taxClasses, matrixAttributeSets };
}
