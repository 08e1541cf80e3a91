import type { Database } from "../db";
import { lightspeedConfig } from "../lightspeed";
import { schedulerFor } from "../lightspeed/scheduler";
import { systemClock } from "../clock";

export interface RateBudget {
  /** Drips in the bucket now and its size (Lightspeed's leaky bucket for this account and our client). */
  level: number;
  size: number;
  dripPerSecond: number;
  /** Milliseconds until the next request may go out; > 0 means we are being held back. */
  nextSendInMs: number;
  throttled429: number;
  requests: number;
}

/**
 * Lightspeed's request budget as this process's scheduler sees it (the flows run in the app process with the
 * inline driver; with Inngest workers the numbers describe this instance only). Null before the first request.
 */
export async function lightspeedBudget(database: Database, tenantId: string): Promise<RateBudget | null> {
  const conn = await database.selectFrom("connections").select(["external_id", "status"]).where("tenant_id", "=", tenantId).where("provider", "=", "lightspeed").executeTakeFirst();
  if (!conn?.external_id || conn.status !== "connected") return null;
  const config = lightspeedConfig();
  const s = schedulerFor({ apiBaseUrl: config.apiBaseUrl, accountId: conn.external_id, clientId: config.clientId }, systemClock).stats();
  if (s.requests === 0) return null;
  return { level: s.bucketLevel, size: s.bucketSize, dripPerSecond: s.dripRate, nextSendInMs: s.nextSendInMs, throttled429: s.throttled429, requests: s.requests };
}
