import { recordAudit } from "../audit/record-audit";
import type { Database } from "../db";
import { env } from "../env";
import { logger } from "../log";
import { createLightspeedClient } from "../lightspeed";

export interface UninstallResult {
  purgeAfter: Date;
  lightspeedRevoked: boolean;
}

/**
 * Disconnect / uninstall: revoke the Lightspeed token, forget all credentials, end every session, mark the
 * tenant uninstalled and schedule its data for deletion after the grace period. The caller cancels running jobs
 * (a job event) — lib/ does not know the job driver.
 */
export async function uninstallTenant(database: Database, tenantId: string, actor: string, now = new Date()): Promise<UninstallResult> {
  let lightspeedRevoked = false;
  try {
    await createLightspeedClient({ database, tenantId }).revoke();
    lightspeedRevoked = true;
  } catch (e) {
    // A token that is already dead cannot be revoked; the uninstall must still go through.
    logger().warn({ err: e, tenantId }, "Lightspeed token revocation failed during uninstall");
  }
  const purgeAfter = new Date(now.getTime() + env().UNINSTALL_GRACE_DAYS * 86_400_000);
  await database.transaction().execute(async (trx) => {
    await trx
      .updateTable("connections")
      .set({ status: "disconnected", credentials_enc: null, credentials_version: (eb) => eb("credentials_version", "+", 1), updated_at: now })
      .where("tenant_id", "=", tenantId)
      .execute();
    await trx.updateTable("tenants").set({ status: "uninstalled", uninstalled_at: now, purge_after: purgeAfter, updated_at: now }).where("id", "=", tenantId).execute();
    await trx.deleteFrom("Session").where("userId", "in", trx.selectFrom("User").select("id").where("tenant_id", "=", tenantId)).execute();
    await recordAudit(trx, { tenantId, actor, action: "tenant.uninstalled", details: { purgeAfter: purgeAfter.toISOString(), lightspeedRevoked } });
  });
  return { purgeAfter, lightspeedRevoked };
}
