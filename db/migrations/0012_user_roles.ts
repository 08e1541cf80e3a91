import { sql, type Kysely } from "kysely";

/**
 * Roles: what a signed-in user may do. A launch from the register used to make anyone an admin; from now on the
 * role comes from the employee's Lightspeed role at each launch. Users who signed in through OAuth (they have an
 * Account row) authorised the app, which only Lightspeed admins can do, so they keep admin; everyone else starts
 * as a viewer until their next launch reads their role.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "User" add column role text not null default 'viewer' check (role in ('admin', 'viewer'))`.execute(db);
  await sql`update "User" set role = 'admin' where id in (select "userId" from "Account")`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "User" drop column if exists role`.execute(db);
}
