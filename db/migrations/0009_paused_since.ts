import { sql, type Kysely } from "kysely";

/** When a tenant was paused: a tenant whose Lightspeed access stays revoked is retired after a grace period. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tenants add column paused_at timestamptz`.execute(db);
  await sql`update tenants set paused_at = updated_at where status = 'paused'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tenants drop column if exists paused_at`.execute(db);
}
