import type { Kysely } from "kysely";
import type { DB } from "@/db/schema";
import { toJson } from "../db";

/** Who changed what, for the merchant's and our own records. Secrets never go in `details`. */
export async function recordAudit(
  database: Kysely<DB>,
  entry: { tenantId: string | null; actor: string; action: string; details?: Record<string, unknown> },
): Promise<void> {
  await database
    .insertInto("audit_log")
    .values({ tenant_id: entry.tenantId, actor: entry.actor, action: entry.action, details: toJson(entry.details ?? {}) })
    .execute();
}
