import type { Flow } from "@/db/schema";
import type { Database } from "../db";
import { isPollDue } from "./poll-slot";

/**
 * Tenants whose flow is switched on, who are not paused or uninstalled, and whose poll is due at `now` (their
 * own interval, on their own minute within it: see poll-slot.ts): the cron polls, ticking every minute, fan
 * out to these.
 */
export async function listTenantsForFlow(database: Database, flow: Flow, tick: Date = new Date(), now: Date = new Date()): Promise<string[]> {
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
    .filter((r) => isPollDue({ tenantId: r.id, flow, schedule: r.schedule, lastPollAt: r.lastPoll ? new Date(r.lastPoll) : null }, tick, now))
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
