import { sql, type Kysely } from "kysely";

/** The inline job driver's outbox: events asked for and not yet done survive a restart of the demo or dev server. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table inline_job_events (
    id text primary key,
    name text not null,
    data jsonb not null,
    created_at timestamptz not null default now()
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists inline_job_events`.execute(db);
}
