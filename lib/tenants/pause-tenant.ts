import { recordAudit } from "../audit/record-audit";
import type { Database } from "../db";
import type { AppError } from "../errors/app-error";
import { raiseNotification, resolveNotifications } from "../notifications/raise-notification";

/** Where the merchant fixes it; null: nothing in the app can (the notice says what to do). */
const FIX_LINK: Record<string, string | null> = {
  LS_AUTH_REVOKED: "/install",
  LS_SCOPE_MISSING: "/install",
  BB_CREDENTIALS_INVALID: "/setup",
  BB_ACCOUNT_INACTIVE: "/setup",
  BB_DEBTOR_MODE_OFF: "/setup",
  LS_CURRENCY_UNSUPPORTED: null,
};

/**
 * A tenant-fatal problem (revoked Lightspeed token, BB credentials rejected, debtor posting off) pauses every
 * flow of the tenant and notifies once: a persistent banner until it is fixed, not one error per record.
 */
export async function pauseTenant(database: Database, tenantId: string, error: AppError): Promise<{ newlyPaused: boolean }> {
  const before = await database.selectFrom("tenants").select("status").where("id", "=", tenantId).executeTakeFirst();
  if (!before || before.status === "uninstalled") return { newlyPaused: false };
  const now = new Date();
  await database
    .updateTable("tenants")
    .set({ status: "paused", paused_reason: error.code, updated_at: now, ...(before.status !== "paused" ? { paused_at: now } : {}) })
    .where("id", "=", tenantId)
    .where("status", "!=", "uninstalled")
    .execute();
  await raiseNotification(database, {
    tenantId,
    severity: "fatal",
    code: error.code,
    message: { code: "tenant_paused", params: { error: error.code, ...(error.detail ? { detail: error.detail } : {}), ...(error.fixHint ? { fixHint: error.fixHint } : {}) } },
    link: error.code in FIX_LINK ? FIX_LINK[error.code] : "/setup",
    dedupeKey: `tenant:${error.code}`,
  });
  if (before.status !== "paused") await recordAudit(database, { tenantId, actor: "system", action: "tenant.paused", details: { code: error.code } });
  return { newlyPaused: before.status !== "paused" };
}

/** After the merchant fixed the cause (reconnected, corrected credentials): flows run again. */
export async function resumeTenant(database: Database, tenantId: string, fixedCodes: string[], actor: string): Promise<boolean> {
  const t = await database.selectFrom("tenants").select(["status", "paused_reason", "onboarded_at"]).where("id", "=", tenantId).executeTakeFirst();
  if (!t || t.status !== "paused" || !t.paused_reason || !fixedCodes.includes(t.paused_reason)) return false;
  await database
    .updateTable("tenants")
    .set({ status: t.onboarded_at ? "active" : "onboarding", paused_reason: null, paused_at: null, updated_at: new Date() })
    .where("id", "=", tenantId)
    .execute();
  for (const code of fixedCodes) await resolveNotifications(database, tenantId, { dedupeKey: `tenant:${code}` });
  await recordAudit(database, { tenantId, actor, action: "tenant.resumed", details: { fixed: fixedCodes } });
  return true;
}
