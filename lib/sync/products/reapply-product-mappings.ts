import type { Database } from "../../db";
import { saveAttributeMapping, saveFeatureMapping, type saveAttributeMappingInput, type saveFeatureMappingInput } from "../../mapping/product-attributes";
import type * as z from "zod";
import { applyItemsPage } from "./apply-items-page";
import { applyMatricesPage } from "./apply-matrices-page";
import { storedItemSource, storedMatrixSource } from "./stored-source";

const BATCH = 500;

/**
 * Re-derives register rows from the Lightspeed records we stored (no Lightspeed calls), after the merchant
 * changed an attribute or feature mapping or a setting. Only rows whose result changes are written and logged.
 */
export async function reapplyProductMappings(database: Database, tenantId: string, filter: { attributeSetId?: string } = {}): Promise<{ matrices: number; items: number }> {
  let matricesChanged = 0;
  let itemsChanged = 0;
  let matrixIds: string[] | null = null;
  let after = "";
  for (;;) {
    let q = database.selectFrom("product_matrices").select(["matrix_id", "source"]).where("tenant_id", "=", tenantId).where("matrix_id", ">", after).orderBy("matrix_id").limit(BATCH);
    if (filter.attributeSetId) q = q.where("attribute_set_id", "=", filter.attributeSetId);
    const rows = await q.execute();
    if (rows.length === 0) break;
    const r = await applyMatricesPage(database, { tenantId, runId: null, matrices: rows.map((x) => storedMatrixSource(x.matrix_id, x.source)) });
    matricesChanged += r.updated;
    if (filter.attributeSetId) (matrixIds ??= []).push(...rows.map((x) => x.matrix_id));
    after = rows.at(-1)!.matrix_id;
  }
  if (filter.attributeSetId && !matrixIds?.length) return { matrices: 0, items: 0 };
  after = "";
  for (;;) {
    let q = database.selectFrom("products").select(["item_id", "source"]).where("tenant_id", "=", tenantId).where("item_id", ">", after).orderBy("item_id").limit(BATCH);
    if (matrixIds) q = q.where("matrix_id", "in", matrixIds);
    const rows = await q.execute();
    if (rows.length === 0) break;
    const r = await applyItemsPage(database, { tenantId, runId: null, items: rows.map((x) => storedItemSource(x.item_id, x.source)) });
    itemsChanged += r.updated;
    after = rows.at(-1)!.item_id;
  }
  return { matrices: matricesChanged, items: itemsChanged };
}

/** "Save attribute mapping" for the mapping screen: stores it and applies it to the register right away. */
export async function saveAttributeMappingAndApply(database: Database, tenantId: string, input: z.input<typeof saveAttributeMappingInput>) {
  await saveAttributeMapping(database, tenantId, input);
  return reapplyProductMappings(database, tenantId, { attributeSetId: input.attributeSetId });
}

/** "Save feature mapping": stores it and re-derives every product's features. */
export async function saveFeatureMappingAndApply(database: Database, tenantId: string, input: z.input<typeof saveFeatureMappingInput>) {
  await saveFeatureMapping(database, tenantId, input);
  return reapplyProductMappings(database, tenantId);
}
