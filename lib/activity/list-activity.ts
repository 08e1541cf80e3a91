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

/** The filters except the text: flow, result, Berlin dates. */
function baseConditions(tenantId: string, f: ActivityFilter) {
  return (eb: ExpressionBuilder<DB, "activity_log">) => {
    const parts: Expression<SqlBool>[] = [eb("tenant_id", "=", tenantId)];
    if (f.flow) parts.push(eb("flow", "=", f.flow));
    if (f.result) parts.push(eb("result", "=", f.result));
    if (f.from) parts.push(eb("created_at", ">=", zonedTimeToUtc(f.from, 0, TZ)));
    if (f.to) parts.push(eb("created_at", "<", zonedTimeToUtc(addDays(f.to, 1), 0, TZ)));
    return eb.and(parts);
  };
}

/**
 * What the text filter matches, one index each: the exact reference (ticket number, SKU), the source id (a sale
 * id from the back office), a reference prefix (from 3 characters on) and a customer's e-mail (only present
 * when PII redaction is off).
 */
type Condition = (eb: ExpressionBuilder<DB, "activity_log">) => Expression<SqlBool>;

function textBranches(tenantId: string, q: string, prefixPage?: (prefix: Condition) => Condition): Condition[] {
  const branches: Condition[] = [(eb) => eb("reference", "=", q), (eb) => eb("source_id", "=", q)];
  if ([...q].length >= 3) {
    const like = `${q.replace(/[\\%_]/g, "\\$&")}%`;
    const prefix: Condition = () => sql<SqlBool>`reference like ${like} and reference <> ${q}`;
    branches.push(prefixPage ? prefixPage(prefix) : prefix);
  }
  // The e-mail ids are collected first (an init plan on the e-mail index): left to itself the planner tends to
  // walk the whole log by time looking for them.
  if (q.includes("@")) {
    branches.push(
      () => sql<SqlBool>`id = any(array(select id from activity_log where tenant_id = ${tenantId} and lower(source_payload #>> '{customer,contact,emails,0,address}') = ${q.toLowerCase()} and source_payload is not null limit 10000))`,
    );
  }
  return branches;
}

/** The WHERE part as one expression (the CSV export walks it in chunks). */
export function activityConditions(tenantId: string, f: ActivityFilter) {
  return (eb: ExpressionBuilder<DB, "activity_log">) => {
    const base = baseConditions(tenantId, f)(eb);
    if (!f.q) return base;
    return eb.and([base, eb.or(textBranches(tenantId, f.q).map((b) => b(eb)))]);
  };
}

/**
 * One page of the activity log, newest first. Keyset pagination over (created_at, id) — every filter has an
 * index that yields rows in that order, so a page costs the same on the first and the ten-thousandth page.
 */
export async function listActivity(database: Database, tenantId: string, filter: ActivityFilter, page: { after?: string | null; limit?: number } = {}): Promise<ActivityPage> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
  const cursor = page.after ? decodeCursor(page.after) : null;
  const query = (extra?: (eb: ExpressionBuilder<DB, "activity_log">) => Expression<SqlBool>) => {
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
      .where(baseConditions(tenantId, filter));
    if (extra) q = q.where(extra);
    if (cursor) q = q.where(sql<SqlBool>`(created_at, id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::bigint)`);
    return q.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit + 1).execute();
  };
  let rows: Awaited<ReturnType<typeof query>>;
  if (!filter.q) rows = await query();
  else {
    // One query per way a text can match, each on its own index and each already cut to a page; the newest
    // page of their union is the answer. (An OR of them makes Postgres walk the whole log by time.)
    // The prefix branch picks its page of ids on the covering prefix index first (index-only, no heap reads for
    // the hundreds of rows a prefix can match), then reads just those rows.
    const prefixPage = (prefix: Condition): Condition => {
      let ids = database.selectFrom("activity_log").select("id").where(baseConditions(tenantId, filter)).where(prefix);
      if (cursor) ids = ids.where(sql<SqlBool>`(created_at, id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::bigint)`);
      const page = ids.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit + 1);
      return () => sql<SqlBool>`id = any(array(${page}))`;
    };
    const parts = await Promise.all(textBranches(tenantId, filter.q, prefixPage).map((b) => query(b)));
    const seen = new Set<number>();
    rows = parts
      .flat()
      .filter((r) => (seen.has(Number(r.id)) ? false : (seen.add(Number(r.id)), true)))
      .sort((a, b) => (a.cursor_at === b.cursor_at ? Number(b.id) - Number(a.id) : a.cursor_at < b.cursor_at ? 1 : -1))
      .slice(0, limit + 1);
  }
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
