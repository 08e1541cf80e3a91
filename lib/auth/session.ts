import { AppError } from "../errors/app-error";
import { db } from "../db";
import { auth } from "./index";

export interface TenantContext {
  tenantId: string;
  userId: string;
  tenantName: string;
  tenantStatus: string;
}

/**
 * The tenant comes only from the verified session (which the OAuth callback or a verified launch created),
 * never from a request parameter. Returns null when nobody usable is signed in.
 */
export async function getTenantContext(): Promise<TenantContext | null> {
  const session = (await auth()) as { tenantId?: string | null; user?: { id?: string } } | null;
  const tenantId = session?.tenantId;
  const userId = session?.user?.id;
  if (!tenantId || !userId) return null;
  const tenant = await db().selectFrom("tenants").select(["id", "name", "status"]).where("id", "=", tenantId).executeTakeFirst();
  if (!tenant || tenant.status === "uninstalled") return null;
  return { tenantId: tenant.id, userId, tenantName: tenant.name, tenantStatus: tenant.status };
}

export async function requireTenant(): Promise<TenantContext> {
  const ctx = await getTenantContext();
  if (!ctx) throw new AppError("UNAUTHENTICATED");
  return ctx;
}
