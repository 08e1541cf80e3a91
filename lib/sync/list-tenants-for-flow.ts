import type { Flow } from "@/db/schema";
import type { Database } from "../db";

/**
 * Tenants whose flow is switched on, who are not paused or uninstalled, and whose own schedule (Settings: every
 * N minutes, stored as N in flow_settings.schedule) says a poll is due: the cron polls fan out to these. The
 * cron itself ticks at the shortest interval; a tenant on "hourly" is polled when its last poll is an hour old.
 */
export async function listTenantsForFlow(database: Database, flow: Flow, now: Date = new Date()): Promise<string[]> {
  const rows = await database
    .selectFrom("flow_settings")
    .innerJoin("tenants", "tenants.id", "flow_settings.tenant_id")
    .select(["tenants.id", "flow_settings.schedule"])
    .select((eb) =>
      eb
        .selectFrom("sync_runs")
        .select((r) => r.fn.max("sync_runs.started_at").as("last"))
        .whereRef("sync_runs.tenant_id", "=", "tenants.id")
        .where("sync_runs.flow", "=", flow)
        .where("sync_runs.kind", "=", "poll")
        .as("lastPoll"),
    )
    .where("flow_settings.flow", "=", flow)
    .where("flow_settings.enabled", "=", true)
    .where("flow_settings.paused_at", "is", null)
    .where("tenants.status", "=", "active")
    .orderBy("tenants.id")
    .execute();
  return rows
    .filter((r) => {
      const minutes = Number(r.schedule);
      if (!r.schedule || !Number.isFinite(minutes) || minutes <= 0 || !r.lastPoll) return true;
      // A minute of slack: a poll that started a few seconds late must not push the next one a whole interval.
      return now.getTime() - new Date(r.lastPoll).getTime() >= (minutes - 1) * 60_000;
    })
    .map((r) => r.id);
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
