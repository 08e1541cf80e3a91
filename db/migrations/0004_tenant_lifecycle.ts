import { sql, type Kysely } from "kysely";

/** When the merchant finished the setup wizard (a reinstall returns to the dashboard, not the wizard). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tenants add column onboarded_at timestamptz`.execute(db);
  await sql`create index tenants_purge_idx on tenants (purge_after) where purge_after is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists tenants_purge_idx`.execute(db);
  await sql`alter table tenants drop column if exists onboarded_at`.execute(db);
}
