import { sql } from "kysely";
import { AppError } from "../errors/app-error";
import { db } from "../db";
import { auth } from "./index";
import type { AppRole } from "./roles";

export interface TenantContext {
  tenantId: string;
  userId: string;
  tenantName: string;
  tenantStatus: string;
  /** What this user may do; see lib/auth/roles.ts. */
  role: AppRole;
}

/**
 * The tenant comes only from the verified session (which the OAuth callback or a verified launch created),
 * never from a request parameter. Returns null when nobody usable is signed in.
 */
export async function getTenantContext(): Promise<TenantContext | null> {
  const session = (await auth()) as { tenantId?: string | null; role?: string; user?: { id?: string } } | null;
  const tenantId = session?.tenantId;
  const userId = session?.user?.id;
  if (!tenantId || !userId) {
    // Auth.js reports a session it could not read (database down) as no session: the merchant would be sent to
    // sign in again for an outage. Tell the two apart before saying "signed out".
    await assertDatabaseReachable();
    return null;
  }
  const tenant = await db()
    .selectFrom("tenants")
    .select(["id", "name", "status"])
    .where("id", "=", tenantId)
    .executeTakeFirst()
    .catch((e: unknown) => {
      throw new AppError("DATABASE_UNAVAILABLE", { cause: e });
    });
  if (!tenant || tenant.status === "uninstalled") return null;
  return { tenantId: tenant.id, userId, tenantName: tenant.name, tenantStatus: tenant.status, role: session.role === "admin" ? "admin" : "viewer" };
}

async function assertDatabaseReachable(): Promise<void> {
  try {
    await sql`select 1`.execute(db());
  } catch (e) {
    throw new AppError("DATABASE_UNAVAILABLE", { cause: e });
  }
}

export async function requireTenant(): Promise<TenantContext> {
  const ctx = await getTenantContext();
  if (!ctx) throw new AppError("UNAUTHENTICATED");
  return ctx;
}
