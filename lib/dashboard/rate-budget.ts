import type { Database } from "../db";
import { lightspeedConfig } from "../lightspeed";
import { bucketFigures, readSharedBucket } from "../lightspeed/scheduler";

export interface RateBudget {
  /** Drips in the bucket now and its size (Lightspeed's leaky bucket for this account and our client). */
  level: number;
  size: number;
  dripPerSecond: number;
  /** Milliseconds until the next request may go out; > 0 means we are being held back. */
  nextSendInMs: number;
}

/**
 * Lightspeed's request budget as every flow and process shares it (one row per account and client). Null before
 * the first request.
 */
export async function lightspeedBudget(database: Database, tenantId: string): Promise<RateBudget | null> {
  const conn = await database.selectFrom("connections").select(["external_id", "status"]).where("tenant_id", "=", tenantId).where("provider", "=", "lightspeed").executeTakeFirst();
  if (!conn?.external_id || conn.status !== "connected") return null;
  const config = lightspeedConfig();
  const s = await readSharedBucket(database, { apiBaseUrl: config.apiBaseUrl, accountId: conn.external_id, clientId: config.clientId });
  if (!s) return null;
  const f = bucketFigures(s, Date.now());
  return { level: f.bucketLevel, size: f.bucketSize, dripPerSecond: f.dripRate, nextSendInMs: f.nextSendInMs };
}
