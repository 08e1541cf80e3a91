import { sql } from "kysely";
import type { Database } from "../db";

export interface PurgeResult {
  tenantId: string;
  retentionDays: number;
  deleted: number;
}

/**
 * Deletes a tenant's activity-log rows older than its retention setting, in bounded batches so a first run on
 * a large table never holds one huge transaction.
 */
export async function purgeActivityLog(
  database: Database,
  tenantId: string,
  retentionDays: number,
  options: { now?: Date; batchSize?: number } = {},
): Promise<PurgeResult> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError(`retention must be at least one day, got ${retentionDays}`);
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const batchSize = options.batchSize ?? 5_000;
  let deleted = 0;
  for (;;) {
    const result = await sql<{ n: number }>`
      with doomed as (
        select id from activity_log
        where tenant_id = ${tenantId} and created_at < ${cutoff}
        limit ${batchSize}
      )
      delete from activity_log where id in (select id from doomed)`.execute(database);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < batchSize) break;
  }
  return { tenantId, retentionDays, deleted };
}
