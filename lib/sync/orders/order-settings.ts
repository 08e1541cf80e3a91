import * as z from "zod";
import type { Database } from "../../db";
import { toJson } from "../../db";
import { AppError } from "../../errors/app-error";

/** The order flow's settings (flow_settings.settings for flow "orders"), validated on every read and write. */
export const orderSettingsSchema = z.object({
  /** One receipt per sale, or one per shop (or register) and business day (Tagesabschluss). */
  postingMode: z.enum(["per_sale", "daily_summary"]).default("per_sale"),
  /** Daily summary per shop or per register. */
  summaryGranularity: z.enum(["shop", "register"]).default("shop"),
  /** In daily-summary mode, sales of identified customers (with an e-mail) still go individually. */
  individualForIdentifiedCustomers: z.boolean().default(true),
  /** YYYY-MM-DD: the first business day to sync. */
  startDate: z.iso.date().optional(),
  /** Business days end at this hour in the shop's time zone (04 for a bar open past midnight). */
  cutoffHour: z.number().int().min(0).max(12).default(0),
  /** `{shopID}`, `{ticketNumber}`, `{saleID}`, `{registerID}`; the result must be ≤ 60 characters (BB's limit). */
  invoiceNumberPattern: z.string().min(1).max(60).default("LS-{shopID}-{ticketNumber}"),
  updateExistingDebtors: z.boolean().default(false),
  /**
   * A sale edited after it was posted: reverse and post again (the default: a cash ↔ card change left unbooked
   * is a wrong cash book), or leave BB as it is and raise an inbox item.
   */
  editsAfterSync: z.enum(["ignore", "repost"]).default("repost"),
  /** Minutes of overlap when polling (Lightspeed timestamps are not strictly ordered at commit time). */
  overlapMinutes: z.number().int().min(0).max(1440).default(10),
  /** Use the category → revenue account mapping (products flow) instead of only the tax-rate mapping. */
  categoryRevenueAccounts: z.boolean().default(false),
  /** Largest sale total accepted without manual review (absurd amounts are usually data errors). */
  maxSaleTotalCents: z.number().int().positive().default(10_000_000),
});

export type OrderSettings = z.output<typeof orderSettingsSchema>;

export function parseOrderSettings(raw: unknown): OrderSettings {
  const parsed = orderSettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new AppError("INVALID_INPUT", { detail: `order settings: ${z.prettifyError(parsed.error)}` });
  return parsed.data;
}

export async function loadOrderSettings(database: Database, tenantId: string): Promise<{ enabled: boolean; settings: OrderSettings }> {
  const row = await database.selectFrom("flow_settings").select(["enabled", "settings"]).where("tenant_id", "=", tenantId).where("flow", "=", "orders").executeTakeFirst();
  return { enabled: row?.enabled ?? false, settings: parseOrderSettings(row?.settings) };
}

export async function saveOrderSettings(database: Database, tenantId: string, patch: Partial<z.input<typeof orderSettingsSchema>>, enabled?: boolean): Promise<OrderSettings> {
  const current = await loadOrderSettings(database, tenantId);
  const next = parseOrderSettings({ ...current.settings, ...patch });
  await database
    .insertInto("flow_settings")
    .values({ tenant_id: tenantId, flow: "orders", enabled: enabled ?? current.enabled, settings: toJson(next), updated_at: new Date() })
    .onConflict((oc) => oc.columns(["tenant_id", "flow"]).doUpdateSet({ settings: toJson(next), enabled: enabled ?? current.enabled, updated_at: new Date() }))
    .execute();
  return next;
}
