import * as z from "zod";
import { toJson, type Database } from "../../db";
import { AppError } from "../../errors/app-error";
import { fieldUpdatesSchema } from "../../mapping/product-field-updates";
import { skuFieldSchema } from "../../mapping/product-sku";

/** The product flow's settings (flow_settings.settings for flow "products"), validated on every read and write. */
export const productSettingsSchema = z
  .object({
    /** Which Lightspeed field is the SKU (fallback order in lib/mapping/product-sku.ts). */
    skuField: skuFieldSchema.default("customSku"),
    /** Per field: overwrite on update (default) or keep what the target has. */
    fieldUpdates: fieldUpdatesSchema,
    /** Categories → BB revenue accounts (one per category × VAT rate present, under the mapped 19 %/7 % parents). */
    categoryAccounts: z
      .object({
        enabled: z.boolean().default(false),
        /** Numbers for the created accounts; default per chart from CHART_DEFAULTS.categoryAccountRange. */
        range: z
          .object({ from: z.number().int().min(1).max(999999999), to: z.number().int().min(1).max(999999999) })
          .refine((r) => r.from <= r.to, { error: "the range must start at or below its end" })
          .optional(),
        /**
         * BB's documented limit is "%min% to %max% characters" without the numbers; DATEV account labels hold 40,
         * so 40 is the safe default. Raise it once confirmed on a live tenant.
         */
        nameMaxLength: z.number().int().min(10).max(200).default(40),
      })
      .prefault({}),
    /** Minutes of overlap when polling by timeStamp. */
    overlapMinutes: z.number().int().min(0).max(1440).default(10),
    /** Lightspeed page size (100 is the API maximum). */
    pageSize: z.number().int().min(1).max(100).default(100),
    /** Pages per job run before a continuation event takes over (keeps each run short). */
    pagesPerRun: z.number().int().min(1).max(10_000).default(200),
  })
  .strict();

export type ProductSettings = z.output<typeof productSettingsSchema>;
export type ProductSettingsInput = z.input<typeof productSettingsSchema>;

export function parseProductSettings(raw: unknown): ProductSettings {
  const parsed = productSettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new AppError("INVALID_INPUT", { detail: `product settings: ${z.prettifyError(parsed.error)}` });
  return parsed.data;
}

export async function loadProductSettings(database: Database, tenantId: string): Promise<{ enabled: boolean; settings: ProductSettings }> {
  const row = await database.selectFrom("flow_settings").select(["enabled", "settings"]).where("tenant_id", "=", tenantId).where("flow", "=", "products").executeTakeFirst();
  return { enabled: row?.enabled ?? false, settings: parseProductSettings(row?.settings) };
}

/** Saves a patch (top-level keys replace, `categoryAccounts` and `fieldUpdates` merge) and optionally the on/off switch. */
export async function saveProductSettings(database: Database, tenantId: string, patch: Partial<ProductSettingsInput>, enabled?: boolean): Promise<ProductSettings> {
  const current = await loadProductSettings(database, tenantId);
  const next = parseProductSettings({
    ...current.settings,
    ...patch,
    fieldUpdates: { ...current.settings.fieldUpdates, ...(patch.fieldUpdates ?? {}) },
    categoryAccounts: { ...current.settings.categoryAccounts, ...(patch.categoryAccounts ?? {}) },
  });
  const on = enabled ?? current.enabled;
  await database
    .insertInto("flow_settings")
    .values({ tenant_id: tenantId, flow: "products", enabled: on, settings: toJson(next), updated_at: new Date() })
    .onConflict((oc) => oc.columns(["tenant_id", "flow"]).doUpdateSet({ settings: toJson(next), enabled: on, updated_at: new Date() }))
    .execute();
  return next;
}
