import { sql, type SqlBool } from "kysely";
import type { Database } from "../db";
import { activityConditions, type ActivityFilter } from "./list-activity";

const COLUMNS = ["time", "flow", "entity", "reference", "source_id", "result", "error_code", "message", "duration_ms"] as const;

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a cell as a formula. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The filtered log as CSV, produced in keyset chunks so a large export never holds the whole log in memory.
 * Payloads are not exported (they can hold customer data); the detail view shows them.
 */
export async function* exportActivityCsv(database: Database, tenantId: string, filter: ActivityFilter, options: { maxRows?: number; chunk?: number } = {}): AsyncGenerator<string> {
  const maxRows = options.maxRows ?? 100_000;
  const chunk = options.chunk ?? 2_000;
  yield "\uFEFF" + COLUMNS.join(",") + "\r\n";
  let after: { at: string; id: number } | null = null;
  let sent = 0;
  while (sent < maxRows) {
    let q = database
      .selectFrom("activity_log")
      .select(["id", "created_at", sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as("cursor_at"), "flow", "entity", "reference", "source_id", "result", "error_code", "message", "duration_ms"])
      .where(activityConditions(tenantId, filter));
    if (after) q = q.where(sql<SqlBool>`(created_at, id) < (${after.at}::timestamptz, ${after.id}::bigint)`);
    const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(Math.min(chunk, maxRows - sent)).execute();
    if (rows.length === 0) return;
    let out = "";
    for (const r of rows) {
      out += [r.created_at, r.flow, r.entity, r.reference, r.source_id, r.result, r.error_code, r.message, r.duration_ms].map(csvCell).join(",") + "\r\n";
    }
    yield out;
    sent += rows.length;
    const last = rows[rows.length - 1]!;
    after = { at: last.cursor_at, id: Number(last.id) };
    if (rows.length < chunk) return;
  }
}
