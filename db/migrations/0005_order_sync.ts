import { sql, type Kysely } from "kysely";

/** A refund line names the original sale line; this index finds the original sale's link without a scan. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index sync_links_sale_lines_idx on sync_links using gin ((target_ids -> 'lineIds')) where entity = 'sale'`.execute(db);
  // Daily summaries look up the pending sales of a day.
  await sql`create index sync_links_day_idx on sync_links (tenant_id, (target_ids ->> 'dayKey')) where entity = 'sale' and step = 'day'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists sync_links_day_idx`.execute(db);
  await sql`drop index if exists sync_links_sale_lines_idx`.execute(db);
}
