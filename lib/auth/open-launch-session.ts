import crypto from "node:crypto";
import type { Database } from "../db";
import { AppError } from "../errors/app-error";
import { createLightspeedClient, type LsEmployee } from "../lightspeed";
import { logger } from "../log";
import { parseTenantSettings } from "../tenants/tenant-settings";
import { LAUNCH_SESSION_SECONDS } from "./cookies";
import { roleForEmployee, type AppRole } from "./roles";

const EMPLOYEE_LOOKUP_TIMEOUT_MS = 8_000;

/** Reads the launching employee and their role from Lightspeed; null when Lightspeed does not know them. */
export type EmployeeLookup = (database: Database, tenantId: string, employeeId: string) => Promise<LsEmployee | null>;

const lookupInLightspeed: EmployeeLookup = (database, tenantId, employeeId) => createLightspeedClient({ database, tenantId }).getEmployee(employeeId);

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
  role: AppRole;
}

/**
 * A verified Custom Menu Button launch opens a short-lived session for that Lightspeed account, and only for
 * an account that has installed the app (a launch never creates a tenant: installing needs OAuth consent).
 * Anyone at the register can press the button, so the launch is worth only what the employee's Lightspeed role
 * says (lib/auth/roles.ts); each employee is their own user, and the role is read afresh at every launch.
 */
export async function openLaunchSession(
  database: Database,
  launch: LaunchContext,
  now = new Date(),
  lookupEmployee: EmployeeLookup = lookupInLightspeed,
): Promise<LaunchSession> {
  const tenant = await database.selectFrom("tenants").select(["id", "name", "status", "settings"]).where("ls_account_id", "=", launch.accountId).executeTakeFirst();
  if (!tenant || tenant.status === "uninstalled") {
    throw new AppError("LAUNCH_INVALID", {
      detail: `Lightspeed account ${launch.accountId} has not installed Butlerbridge`,
      context: { reason: "not_installed" },
      fixHint: "Install Butlerbridge from the Lightspeed integrations page first.",
    });
  }
  const employeeId = launch.employeeId && /^\d+$/.test(launch.employeeId) && !/^0+$/.test(launch.employeeId) ? launch.employeeId : null;
  const employee = employeeId ? await readEmployee(lookupEmployee, database, tenant.id, employeeId) : null;
  const role = roleForEmployee(employee, parseTenantSettings(tenant.settings).staffAccess);
  if (!role) {
    throw new AppError("FORBIDDEN", {
      detail: employee && (employee.lockOut || employee.archived) ? `employee ${employeeId} is locked out or archived in Lightspeed` : "this account gives staff no access to Butlerbridge",
      fixHint: "Ask an administrator or manager to open Butlerbridge, or to allow staff access in the Butlerbridge settings.",
    });
  }
  const userId = `lightspeed-launch:${launch.accountId}:${employeeId ?? "unknown"}`;
  const name = employee && `${employee.firstName} ${employee.lastName}`.trim() ? `${employee.firstName} ${employee.lastName}`.trim() : `Lightspeed employee ${employeeId ?? "unknown"}`;
  const sessionToken = crypto.randomBytes(32).toString("base64url");
  const expires = new Date(now.getTime() + LAUNCH_SESSION_SECONDS * 1000);
  await database.transaction().execute(async (trx) => {
    if (launch.signature) await claimLaunchLink(trx, launch.accountId, launch.signature, launch.exp, now);
    await trx
      .insertInto("User")
      .values({ id: userId, name, email: null, emailVerified: null, image: null, tenant_id: tenant.id, role })
      .onConflict((oc) => oc.column("id").doUpdateSet({ tenant_id: tenant.id, role, name }))
      .execute();
    await trx.insertInto("Session").values({ userId, sessionToken, expires, hard_expires_at: expires }).execute();
  });
  const target = launch.saleId && launch.saleId !== "0" ? `/activity?q=${encodeURIComponent(launch.saleId)}` : tenant.status === "onboarding" ? "/setup" : "/";
  return { tenantId: tenant.id, tenantName: tenant.name, sessionToken, expires, target, role };
}

/**
 * Who is launching, as Lightspeed sees it. When Lightspeed cannot tell (down, or the app was authorised without
 * the right to read employees), the launch is treated as one without an employee: staff access at most, never
 * more than the merchant allows staff.
 */
async function readEmployee(lookup: EmployeeLookup, database: Database, tenantId: string, employeeId: string, timeoutMs = EMPLOYEE_LOOKUP_TIMEOUT_MS): Promise<LsEmployee | null> {
  // The tenant's Lightspeed budget is shared with its sync runs; a drained bucket must not keep someone at the
  // register waiting for the page, so a slow answer counts as no answer.
  let timer: NodeJS.Timeout | undefined;
  const read = lookup(database, tenantId, employeeId);
  read.catch(() => {});
  try {
    return await Promise.race([
      read,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AppError("UPSTREAM_UNAVAILABLE", { detail: `no answer about employee ${employeeId} within ${timeoutMs} ms` })), timeoutMs);
      }),
    ]);
  } catch (e) {
    logger().warn({ err: e, tenantId, employeeId }, "could not read the launching employee from Lightspeed; staff access at most");
    return null;
  } finally {
    clearTimeout(timer);
  }
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
    throw new AppError("LAUNCH_INVALID", { detail: "this launch link was already used", fixHint: "Open Butlerbridge again with the button in Lightspeed.", context: { reason: "link_used" } });
  }
}
