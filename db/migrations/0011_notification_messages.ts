import { sql, type Kysely } from "kysely";

/**
 * Inbox entries as code + parameters (`{ code, params }`), rendered in the viewer's language. Rows written before
 * keep their finished text in title/body/fix_hint and have no message; the app renders those as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications add column message jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications drop column if exists message`.execute(db);
}
