import { sql, type Kysely } from "kysely";

/**
 * The merchant-facing app: where the setup wizard got to (resumable), and indexes for the activity-log filters
 * so every filter combination walks an index in keyset order, even at millions of rows per tenant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tenants add column onboarding jsonb not null default '{}'::jsonb`.execute(db);
  // "Only failures" without a flow: the flow index cannot serve it (flow comes first there).
  await sql`create index activity_log_result_idx on activity_log (tenant_id, result, created_at desc, id desc)`.execute(db);
  // Text filter: ticket numbers and SKUs by prefix (text_pattern_ops makes LIKE 'x%' indexable in any collation).
  // Covering (created_at, id) so a prefix search picks its newest page index-only.
  await sql`create index activity_log_reference_prefix_idx on activity_log (tenant_id, reference text_pattern_ops) include (created_at, id)`.execute(db);
  // A sale id from the back office (or any source id), whatever the entity.
  await sql`create index activity_log_source_idx on activity_log (tenant_id, source_id)`.execute(db);
  // A customer's e-mail as it came from Lightspeed (only present when PII redaction is off).
  await sql`create index activity_log_email_idx on activity_log (tenant_id, lower(source_payload #>> '{customer,contact,emails,0,address}')) where source_payload is not null`.execute(db);
  // The bell: unread, unresolved notifications of a tenant.
  await sql`create index notifications_open_idx on notifications (tenant_id, updated_at desc) where resolved_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const idx of ["notifications_open_idx", "activity_log_email_idx", "activity_log_source_idx", "activity_log_reference_prefix_idx", "activity_log_result_idx"]) {
    await sql`drop index if exists ${sql.id(idx)}`.execute(db);
  }
  await sql`alter table tenants drop column if exists onboarding`.execute(db);
}
