import type { Database } from "../db";
import { failedSourceIds, type LinkEntity } from "./links";

/**
 * Failed records to retry: all of an entity, or those behind one inbox notification (same problem key), so
 * "fix the mapping, then retry all" touches exactly the records that failed for that reason.
 */
export async function listFailedRecords(database: Database, tenantId: string, filter: { entity: LinkEntity; dedupeKey?: string; limit?: number }): Promise<string[]> {
  return failedSourceIds(database, tenantId, filter);
}
