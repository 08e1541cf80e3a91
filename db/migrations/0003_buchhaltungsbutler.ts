import { sql, type Kysely } from "kysely";

/**
 * State of the BuchhaltungsButler client that must be shared by every process writing for a tenant:
 *  - bb_rate_windows: one row per (tenant, limit bucket) holding the recent call slots. The row lock is what
 *    serialises the decision "may I call now?" across processes; the slots are clock milliseconds so a scaled
 *    clock (tests, benchmarks) keeps the ratios.
 *  - bb_debtors: every debtor of the tenant, paged once and then kept current on each create/update, so the
 *    e-mail check per order needs no API call (BB's debtor list has no search).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table bb_rate_windows (
      tenant_id uuid not null references tenants(id) on delete cascade,
      bucket text not null,
      slots jsonb not null default '[]'::jsonb,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, bucket)
    )`.execute(db);

  await sql`
    create table bb_debtors (
      tenant_id uuid not null references tenants(id) on delete cascade,
      postingaccount_number integer not null,
      name text not null,
      email_normalized text,
      customer_number text,
      data jsonb not null default '{}'::jsonb,
      seen_at timestamptz not null default now(),
      primary key (tenant_id, postingaccount_number)
    )`.execute(db);
  await sql`create index bb_debtors_email_idx on bb_debtors (tenant_id, email_normalized) where email_normalized is not null`.execute(db);
  await sql`create index bb_debtors_customer_idx on bb_debtors (tenant_id, customer_number) where customer_number is not null`.execute(db);

  await sql`
    create table bb_debtor_index_state (
      tenant_id uuid primary key references tenants(id) on delete cascade,
      synced_at timestamptz not null,
      debtor_count integer not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists bb_debtor_index_state`.execute(db);
  await sql`drop table if exists bb_debtors`.execute(db);
  await sql`drop table if exists bb_rate_windows`.execute(db);
}
