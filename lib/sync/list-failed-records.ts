import { sql } from "kysely";
import type { Database } from "../db";
import type { LinkEntity } from "./links";

/**
 * Failed records to retry: all of an entity, or those behind one inbox notification (same problem key), so
 * "fix the mapping, then retry all" touches exactly the records that failed for that reason.
 */
export async function listFailedRecords(database: Database, tenantId: string, filter: { entity: LinkEntity; dedupeKey?: string; limit?: number }): Promise<string[]> {
  let q = database
    .selectFrom("sync_links")
    .select("source_id")
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", filter.entity)
    .where("status", "=", "failed");
  if (filter.dedupeKey) q = q.where(sql<string>`last_error->>'dedupeKey'`, "=", filter.dedupeKey);
  const rows = await q.orderBy("updated_at").limit(filter.limit ?? 1000).execute();
  return rows.map((r) => r.source_id);
}
