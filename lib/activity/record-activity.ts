import type { ActivityResult } from "@/db/schema";
import { slicesOf, toJson, type Database } from "../db";
import { piiStringsOf, redactedJson, redactText } from "./redact-pii";

export interface ActivityEntry {
  tenantId: string;
  runId?: string | null;
  flow: "orders" | "products" | "stock" | "system";
  entity: string;
  sourceId?: string | null;
  /** What a merchant searches for: ticket number, SKU, e-mail (kept unredacted only if PII is not redacted). */
  reference?: string | null;
  result: ActivityResult;
  message: string;
  errorCode?: string | null;
  sourcePayload?: unknown;
  transformedPayload?: unknown;
  targetResponse?: unknown;
  durationMs?: number | null;
}

/** One line per record in the activity log: what came from Lightspeed, what went to BB, what BB answered. */
export async function recordActivity(database: Database, entry: ActivityEntry, options: { redact: boolean }): Promise<void> {
  await recordActivities(database, [entry], options);
}

export async function recordActivities(database: Database, entries: ActivityEntry[], options: { redact: boolean }): Promise<void> {
  if (entries.length === 0) return;
  const json = (v: unknown) => (options.redact ? redactedJson(v) : toJson(v));
  for (const slice of slicesOf(entries)) {
    await database
      .insertInto("activity_log")
      .values(
        slice.map((e) => ({
          tenant_id: e.tenantId,
          run_id: e.runId ?? null,
          flow: e.flow,
          entity: e.entity,
          source_id: e.sourceId ?? null,
          reference: e.reference ?? null,
          result: e.result,
          message: (options.redact ? redactText(e.message, piiStringsOf(e.sourcePayload)) : e.message).slice(0, 2000),
          error_code: e.errorCode ?? null,
          source_payload: json(e.sourcePayload),
          transformed_payload: json(e.transformedPayload),
          target_response: json(e.targetResponse),
          duration_ms: e.durationMs ?? null,
        })),
      )
      .execute();
  }
}
