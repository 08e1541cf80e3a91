import * as z from "zod";
import { toJson, type Database } from "../../db";
import { AppError } from "../../errors/app-error";
import { isValidTimeZone } from "../../time";
import { availableFormulaSchema } from "./available-stock";

const account = z.number().int().min(1).max(999999999);

/** The stock flow's settings (flow_settings.settings for flow "stock"), validated on every read and write. */
export const stockSettingsSchema = z
  .object({
    availableFormula: availableFormulaSchema.default("on_hand_minus_reserved"),
    /**
     * "Stock is managed in BuchhaltungsButler": off → ledger and reports only; on → a periodic inventory
     * valuation posting (Bestandsveränderung) to BB.
     */
    managedInBb: z.boolean().default(false),
    valuationFrequency: z.enum(["month", "quarter", "year"]).default("month"),
    /** Bestand Waren; default per chart (SKR03 3980, SKR04 1140). */
    stockAccount: account.optional(),
    /** Bestandsveränderungen; default per chart (SKR03 3960, SKR04 5880). */
    stockChangeAccount: account.optional(),
    /**
     * The first valuation: "baseline" records the value without posting (the opening stock is usually already
     * in the books via the opening balance); "post_full_value" posts the whole value as an increase.
     */
    firstValuation: z.enum(["baseline", "post_full_value"]).default("baseline"),
    /** Zone of period ends; default: the first active shop's zone. */
    timeZone: z
      .string()
      .refine(isValidTimeZone, { error: "expected an IANA time zone such as Europe/Berlin" })
      .optional(),
    /**
     * A period is valued only once the ledger has been read up to this many minutes past its end, so a sale
     * rung up at 23:59 is in the value.
     */
    settleMinutes: z.number().int().min(0).max(1440).default(15),
    overlapMinutes: z.number().int().min(0).max(1440).default(10),
    pageSize: z.number().int().min(1).max(100).default(100),
    pagesPerRun: z.number().int().min(1).max(10_000).default(200),
  })
  .strict();

export type StockSettings = z.output<typeof stockSettingsSchema>;
export type StockSettingsInput = z.input<typeof stockSettingsSchema>;

export function parseStockSettings(raw: unknown): StockSettings {
  const parsed = stockSettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new AppError("INVALID_INPUT", { detail: `stock settings: ${z.prettifyError(parsed.error)}` });
  return parsed.data;
}

export async function loadStockSettings(database: Database, tenantId: string): Promise<{ enabled: boolean; settings: StockSettings }> {
  const row = await database.selectFrom("flow_settings").select(["enabled", "settings"]).where("tenant_id", "=", tenantId).where("flow", "=", "stock").executeTakeFirst();
  return { enabled: row?.enabled ?? false, settings: parseStockSettings(row?.settings) };
}

export async function saveStockSettings(database: Database, tenantId: string, patch: Partial<StockSettingsInput>, enabled?: boolean): Promise<StockSettings> {
  const current = await loadStockSettings(database, tenantId);
  const next = parseStockSettings({ ...current.settings, ...patch });
  const on = enabled ?? current.enabled;
  await database
    .insertInto("flow_settings")
    .values({ tenant_id: tenantId, flow: "stock", enabled: on, settings: toJson(next), updated_at: new Date() })
    .onConflict((oc) => oc.columns(["tenant_id", "flow"]).doUpdateSet({ settings: toJson(next), enabled: on, updated_at: new Date() }))
    .execute();
  return next;
}
