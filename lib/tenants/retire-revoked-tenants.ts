import type { Database } from "../db";
import { env } from "../env";
import { uninstallTenant } from "./uninstall-tenant";

/**
 * A merchant who removed the app in Lightspeed never comes back through our uninstall screen: Lightspeed just
 * stops accepting the token, and the tenant is paused (LS_AUTH_REVOKED) with its BuchhaltungsButler credentials
 * still stored. After REVOKED_GRACE_DAYS without a reconnect it is treated as uninstalled — credentials
 * forgotten, sessions ended, data purged after the usual grace period.
 */
export async function retireRevokedTenants(database: Database, now = new Date()): Promise<{ retired: string[] }> {
  const cutoff = new Date(now.getTime() - env().REVOKED_GRACE_DAYS * 86_400_000);
  const due = await database
    .selectFrom("tenants")
    .select("id")
    .where("status", "=", "paused")
    .where("paused_reason", "=", "LS_AUTH_REVOKED")
    .where("paused_at", "<=", cutoff)
    .execute();
  const retired: string[] = [];
  for (const t of due) {
    await uninstallTenant(database, t.id, "system:lightspeed-access-revoked", now);
    retired.push(t.id);
  }
  return { retired };
}
