import { sql, type Kysely } from "kysely";

/**
 * One Lightspeed request budget per (API host × account × OAuth client), held in Postgres: the three flows of a
 * tenant and every process running them draw from the same leaky bucket, so none of them overflows it on the
 * others' account (lib/lightspeed/scheduler.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table ls_rate_buckets (
    bucket_key text primary key,
    state jsonb not null,
    updated_at timestamptz not null default now()
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists ls_rate_buckets`.execute(db);
}
