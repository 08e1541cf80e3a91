import type { Database } from "../db";
import { logger } from "../log";
import { createBbClient } from "./client";
import { syncDebtorIndex } from "./debtor-index";

/** Tenants whose debtor index the nightly refresh fills from BB again: connected and not paused or gone. */
export async function listTenantsWithBb(database: Database): Promise<string[]> {
  const rows = await database
    .selectFrom("tenants")
    .innerJoin("connections", "connections.tenant_id", "tenants.id")
    .select("tenants.id")
    .where("tenants.status", "in", ["active", "onboarding"])
    .where("connections.provider", "=", "buchhaltungsbutler")
    .where("connections.status", "=", "connected")
    .orderBy("tenants.id")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * One tenant's nightly refresh, so customers the merchant added or changed in BB by hand are matched. A failure
 * (credentials, outage) is reported, not thrown: it must not stop the other tenants' refresh.
 */
export async function refreshDebtorIndexOf(database: Database, tenantId: string): Promise<{ ok: boolean; count: number }> {
  try {
    const { count } = await syncDebtorIndex(database, tenantId, createBbClient({ database, tenantId }));
    return { ok: true, count };
  } catch (e) {
    logger().warn({ err: e, tenantId }, "nightly debtor index refresh failed for this tenant");
    return { ok: false, count: 0 };
  }
}
