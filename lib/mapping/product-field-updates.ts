import * as z from "zod";

/**
 * Create vs update, per field: on create every field is written; on an update a field set to "keep" keeps
 * the value the target already has (e.g. a description enriched later, or a BB account renamed by the tax
 * advisor). It applies to every target this flow writes: the register rows and the BB posting-account names.
 *
 * Fields that identify a record (itemID, the SKU fields, the item type, the matrix link) are always updated:
 * keeping them stale would make the register lie about what a line refers to.
 */
export const PRODUCT_UPDATE_FIELDS = {
  description: "Description",
  prices: "Prices (default price level, MSRP, VAT rate)",
  barcodes: "EAN / UPC",
  manufacturerSku: "Manufacturer SKU",
  category: "Category",
  taxClass: "Tax class",
  attributes: "Variant attributes",
  features: "Features (custom fields)",
  archived: "Archived state",
  cost: "Default cost",
  categoryAccountName: "Name of the BuchhaltungsButler revenue account created for a category",
} as const;

export type ProductUpdateField = keyof typeof PRODUCT_UPDATE_FIELDS;
export const productUpdateFieldNames = Object.keys(PRODUCT_UPDATE_FIELDS) as ProductUpdateField[];

export const updatePolicySchema = z.enum(["overwrite", "keep"], { error: "expected overwrite or keep" });
export type UpdatePolicy = z.infer<typeof updatePolicySchema>;

export const fieldUpdatesSchema = z
  .partialRecord(z.enum(productUpdateFieldNames as [ProductUpdateField, ...ProductUpdateField[]], { error: `expected one of ${productUpdateFieldNames.join(", ")}` }), updatePolicySchema)
  .default({});
export type FieldUpdates = z.output<typeof fieldUpdatesSchema>;

export function policyFor(updates: FieldUpdates, field: ProductUpdateField): UpdatePolicy {
  return updates[field] ?? "overwrite";
}

/**
 * Merges an incoming record into the existing one field group by field group. `groups` says which keys of
 * the record belong to which policy field; keys not in any group are always taken from `incoming`.
 */
export function applyFieldUpdates<T extends object>(
  existing: T | null,
  incoming: T,
  updates: FieldUpdates,
  groups: Partial<Record<ProductUpdateField, readonly (keyof T)[]>>,
): { merged: T; kept: ProductUpdateField[] } {
  if (!existing) return { merged: { ...incoming }, kept: [] };
  const merged: T = { ...incoming };
  const kept: ProductUpdateField[] = [];
  for (const field of productUpdateFieldNames) {
    const keys = groups[field];
    if (!keys || policyFor(updates, field) !== "keep") continue;
    let differs = false;
    for (const k of keys) {
      if (JSON.stringify(existing[k]) !== JSON.stringify(incoming[k])) differs = true;
      merged[k] = existing[k];
    }
    if (differs) kept.push(field);
  }
  return { merged, kept };
}
