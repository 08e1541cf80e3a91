import { sql } from "kysely";
import type { Database } from "../db";
import { addDays, shopToday } from "../time";

export interface DayCount {
  date: string;
  synced: number;
  failed: number;
}

/** Records synced (created or updated) and failed per Berlin day, for the dashboard chart; days without rows are 0. */
export async function recordsPerDay(database: Database, tenantId: string, options: { days?: number; today?: string } = {}): Promise<DayCount[]> {
  const days = Math.min(Math.max(options.days ?? 14, 1), 92);
  const today = options.today ?? shopToday();
  const first = addDays(today, -(days - 1));
  const rows = await database
    .selectFrom("activity_log")
    .select([
      sql<string>`to_char((created_at at time zone 'Europe/Berlin')::date, 'YYYY-MM-DD')`.as("day"),
      sql<string>`count(*) filter (where result in ('created', 'updated'))`.as("synced"),
      sql<string>`count(*) filter (where result = 'failed')`.as("failed"),
    ])
    .where("tenant_id", "=", tenantId)
    .where("created_at", ">=", sql<Date>`(${first}::date::timestamp at time zone 'Europe/Berlin')`)
    .groupBy(sql`1`)
    .execute();
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: DayCount[] = [];
  for (let d = first; d <= today; d = addDays(d, 1)) {
    const r = byDay.get(d);
    out.push({ date: d, synced: Number(r?.synced ?? 0), failed: Number(r?.failed ?? 0) });
  }
  return out;
}
