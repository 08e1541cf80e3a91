import type { Flow } from "@/db/schema";
import type { Database } from "../db";

/** Tenants whose flow is switched on and who are not paused or uninstalled: the cron polls fan out to these. */
export async function listTenantsForFlow(database: Database, flow: Flow): Promise<string[]> {
  const rows = await database
    .selectFrom("flow_settings")
    .innerJoin("tenants", "tenants.id", "flow_settings.tenant_id")
    .select("tenants.id")
    .where("flow_settings.flow", "=", flow)
    .where("flow_settings.enabled", "=", true)
    .where("flow_settings.paused_at", "is", null)
    .where("tenants.status", "=", "active")
    .orderBy("tenants.id")
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a tenant's flow may run right now (checked at the start of every run and page). */
export async function flowMayRun(database: Database, tenantId: string, flow: Flow): Promise<boolean> {
  const row = await database
    .selectFrom("flow_settings")
    .innerJoin("tenants", "tenants.id", "flow_settings.tenant_id")
    .select(["tenants.status", "flow_settings.enabled", "flow_settings.paused_at"])
    .where("flow_settings.tenant_id", "=", tenantId)
    .where("flow_settings.flow", "=", flow)
    .executeTakeFirst();
  return !!row && row.enabled && !row.paused_at && row.status === "active";
}
