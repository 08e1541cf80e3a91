import type { Database } from "../db";
import { toJson } from "../db";
import { AppError } from "../errors/app-error";
import { DEFAULT_FIELD_RULES, fieldRulesSchema, type FieldMapperKind, type FieldRule, type FieldRuleInput } from "./field-mapper";

/** Stored one row per kind in `mappings` (kind "field_map", source key = customer | address | line | product). */
export const FIELD_MAP_KIND = "field_map";

export async function loadFieldRules(database: Database, tenantId: string, kind: FieldMapperKind): Promise<{ rules: FieldRule[]; custom: boolean }> {
  const row = await database
    .selectFrom("mappings")
    .select("target")
    .where("tenant_id", "=", tenantId)
    .where("kind", "=", FIELD_MAP_KIND)
    .where("source_key", "=", kind)
    .executeTakeFirst();
  if (!row) return { rules: DEFAULT_FIELD_RULES[kind], custom: false };
  const parsed = fieldRulesSchema.safeParse((row.target as { rules?: unknown }).rules);
  if (!parsed.success) {
    throw new AppError("MAPPING_MISSING", { detail: `the stored field mapping for ${kind} is invalid`, fixHint: "Open Mappings → Fields and save it again." });
  }
  return { rules: parsed.data, custom: true };
}

export async function saveFieldRules(database: Database, tenantId: string, kind: FieldMapperKind, rules: FieldRuleInput[]): Promise<FieldRule[]> {
  const parsed = fieldRulesSchema.safeParse(rules);
  if (!parsed.success) throw new AppError("INVALID_INPUT", { detail: `field mapping for ${kind}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` });
  await database
    .insertInto("mappings")
    .values({ tenant_id: tenantId, kind: FIELD_MAP_KIND, source_key: kind, target: toJson({ rules: parsed.data }), updated_at: new Date() })
    .onConflict((oc) => oc.columns(["tenant_id", "kind", "source_key"]).doUpdateSet({ target: toJson({ rules: parsed.data }), updated_at: new Date() }))
    .execute();
  return parsed.data;
}
