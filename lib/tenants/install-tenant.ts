import type { Database } from "../db";
import { recordAudit } from "../audit/record-audit";

export interface InstalledTenant {
  tenantId: string;
  /** First install (or a reinstall after the data was purged): the merchant goes to the setup wizard. */
  isNew: boolean;
  status: string;
}

/**
 * Creates the tenant for a Lightspeed account, or reuses it. Reinstalling is idempotent: same tenant, settings
 * and mappings kept; an uninstalled tenant whose data is still in its grace period comes back as it was.
 */
export async function installTenant(
  database: Database,
  input: { lsAccountId: string; accountName?: string; actor: string },
): Promise<InstalledTenant> {
  return database.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("tenants").selectAll().where("ls_account_id", "=", input.lsAccountId).forUpdate().executeTakeFirst();
    if (existing) {
      if (existing.status === "uninstalled") {
        const restored = await trx
          .updateTable("tenants")
          .set({ status: existing.onboarded_at ? "active" : "onboarding", uninstalled_at: null, purge_after: null, updated_at: new Date() })
          .where("id", "=", existing.id)
          .returning("status")
          .executeTakeFirstOrThrow();
        await recordAudit(trx, { tenantId: existing.id, actor: input.actor, action: "tenant.reinstalled", details: { lsAccountId: input.lsAccountId } });
        return { tenantId: existing.id, isNew: false, status: restored.status };
      }
      if (input.accountName && input.accountName !== existing.name) {
        await trx.updateTable("tenants").set({ name: input.accountName, updated_at: new Date() }).where("id", "=", existing.id).execute();
      }
      return { tenantId: existing.id, isNew: false, status: existing.status };
    }
    const created = await trx
      .insertInto("tenants")
      .values({ ls_account_id: input.lsAccountId, name: input.accountName ?? "", status: "onboarding", updated_at: new Date() })
      .returning(["id", "status"])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { tenantId: created.id, actor: input.actor, action: "tenant.installed", details: { lsAccountId: input.lsAccountId } });
    return { tenantId: created.id, isNew: true, status: created.status };
  });
}
