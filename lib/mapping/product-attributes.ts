import * as z from "zod";
import { toJson, type Database } from "../db";
import { AppError } from "../errors/app-error";

/**
 * Attribute and feature mappings, set by hand by the merchant and stored in `mappings`:
 *  - kind "product_attribute", source key "<itemAttributeSetID>|<axis 1..3>" → `{ name }` ("Farbe", "Größe");
 *  - kind "product_feature", source key "<custom field name>" → `{ name }` or `{ ignore: true }`.
 * An axis or custom field without a mapping keeps its raw Lightspeed name and is flagged, so nothing is lost
 * and the merchant sees what is left to map.
 */
export const ATTRIBUTE_MAPPING_KIND = "product_attribute";
export const FEATURE_MAPPING_KIND = "product_feature";

const mappedName = z
  .string({ error: "expected a name" })
  .trim()
  .min(1, { error: "the name must not be empty" })
  .max(60, { error: "the name must be at most 60 characters" });

export const attributeMappingTargetSchema = z.strictObject({ name: mappedName });
export const featureMappingTargetSchema = z.union([z.strictObject({ name: mappedName }), z.strictObject({ ignore: z.literal(true) })]);
export type FeatureMappingTarget = z.infer<typeof featureMappingTargetSchema>;

export const axisSchema = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: "axis must be 1, 2 or 3" });
export type Axis = z.infer<typeof axisSchema>;

export interface ProductMappings {
  /** "<setId>|<axis>" → name. */
  attributes: Map<string, string>;
  /** Custom field name → mapping. */
  features: Map<string, FeatureMappingTarget>;
}

export function attributeKey(attributeSetId: string, axis: Axis): string {
  return `${attributeSetId}|${axis}`;
}

export async function loadProductMappings(database: Database, tenantId: string): Promise<ProductMappings> {
  const rows = await database
    .selectFrom("mappings")
    .select(["kind", "source_key", "target"])
    .where("tenant_id", "=", tenantId)
    .where("kind", "in", [ATTRIBUTE_MAPPING_KIND, FEATURE_MAPPING_KIND])
    .execute();
  const out: ProductMappings = { attributes: new Map(), features: new Map() };
  for (const row of rows) {
    if (row.kind === ATTRIBUTE_MAPPING_KIND) {
      const parsed = attributeMappingTargetSchema.safeParse(row.target);
      if (parsed.success) out.attributes.set(row.source_key, parsed.data.name);
    } else {
      const parsed = featureMappingTargetSchema.safeParse(row.target);
      if (parsed.success) out.features.set(row.source_key, parsed.data);
    }
  }
  return out;
}

export const saveAttributeMappingInput = z.strictObject({
  attributeSetId: z.string().regex(/^\d+$/, { error: "expected a Lightspeed itemAttributeSetID" }),
  axis: axisSchema,
  name: mappedName,
});

/** Maps one axis of an attribute set to a named attribute. Takes effect for products synced from now on. */
export async function saveAttributeMapping(database: Database, tenantId: string, input: z.input<typeof saveAttributeMappingInput>): Promise<void> {
  const parsed = saveAttributeMappingInput.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID_INPUT", { detail: `attribute mapping: ${z.prettifyError(parsed.error)}` });
  const { attributeSetId, axis, name } = parsed.data;
  await upsertMapping(database, tenantId, ATTRIBUTE_MAPPING_KIND, attributeKey(attributeSetId, axis), { name });
}

export const saveFeatureMappingInput = z.strictObject({
  customField: z.string().trim().min(1, { error: "expected the custom field's name" }).max(200),
  target: featureMappingTargetSchema,
});

export async function saveFeatureMapping(database: Database, tenantId: string, input: z.input<typeof saveFeatureMappingInput>): Promise<void> {
  const parsed = saveFeatureMappingInput.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID_INPUT", { detail: `feature mapping: ${z.prettifyError(parsed.error)}` });
  await upsertMapping(database, tenantId, FEATURE_MAPPING_KIND, parsed.data.customField, parsed.data.target);
}

export async function deleteProductMapping(database: Database, tenantId: string, kind: typeof ATTRIBUTE_MAPPING_KIND | typeof FEATURE_MAPPING_KIND, sourceKey: string): Promise<void> {
  await database.deleteFrom("mappings").where("tenant_id", "=", tenantId).where("kind", "=", kind).where("source_key", "=", sourceKey).execute();
}

async function upsertMapping(database: Database, tenantId: string, kind: string, sourceKey: string, target: Record<string, unknown>): Promise<void> {
  await database
    .insertInto("mappings")
    .values({ tenant_id: tenantId, kind, source_key: sourceKey, target: toJson(target), updated_at: new Date() })
    .onConflict((oc) => oc.columns(["tenant_id", "kind", "source_key"]).doUpdateSet({ target: toJson(target), updated_at: new Date() }))
    .execute();
}

export interface MappedAttribute {
  axis: Axis;
  /** The axis name in Lightspeed ("Color"), or "attribute<n>" when the set is unknown. */
  lsName: string;
  /** The merchant's name ("Farbe"), or the Lightspeed name when unmapped. */
  name: string;
  value: string;
  mapped: boolean;
}

export interface AttributeSetInfo {
  attributeSetId: string;
  /** attributeName1..3. */
  names: [string, string, string];
}

/** A variant's attribute values as named attributes, in axis order; empty values are left out. */
export function mapAttributes(
  values: { attribute1: string; attribute2: string; attribute3: string },
  set: AttributeSetInfo | null,
  attributeSetId: string | null,
  mappings: Map<string, string>,
): MappedAttribute[] {
  const out: MappedAttribute[] = [];
  const raw = [values.attribute1, values.attribute2, values.attribute3];
  for (const axis of [1, 2, 3] as const) {
    const value = (raw[axis - 1] ?? "").trim();
    if (!value) continue;
    const lsName = set?.names[axis - 1]?.trim() || `attribute${axis}`;
    const mappedTo = attributeSetId ? mappings.get(attributeKey(attributeSetId, axis)) : undefined;
    out.push({ axis, lsName, name: mappedTo ?? lsName, value, mapped: mappedTo !== undefined });
  }
  return out;
}

export interface MappedFeature {
  /** The custom field's name in Lightspeed. */
  lsName: string;
  name: string;
  value: string;
  mapped: boolean;
}

/** Custom fields as features: mapped ones under their new name, ignored ones dropped, the rest raw and flagged. */
export function mapFeatures(customFields: Record<string, string>, mappings: Map<string, FeatureMappingTarget>): MappedFeature[] {
  const out: MappedFeature[] = [];
  for (const lsName of Object.keys(customFields).sort()) {
    const value = (customFields[lsName] ?? "").trim();
    if (!value) continue;
    const m = mappings.get(lsName);
    if (m && "ignore" in m) continue;
    out.push({ lsName, name: m ? m.name : lsName, value, mapped: m !== undefined });
  }
  return out;
}
