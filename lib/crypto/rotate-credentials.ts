import type { Database } from "../db";
import { logger } from "../log";
import { needsRotation, open, seal, type KeyRing } from "./secret-box";

/**
 * Re-seals every stored credential that is not sealed with the active key (the first of ENCRYPTION_KEYS).
 * Each row is rewritten under its row lock — the same lock a Lightspeed token refresh takes — so a refresh
 * running at the same time can never be overwritten with the old pair. A row that cannot be opened (its key was
 * removed, or it is damaged) is skipped and reported, so one bad row does not keep every other row on the old key;
 * it stays counted in `remaining`, so the old key is never reported safe to remove while such a row exists.
 * Once it reports 0 rows left, the old key can be removed from ENCRYPTION_KEYS.
 */
export interface RotationResult {
  rotated: number;
  remaining: number;
  /** Rows that could not be opened with any configured key: which connection and why. */
  failed: { connectionId: string; tenantId: string; reason: string }[];
}

export async function rotateCredentials(database: Database, options: { keyRing?: KeyRing; tenantId?: string } = {}): Promise<RotationResult> {
  const keyRing = options.keyRing;
  let q = database.selectFrom("connections").select(["id", "credentials_enc"]).where("credentials_enc", "is not", null);
  if (options.tenantId) q = q.where("tenant_id", "=", options.tenantId);
  const candidates = await q.execute();
  let rotated = 0;
  const failed: RotationResult["failed"] = [];
  for (const c of candidates) {
    if (!needsRotation(c.credentials_enc!, keyRing)) continue;
    await database.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("connections").select(["tenant_id", "credentials_enc"]).where("id", "=", c.id).forUpdate().executeTakeFirst();
      if (!row?.credentials_enc || !needsRotation(row.credentials_enc, keyRing)) return;
      let plaintext: string;
      try {
        plaintext = open(row.credentials_enc, keyRing, row.tenant_id);
      } catch (e) {
        const failure = { connectionId: c.id, tenantId: row.tenant_id, reason: e instanceof Error ? e.message : String(e) };
        failed.push(failure);
        logger().error(failure, "a stored credential cannot be opened with any configured key; it was not re-encrypted (reconnect that tenant)");
        return;
      }
      await trx.updateTable("connections").set({ credentials_enc: seal(plaintext, keyRing, row.tenant_id), updated_at: new Date() }).where("id", "=", c.id).execute();
      rotated++;
    });
  }
  let leftQ = database.selectFrom("connections").select("credentials_enc").where("credentials_enc", "is not", null);
  if (options.tenantId) leftQ = leftQ.where("tenant_id", "=", options.tenantId);
  const left = await leftQ.execute();
  return { rotated, remaining: left.filter((r) => needsRotation(r.credentials_enc!, keyRing)).length, failed };
}
