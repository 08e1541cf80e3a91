import type { Database } from "../db";
import { needsRotation, open, seal, type KeyRing } from "./secret-box";

/**
 * Re-seals every stored credential that is not sealed with the active key (the first of ENCRYPTION_KEYS).
 * Each row is rewritten under its row lock — the same lock a Lightspeed token refresh takes — so a refresh
 * running at the same time can never be overwritten with the old pair. Once it reports 0 rows left, the old
 * key can be removed from ENCRYPTION_KEYS.
 */
export async function rotateCredentials(database: Database, options: { keyRing?: KeyRing; tenantId?: string } = {}): Promise<{ rotated: number; remaining: number }> {
  const keyRing = options.keyRing;
  let q = database.selectFrom("connections").select(["id", "credentials_enc"]).where("credentials_enc", "is not", null);
  if (options.tenantId) q = q.where("tenant_id", "=", options.tenantId);
  const candidates = await q.execute();
  let rotated = 0;
  for (const c of candidates) {
    if (!needsRotation(c.credentials_enc!, keyRing)) continue;
    await database.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("connections").select(["tenant_id", "credentials_enc"]).where("id", "=", c.id).forUpdate().executeTakeFirst();
      if (!row?.credentials_enc || !needsRotation(row.credentials_enc, keyRing)) return;
      const resealed = seal(open(row.credentials_enc, keyRing, row.tenant_id), keyRing, row.tenant_id);
      await trx.updateTable("connections").set({ credentials_enc: resealed, updated_at: new Date() }).where("id", "=", c.id).execute();
      rotated++;
    });
  }
  let leftQ = database.selectFrom("connections").select("credentials_enc").where("credentials_enc", "is not", null);
  if (options.tenantId) leftQ = leftQ.where("tenant_id", "=", options.tenantId);
  const left = await leftQ.execute();
  return { rotated, remaining: left.filter((r) => needsRotation(r.credentials_enc!, keyRing)).length };
}
