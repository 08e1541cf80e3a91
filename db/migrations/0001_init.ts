import { sql, type Kysely } from "kysely";

/**
 * The base schema. Tables that later issues extend keep their own jsonb for flow-specific state, so new
 * columns are additive and nothing has to be rebuilt.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tenants (
      id uuid primary key default gen_random_uuid(),
      ls_account_id text not null unique,
      name text not null default '',
      status text not null default 'onboarding'
        check (status in ('onboarding', 'active', 'paused', 'uninstalled')),
      paused_reason text,
      locale text not null default 'de',
      settings jsonb not null default '{}'::jsonb,
      installed_at timestamptz not null default now(),
      uninstalled_at timestamptz,
      purge_after timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  // Credentials are stored as AES-256-GCM envelopes that carry their key id, so keys can rotate row by row.
  await sql`
    create table connections (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id) on delete cascade,
      provider text not null check (provider in ('lightspeed', 'buchhaltungsbutler')),
      status text not null default 'connected'
        check (status in ('connected', 'needs_reauth', 'error', 'disconnected')),
      external_id text,
      credentials_enc text,
      credentials_version integer not null default 0,
      token_expires_at timestamptz,
      scopes text,
      meta jsonb not null default '{}'::jsonb,
      last_checked_at timestamptz,
      last_error jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, provider)
    )`.execute(db);

  await sql`
    create table flow_settings (
      tenant_id uuid not null references tenants(id) on delete cascade,
      flow text not null check (flow in ('orders', 'products', 'stock')),
      enabled boolean not null default false,
      settings jsonb not null default '{}'::jsonb,
      schedule text,
      paused_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, flow)
    )`.execute(db);

  await sql`
    create table sync_cursors (
      tenant_id uuid not null references tenants(id) on delete cascade,
      entity text not null,
      cursor jsonb not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, entity)
    )`.execute(db);

  await sql`
    create table mappings (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id) on delete cascade,
      kind text not null,
      source_key text not null,
      target jsonb not null,
      updated_at timestamptz not null default now(),
      unique (tenant_id, kind, source_key)
    )`.execute(db);

  // One row per synced source record: which BB objects exist for it and how far the write got.
  await sql`
    create table sync_links (
      tenant_id uuid not null references tenants(id) on delete cascade,
      entity text not null,
      source_id text not null,
      target_ids jsonb not null default '{}'::jsonb,
      step text not null default 'new',
      status text not null default 'pending'
        check (status in ('pending', 'done', 'failed', 'voided', 'skipped')),
      hash text,
      attempts integer not null default 0,
      last_error jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, entity, source_id)
    )`.execute(db);
  await sql`create index sync_links_status_idx on sync_links (tenant_id, entity, status)`.execute(db);

  await sql`
    create table sync_runs (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id) on delete cascade,
      flow text not null,
      kind text not null check (kind in ('poll', 'manual', 'backfill', 'resync', 'maintenance')),
      status text not null default 'running'
        check (status in ('running', 'succeeded', 'partial', 'failed', 'cancelled')),
      params jsonb not null default '{}'::jsonb,
      progress jsonb not null default '{}'::jsonb,
      counts jsonb not null default '{}'::jsonb,
      error jsonb,
      started_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create index sync_runs_tenant_idx on sync_runs (tenant_id, flow, started_at desc)`.execute(db);

  // Keyset pagination walks (tenant_id, created_at desc, id desc); filters add flow/result in front of time.
  await sql`
    create table activity_log (
      id bigserial primary key,
      tenant_id uuid not null references tenants(id) on delete cascade,
      run_id uuid,
      flow text not null,
      entity text not null,
      source_id text,
      reference text,
      result text not null check (result in ('created', 'updated', 'skipped', 'failed', 'info')),
      message text not null default '',
      error_code text,
      source_payload jsonb,
      transformed_payload jsonb,
      target_response jsonb,
      duration_ms integer,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index activity_log_keyset_idx on activity_log (tenant_id, created_at desc, id desc)`.execute(db);
  await sql`create index activity_log_flow_idx on activity_log (tenant_id, flow, result, created_at desc, id desc)`.execute(db);
  await sql`create index activity_log_reference_idx on activity_log (tenant_id, reference)`.execute(db);

  await sql`
    create table notifications (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id) on delete cascade,
      severity text not null check (severity in ('info', 'warning', 'error', 'fatal')),
      code text not null,
      title text not null,
      body text not null default '',
      fix_hint text,
      link text,
      flow text,
      entity text,
      source_id text,
      dedupe_key text not null,
      occurrences integer not null default 1,
      read_at timestamptz,
      resolved_at timestamptz,
      emailed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // One open notification per problem: a repeat bumps `occurrences` instead of flooding the inbox.
  await sql`create unique index notifications_open_dedupe_idx on notifications (tenant_id, dedupe_key) where resolved_at is null`.execute(db);
  await sql`create index notifications_inbox_idx on notifications (tenant_id, created_at desc)`.execute(db);

  await sql`
    create table audit_log (
      id bigserial primary key,
      tenant_id uuid references tenants(id) on delete set null,
      actor text not null,
      action text not null,
      details jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index audit_log_tenant_idx on audit_log (tenant_id, created_at desc)`.execute(db);

  // Auth.js tables, in the quoted camelCase the Kysely adapter expects.
  await sql`
    create table "User" (
      id text primary key,
      name text,
      email text unique,
      "emailVerified" timestamptz,
      image text,
      tenant_id uuid references tenants(id) on delete cascade
    )`.execute(db);
  await sql`
    create table "Account" (
      id uuid primary key default gen_random_uuid(),
      "userId" text not null references "User"(id) on delete cascade,
      type text not null,
      provider text not null,
      "providerAccountId" text not null,
      refresh_token text,
      access_token text,
      expires_at bigint,
      token_type text,
      scope text,
      id_token text,
      session_state text,
      unique (provider, "providerAccountId")
    )`.execute(db);
  await sql`
    create table "Session" (
      id uuid primary key default gen_random_uuid(),
      "userId" text not null references "User"(id) on delete cascade,
      "sessionToken" text not null unique,
      expires timestamptz not null
    )`.execute(db);
  await sql`
    create table "VerificationToken" (
      identifier text not null,
      token text not null unique,
      expires timestamptz not null,
      primary key (identifier, token)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ["VerificationToken", "Session", "Account", "User"]) await sql`drop table if exists ${sql.id(t)}`.execute(db);
  for (const t of ["audit_log", "notifications", "activity_log", "sync_runs", "sync_links", "mappings", "sync_cursors", "flow_settings", "connections", "tenants"]) {
    await sql`drop table if exists ${sql.id(t)}`.execute(db);
  }
}
