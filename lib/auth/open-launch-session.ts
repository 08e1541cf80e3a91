import crypto from "node:crypto";
import type { Database } from "../db";
import { AppError } from "../errors/app-error";
import { LAUNCH_SESSION_SECONDS } from "./cookies";

export interface LaunchContext {
  accountId: string;
  /** The link's signature: a link opens one session only. Absent only for callers that verified nothing. */
  signature?: string;
  /** When the link expires (seconds since the epoch): how long its use must be remembered. */
  exp?: number;
  employeeId?: string | null;
  shopId?: string | null;
  registerId?: string | null;
  saleId?: string | null;
  type?: string | null;
}

export interface LaunchSession {
  tenantId: string;
  tenantName: string;
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
  const tenant = await database.selectFrom("tenants").select(["id", "name", "status"]).where("ls_account_id", "=", launch.accountId).executeTakeFirst();
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
    if (launch.signature) await claimLaunchLink(trx, launch.accountId, launch.signature, launch.exp, now);
    await trx
      .insertInto("User")
      .values({ id: userId, name: `Lightspeed employee ${employee}`, email: null, emailVerified: null, image: null, tenant_id: tenant.id })
      .onConflict((oc) => oc.column("id").doUpdateSet({ tenant_id: tenant.id }))
      .execute();
    await trx.insertInto("Session").values({ userId, sessionToken, expires, hard_expires_at: expires }).execute();
  });
  const target = launch.saleId && launch.saleId !== "0" ? `/activity?q=${encodeURIComponent(launch.saleId)}` : tenant.status === "onboarding" ? "/setup" : "/";
  return { tenantId: tenant.id, tenantName: tenant.name, sessionToken, expires, target };
}

/**
 * Records the link as used; a second use of the same signed link is refused. The record is kept a day past the
 * link's own expiry (after that the link is refused as expired anyway) and old records are cleared as we go.
 */
async function claimLaunchLink(trx: Database, accountId: string, signature: string, exp: number | undefined, now: Date): Promise<void> {
  const signatureHash = crypto.createHash("sha256").update(signature).digest("base64url");
  const until = new Date(((exp ?? Math.floor(now.getTime() / 1000)) + 86_400) * 1000);
  await trx.deleteFrom("launch_uses").where("expires_at", "<", now).execute();
  const claimed = await trx
    .insertInto("launch_uses")
    .values({ signature_hash: signatureHash, account_id: accountId, expires_at: until })
    .onConflict((oc) => oc.column("signature_hash").doNothing())
    .returning("signature_hash")
    .executeTakeFirst();
  if (!claimed) {
    throw new AppError("LAUNCH_INVALID", { detail: "this launch link was already used", fixHint: "Open Butlerbridge again with the button in Lightspeed." });
  }
}
