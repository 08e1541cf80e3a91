import { recordAudit } from "../audit/record-audit";
import type { Database } from "../db";

/**
 * Deletes every tenant whose grace period after uninstalling has run out. Foreign keys cascade to all of its
 * data; the audit entry survives (tenant_id set null) with the Lightspeed account id for the record.
 */
export async function purgeUninstalledTenants(database: Database, now = new Date()): Promise<{ purged: string[] }> {
  const due = await database
    .selectFrom("tenants")
    .select(["id", "ls_account_id"])
    .where("status", "=", "uninstalled")
    .where("purge_after", "<=", now)
    .execute();
  const purged: string[] = [];
  for (const t of due) {
    await database.transaction().execute(async (trx) => {
      // Re-check under the lock: a reinstall in the meantime cancels the purge.
      const still = await trx.selectFrom("tenants").select("id").where("id", "=", t.id).where("status", "=", "uninstalled").forUpdate().executeTakeFirst();
      if (!still) return;
      await trx.deleteFrom("User").where("tenant_id", "=", t.id).execute();
      await trx.deleteFrom("tenants").where("id", "=", t.id).execute();
      await recordAudit(trx, { tenantId: null, actor: "system", action: "tenant.purged", details: { tenantId: t.id, lsAccountId: t.ls_account_id } });
      purged.push(t.id);
    });
  }
  return { purged };
}
