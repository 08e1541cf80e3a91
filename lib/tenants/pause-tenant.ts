import { recordAudit } from "../audit/record-audit";
import type { Database } from "../db";
import { APP_ERROR_CODES, type AppError } from "../errors/app-error";
import { raiseNotification, resolveNotifications } from "../notifications/raise-notification";

const FIX_LINK: Record<string, string> = {
  LS_AUTH_REVOKED: "/install",
  LS_SCOPE_MISSING: "/install",
  BB_CREDENTIALS_INVALID: "/setup",
  BB_ACCOUNT_INACTIVE: "/setup",
  BB_DEBTOR_MODE_OFF: "/setup",
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
  const spec = APP_ERROR_CODES[error.code];
  await raiseNotification(database, {
    tenantId,
    severity: "fatal",
    code: error.code,
    title: spec.de,
    body: error.detail ?? spec.en,
    fixHint: error.fixHint ?? null,
    link: FIX_LINK[error.code] ?? "/setup",
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
