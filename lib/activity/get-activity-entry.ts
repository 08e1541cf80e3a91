import type { ActivityResult, LinkStatus } from "@/db/schema";
import { sql, type SqlBool } from "kysely";
import type { Database } from "../db";
import { linkStatus } from "../sync/links";

export interface LinkError {
  code?: string;
  detail?: string | null;
  fixHint?: string | null;
}

export interface ActivityEntryDetail {
  id: number;
  createdAt: Date;
  runId: string | null;
  flow: string;
  entity: string;
  sourceId: string | null;
  reference: string | null;
  result: ActivityResult;
  message: string;
  errorCode: string | null;
  durationMs: number | null;
  /** What came from Lightspeed, what we sent to BB, what BB answered. */
  sourcePayload: unknown;
  transformedPayload: unknown;
  targetResponse: unknown;
  /** The record's current sync state (it may have been fixed since this entry). */
  link: { status: LinkStatus; step: string; lastError: LinkError | null; updatedAt: Date } | null;
  /** Whether "resync this record" can be offered for this entry. */
  resyncable: boolean;
}

/** One entry with its payloads, strictly within the tenant (another tenant's id is simply not found). */
export async function getActivityEntry(database: Database, tenantId: string, id: number): Promise<ActivityEntryDetail | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const r = await database.selectFrom("activity_log").selectAll().where("tenant_id", "=", tenantId).where(sql<SqlBool>`id = ${id}`).executeTakeFirst();
  if (!r) return null;
  const link = r.source_id ? await linkStatus(database, tenantId, r.entity, r.source_id) : undefined;
  return {
    id: Number(r.id),
    createdAt: r.created_at,
    runId: r.run_id,
    flow: r.flow,
    entity: r.entity,
    sourceId: r.source_id,
    reference: r.reference,
    result: r.result,
    message: r.message,
    errorCode: r.error_code,
    durationMs: r.duration_ms,
    sourcePayload: r.source_payload,
    transformedPayload: r.transformed_payload,
    targetResponse: r.target_response,
    link: link ?? null,
    resyncable: isResyncable(r.flow, r.entity, r.source_id),
  };
}

/** Sales can be resent one by one; products and stock are resynced by a manual run of their flow. */
export function isResyncable(flow: string, entity: string, sourceId: string | null): boolean {
  if (!sourceId) return false;
  if (flow === "orders") return entity === "sale" && /^\d+$/.test(sourceId);
  return flow === "products" || flow === "stock";
}
