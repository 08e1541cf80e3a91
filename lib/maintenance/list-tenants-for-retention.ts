import type { Database } from "../db";
import { env } from "../env";
import { parseTenantSettings } from "../tenants/tenant-settings";

export interface RetentionTarget {
  tenantId: string;
  retentionDays: number;
}

/** Every tenant that still has data, with its own log-retention setting or the installation default. */
export async function listTenantsForRetention(database: Database, defaultDays = env().DEFAULT_LOG_RETENTION_DAYS): Promise<RetentionTarget[]> {
  const rows = await database.selectFrom("tenants").select(["id", "settings"]).orderBy("id").execute();
  return rows.map((r) => {
    let days = defaultDays;
    try {
      days = parseTenantSettings(r.settings).logRetentionDays ?? defaultDays;
    } catch {
      // A tenant with broken settings keeps the default rather than blocking everyone else's purge.
    }
    return { tenantId: r.id, retentionDays: days };
  });
}
