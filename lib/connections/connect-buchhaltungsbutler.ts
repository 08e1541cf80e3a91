import * as z from "zod";
import { createBbClient, saveBbCredentials, syncDebtorIndex, type BbConnectionCheck, type BbCredentials } from "../buchhaltungsbutler";
import { logger } from "../log";
import { recordAudit } from "../audit/record-audit";
import { toJson, type Database } from "../db";
import { env } from "../env";
import { AppError, isAppError } from "../errors/app-error";
import { resumeTenant } from "../tenants/pause-tenant";

/** The two ways a merchant can connect BuchhaltungsButler (it has no OAuth). */
export const bbConnectInputSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("partner"), apiKey: z.string().trim().min(8, { error: "Paste the API key BuchhaltungsButler shows for Butlerbridge." }) }),
  z.object({
    mode: z.literal("own"),
    apiClient: z.string().trim().min(3, { error: "Paste the API client from BuchhaltungsButler." }),
    apiSecret: z.string().trim().min(8, { error: "Paste the API secret from BuchhaltungsButler." }),
    apiKey: z.string().trim().min(8, { error: "Paste the API key from BuchhaltungsButler." }),
  }),
]);
export type BbConnectInput = z.infer<typeof bbConnectInputSchema>;

export interface BbConnectResult {
  saved: boolean;
  check: BbConnectionCheck | null;
  /** Set when BB refused the credentials: nothing was saved. */
  error?: { code: string; detail?: string };
}

export function partnerModeAvailable(): boolean {
  const e = env();
  return Boolean(e.BB_PARTNER_CLIENT && e.BB_PARTNER_SECRET);
}

function credentialsFor(input: BbConnectInput): BbCredentials {
  if (input.mode === "own") return { apiClient: input.apiClient, apiSecret: input.apiSecret, apiKey: input.apiKey };
  const e = env();
  if (!e.BB_PARTNER_CLIENT || !e.BB_PARTNER_SECRET) {
    throw new AppError("INVALID_INPUT", { detail: "The partner connection is not available on this installation; use your own API credentials." });
  }
  return { apiClient: e.BB_PARTNER_CLIENT, apiSecret: e.BB_PARTNER_SECRET, apiKey: input.apiKey };
}

async function runCheck(database: Database, tenantId: string, credentials: BbCredentials): Promise<{ check: BbConnectionCheck | null; error?: AppError }> {
  try {
    return { check: await createBbClient({ database, tenantId, credentials }).checkConnection() };
  } catch (e) {
    if (isAppError(e) && (e.kind === "tenant" || e.kind === "record")) return { check: null, error: e };
    throw e;
  }
}

/**
 * Saves the credentials only when BuchhaltungsButler accepts them; the live check (chart, payment accounts,
 * whether debtor posting is usable) is stored with the connection so the setup screens can show it.
 */
export async function connectBuchhaltungsbutler(database: Database, tenantId: string, input: BbConnectInput, actor: string): Promise<BbConnectResult> {
  const credentials = credentialsFor(input);
  const { check, error } = await runCheck(database, tenantId, credentials);
  if (!check) return { saved: false, check: null, error: { code: error!.code, detail: error!.detail } };
  await saveBbCredentials(
    database,
    tenantId,
    input.mode === "own" ? { mode: "own", apiKey: input.apiKey, apiClient: input.apiClient, apiSecret: input.apiSecret } : { mode: "partner", apiKey: input.apiKey },
    { check: check as unknown as Record<string, unknown>, checkedAt: new Date().toISOString() },
  );
  await recordAudit(database, { tenantId, actor, action: "buchhaltungsbutler.connected", details: { mode: input.mode, chart: check.chart, debtorMode: check.debtorMode } });
  // The merchant's existing customers must be found before the first sale creates a second debtor for them.
  // A failure here is not fatal: the first run that meets an unknown customer fills the index.
  await syncDebtorIndex(database, tenantId, createBbClient({ database, tenantId, credentials })).catch((e: unknown) =>
    logger().warn({ err: e, tenantId }, "could not read BuchhaltungsButler's debtors at connect; the first order run will"),
  );
  await resumeTenant(database, tenantId, problemsFixedBy(check), actor);
  return { saved: true, check };
}

/** The tenant-fatal BB problems that a successful check proves gone. */
function problemsFixedBy(check: BbConnectionCheck): string[] {
  return ["BB_CREDENTIALS_INVALID", "BB_ACCOUNT_INACTIVE", ...(check.debtorMode === "usable" ? ["BB_DEBTOR_MODE_OFF"] : [])];
}

/**
 * "Test connection": re-runs the check with the stored credentials and records the result. A tenant paused for a
 * BB problem that the check shows fixed (e.g. the merchant re-enabled the API key in BB) runs again.
 */
export async function testBuchhaltungsbutlerConnection(database: Database, tenantId: string, actor = "system"): Promise<BbConnectResult> {
  try {
    const check = await createBbClient({ database, tenantId }).checkConnection();
    await database
      .updateTable("connections")
      .set({ status: "connected", meta: toJson({ check, checkedAt: new Date().toISOString() }), last_checked_at: new Date(), last_error: toJson(null), updated_at: new Date() })
      .where("tenant_id", "=", tenantId)
      .where("provider", "=", "buchhaltungsbutler")
      .execute();
    await resumeTenant(database, tenantId, problemsFixedBy(check), actor);
    return { saved: true, check };
  } catch (e) {
    if (!isAppError(e) || (e.kind !== "tenant" && e.kind !== "record")) throw e;
    await database
      .updateTable("connections")
      .set({ status: "error", last_checked_at: new Date(), last_error: toJson({ code: e.code, detail: e.detail ?? null }), updated_at: new Date() })
      .where("tenant_id", "=", tenantId)
      .where("provider", "=", "buchhaltungsbutler")
      .execute();
    return { saved: true, check: null, error: { code: e.code, detail: e.detail } };
  }
}

export async function disconnectBuchhaltungsbutler(database: Database, tenantId: string, actor: string): Promise<void> {
  await database
    .updateTable("connections")
    .set({ status: "disconnected", credentials_enc: null, credentials_version: (eb) => eb("credentials_version", "+", 1), updated_at: new Date() })
    .where("tenant_id", "=", tenantId)
    .where("provider", "=", "buchhaltungsbutler")
    .execute();
  await recordAudit(database, { tenantId, actor, action: "buchhaltungsbutler.disconnected" });
}
