import type { Database } from "../db";

/**
 * Which tenant the browser is signed in to now, by its session cookie: a launch for another Lightspeed account
 * must ask before it replaces that session (otherwise a link planted by someone else signs the merchant into
 * the planter's books — login CSRF).
 */
export async function sessionTenant(database: Database, sessionToken: string | undefined, now = new Date()): Promise<{ tenantId: string; tenantName: string; expires: Date } | null> {
  if (!sessionToken) return null;
  const row = await database
    .selectFrom("Session")
    .innerJoin("User", "User.id", "Session.userId")
    .innerJoin("tenants", "tenants.id", "User.tenant_id")
    .select(["tenants.id", "tenants.name", "tenants.status", "Session.expires"])
    .where("Session.sessionToken", "=", sessionToken)
    .where("Session.expires", ">", now)
    .executeTakeFirst();
  if (!row || row.status === "uninstalled") return null;
  return { tenantId: row.id, tenantName: row.name, expires: row.expires };
}

/** The merchant declined the switch: the launch's session must not linger usable. */
export async function discardSession(database: Database, sessionToken: string): Promise<void> {
  await database.deleteFrom("Session").where("sessionToken", "=", sessionToken).execute();
}

/** A launch target is one of our own paths, never another origin (it travels through a form). */
export function safeTarget(target: string | null | undefined): string {
  return target && target.startsWith("/") && !target.startsWith("//") && !target.startsWith("/\\") ? target : "/";
}

/**
 * Auth.js slides a session's expiry forward on use; a launch session may not slide past its hard end (1 h from
 * the launch), whatever the merchant does in between.
 */
export async function cappedExpiry(database: Database, sessionToken: string, expires: Date | undefined): Promise<Date | undefined> {
  if (!expires) return expires;
  const row = await database.selectFrom("Session").select("hard_expires_at").where("sessionToken", "=", sessionToken).executeTakeFirst();
  return row?.hard_expires_at && row.hard_expires_at < expires ? row.hard_expires_at : expires;
}
