import crypto from "node:crypto";
import type { Database } from "../db";
import { AppError } from "../errors/app-error";
import { LAUNCH_SESSION_SECONDS } from "./cookies";

export interface LaunchContext {
  accountId: string;
  employeeId?: string | null;
  shopId?: string | null;
  registerId?: string | null;
  saleId?: string | null;
  type?: string | null;
}

export interface LaunchSession {
  tenantId: string;
  sessionToken: string;
  expires: Date;
  /** Where to send the merchant: the page for what they were looking at in Lightspeed. */
  target: string;
}

/**
 * A verified Custom Menu Button launch opens a short-lived session for that Lightspeed account, and only for
 * an account that has installed the app (a launch never creates a tenant: installing needs OAuth consent).
 */
export async function openLaunchSession(database: Database, launch: LaunchContext, now = new Date()): Promise<LaunchSession> {
  const tenant = await database.selectFrom("tenants").select(["id", "status"]).where("ls_account_id", "=", launch.accountId).executeTakeFirst();
  if (!tenant || tenant.status === "uninstalled") {
    throw new AppError("LAUNCH_INVALID", {
      detail: `Lightspeed account ${launch.accountId} has not installed Butlerbridge`,
      fixHint: "Install Butlerbridge from the Lightspeed integrations page first.",
    });
  }
  const employee = launch.employeeId && launch.employeeId !== "0" ? launch.employeeId : "unknown";
  const userId = `lightspeed-launch:${launch.accountId}:${employee}`;
  const sessionToken = crypto.randomBytes(32).toString("base64url");
  const expires = new Date(now.getTime() + LAUNCH_SESSION_SECONDS * 1000);
  await database.transaction().execute(async (trx) => {
    await trx
      .insertInto("User")
      .values({ id: userId, name: `Lightspeed employee ${employee}`, email: null, emailVerified: null, image: null, tenant_id: tenant.id })
      .onConflict((oc) => oc.column("id").doUpdateSet({ tenant_id: tenant.id }))
      .execute();
    await trx.insertInto("Session").values({ userId, sessionToken, expires }).execute();
  });
  const target = launch.saleId && launch.saleId !== "0" ? `/activity?q=${encodeURIComponent(launch.saleId)}` : tenant.status === "onboarding" ? "/setup" : "/";
  return { tenantId: tenant.id, sessionToken, expires, target };
}
