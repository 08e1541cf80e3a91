import * as z from "zod";
import { toJson, type Database } from "../db";
import { AppError } from "../errors/app-error";

/** Tenant-wide settings (flow-specific ones live in flow_settings). Validated on every read and write. */
export const tenantSettingsSchema = z.object({
  logRetentionDays: z.number().int().min(1).max(3650).optional(),
  redactPii: z.boolean().default(true),
  notificationEmail: z.email().optional(),
  /** What employees without an Admin/Manager role in Lightspeed get: read-only views, or no access at all. */
  staffAccess: z.enum(["read_only", "none"]).default("read_only"),
});

export type TenantSettings = z.output<typeof tenantSettingsSchema>;

export function parseTenantSettings(raw: unknown): TenantSettings {
  const parsed = tenantSettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", { detail: `stored tenant settings are invalid: ${z.prettifyError(parsed.error)}` });
  }
  return parsed.data;
}

export async function getTenantSettings(database: Database, tenantId: string): Promise<TenantSettings> {
  const row = await database.selectFrom("tenants").select("settings").where("id", "=", tenantId).executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", { detail: `tenant ${tenantId}` });
  return parseTenantSettings(row.settings);
}

export async function updateTenantSettings(database: Database, tenantId: string, patch: Partial<TenantSettings>): Promise<TenantSettings> {
  const update = async (trx: Database) => {
    const row = await trx.selectFrom("tenants").select("settings").where("id", "=", tenantId).forUpdate().executeTakeFirst();
    if (!row) throw new AppError("NOT_FOUND", { detail: `tenant ${tenantId}` });
    const next = tenantSettingsSchema.parse({ ...parseTenantSettings(row.settings), ...patch });
    await trx.updateTable("tenants").set({ settings: toJson(next), updated_at: new Date() }).where("id", "=", tenantId).execute();
    return next;
  };
  // Inside a caller's transaction (Settings saves everything at once) it joins that one; Kysely cannot nest.
  return database.isTransaction ? update(database) : database.transaction().execute(update);
}
