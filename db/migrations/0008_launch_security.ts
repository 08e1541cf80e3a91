import { sql, type Kysely } from "kysely";

/**
 * Launch links: each signed link opens one session only (a copied or replayed link is refused), and a launch
 * session ends when it says it does, however often it is used (Auth.js would otherwise slide it to 8 h).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table launch_uses (
    signature_hash text primary key,
    account_id text not null,
    used_at timestamptz not null default now(),
    expires_at timestamptz not null
  )`.execute(db);
  await sql`create index launch_uses_expires_idx on launch_uses (expires_at)`.execute(db);
  await sql`alter table "Session" add column hard_expires_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "Session" drop column if exists hard_expires_at`.execute(db);
  await sql`drop table if exists launch_uses`.execute(db);
}
