import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import * as z from "zod";
import type { ActivityResult, DB } from "@/db/schema";
import type { Database } from "../db";
import { AppError } from "../errors/app-error";
import { zonedTimeToUtc, addDays } from "../time";

/** The activity-log filters as they arrive in the URL (all optional). Dates are business dates in Berlin time. */
export const activityFilterSchema = z.object({
  flow: z.enum(["orders", "products", "stock", "system"]).optional().catch(undefined),
  result: z.enum(["created", "updated", "skipped", "failed", "info"]).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  q: z.string().trim().max(200).optional().transform((v) => (v ? v : undefined)),
});
export type ActivityFilter = Partial<z.output<typeof activityFilterSchema>>;

export interface ActivityListRow {
  id: number;
  createdAt: Date;
  flow: string;
  entity: string;
  sourceId: string | null;
  reference: string | null;
  result: ActivityResult;
  message: string;
  errorCode: string | null;
  durationMs: number | null;
}

export interface ActivityPage {
  rows: ActivityListRow[];
  /** Opaque; pass back as `after` for the next (older) page. Null on the last page. */
  next: string | null;
}

const TZ = "Europe/Berlin";

/**
 * Keyset position: created_at with its full microsecond precision (a JS Date would drop it and skip or repeat
 * rows that share a millisecond) plus the id as tie-breaker.
 */
export function encodeCursor(createdAt: string, id: number): string {
  return Buffer.from(`${createdAt}|${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: string; id: number } {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!createdAt || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(createdAt) || !id || !/^\d+$/.test(id)) {
    throw new AppError("INVALID_INPUT", { detail: "the page link is invalid; start from the first page" });
  }
  return { createdAt, id: Number(id) };
}

/** The WHERE part shared by the list and the CSV export. */
export function activityConditions(tenantId: string, f: ActivityFilter) {
  return (eb: ExpressionBuilder<DB, "activity_log">) => {
    const parts: Expression<SqlBool>[] = [eb("tenant_id", "=", tenantId)];
    if (f.flow) parts.push(eb("flow", "=", f.flow));
    if (f.result) parts.push(eb("result", "=", f.result));
    if (f.from) parts.push(eb("created_at", ">=", zonedTimeToUtc(f.from, 0, TZ)));
    if (f.to) parts.push(eb("created_at", "<", zonedTimeToUtc(addDays(f.to, 1), 0, TZ)));
    if (f.q) {
      const q = f.q;
      const like = `${q.replace(/[\\%_]/g, "\\$&")}%`;
      const text: Expression<SqlBool>[] = [sql<SqlBool>`reference like ${like}`, eb("source_id", "=", q)];
      if (q.includes("@")) text.push(sql<SqlBool>`lower(source_payload #>> '{customer,contact,emails,0,address}') = ${q.toLowerCase()} and source_payload is not null`);
      parts.push(eb.or(text));
    }
    return eb.and(parts);
  };
}

/**
 * One page of the activity log, newest first. Keyset pagination over (created_at, id) — every filter has an
 * index that yields rows in that order, so a page costs the same on the first and the ten-thousandth page.
 */
export async function listActivity(database: Database, tenantId: string, filter: ActivityFilter, page: { after?: string | null; limit?: number } = {}): Promise<ActivityPage> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
  let q = database
    .selectFrom("activity_log")
    .select([
      "id",
      "created_at",
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as("cursor_at"),
      "flow",
      "entity",
      "source_id",
      "reference",
      "result",
      "message",
      "error_code",
      "duration_ms",
    ])
    .where(activityConditions(tenantId, filter));
  if (page.after) {
    const c = decodeCursor(page.after);
    q = q.where(sql<SqlBool>`(created_at, id) < (${c.createdAt}::timestamptz, ${c.id}::bigint)`);
  }
  const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit + 1).execute();
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    rows: shown.map((r) => ({
      id: Number(r.id),
      createdAt: r.created_at,
      flow: r.flow,
      entity: r.entity,
      sourceId: r.source_id,
      reference: r.reference,
      result: r.result,
      message: r.message,
      errorCode: r.error_code,
      durationMs: r.duration_ms,
    })),
    next: more && last ? encodeCursor(last.cursor_at, Number(last.id)) : null,
  };
}
