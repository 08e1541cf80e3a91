import * as z from "zod";
import { openJson, sealJson } from "../crypto/secret-box";
import { toJson, type Database } from "../db";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import type { BbCredentials, BbStoredCredentials } from "./types";

/**
 * BB credentials at rest: sealed (AES-256-GCM, tenant id as associated data, so a row copied to another tenant
 * does not open) on the tenant's `connections` row. Partner mode stores only the merchant's API key; the
 * client and secret are ours, from the environment.
 */
export const storedCredentialsSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("partner"), apiKey: z.string().trim().min(1, { error: "the API key is empty" }) }),
  z.strictObject({
    mode: z.literal("own"),
    apiKey: z.string().trim().min(1, { error: "the API key is empty" }),
    apiClient: z.string().trim().min(1, { error: "the API client is empty" }),
    apiSecret: z.string().trim().min(1, { error: "the API secret is empty" }),
  }),
]);

export async function saveBbCredentials(
  database: Database,
  tenantId: string,
  stored: { mode: "partner" | "own"; apiKey: string; apiClient?: string; apiSecret?: string },
  meta: Record<string, unknown> = {},
): Promise<void> {
  const parsed = storedCredentialsSchema.safeParse(stored.mode === "partner" ? { mode: "partner", apiKey: stored.apiKey } : stored);
  if (!parsed.success) throw new AppError("INVALID_INPUT", { detail: `BuchhaltungsButler credentials: ${z.prettifyError(parsed.error)}` });
  const sealed = sealJson(parsed.data, undefined, tenantId);
  const now = new Date();
  const fullMeta = toJson({ ...meta, mode: parsed.data.mode });
  await database
    .insertInto("connections")
    .values({
      tenant_id: tenantId,
      provider: "buchhaltungsbutler",
      status: "connected",
      credentials_enc: sealed,
      credentials_version: 1,
      meta: fullMeta,
      last_checked_at: meta.check ? now : null,
      last_error: toJson(null),
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "provider"]).doUpdateSet((eb) => ({
        status: "connected",
        credentials_enc: sealed,
        credentials_version: eb("connections.credentials_version", "+", 1),
        meta: fullMeta,
        last_checked_at: meta.check ? now : eb.ref("connections.last_checked_at"),
        last_error: toJson(null),
        updated_at: now,
      })),
    )
    .execute();
}

export async function loadStoredBbCredentials(database: Database, tenantId: string): Promise<BbStoredCredentials> {
  const row = await database
    .selectFrom("connections")
    .select(["credentials_enc", "status"])
    .where("tenant_id", "=", tenantId)
    .where("provider", "=", "buchhaltungsbutler")
    .executeTakeFirst();
  if (!row?.credentials_enc || row.status === "disconnected") {
    throw new AppError("BB_CREDENTIALS_INVALID", { detail: "BuchhaltungsButler is not connected for this shop", fixHint: "Connect BuchhaltungsButler under Setup." });
  }
  let raw: unknown;
  try {
    raw = openJson(row.credentials_enc, undefined, tenantId);
  } catch (e) {
    throw new AppError("BB_CREDENTIALS_INVALID", { detail: "the stored BuchhaltungsButler credentials cannot be decrypted (was an encryption key removed?)", cause: e });
  }
  const parsed = storedCredentialsSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("BB_CREDENTIALS_INVALID", { detail: "the stored BuchhaltungsButler credentials are incomplete; connect again" });
  return parsed.data;
}

/** The credentials a request needs, resolving partner mode against BB_PARTNER_CLIENT/BB_PARTNER_SECRET. */
export async function loadBbCredentials(database: Database, tenantId: string): Promise<BbCredentials> {
  const stored = await loadStoredBbCredentials(database, tenantId);
  if (stored.mode === "own") return { apiClient: stored.apiClient, apiSecret: stored.apiSecret, apiKey: stored.apiKey };
  const e = env();
  if (!e.BB_PARTNER_CLIENT || !e.BB_PARTNER_SECRET) {
    throw new AppError("BB_CREDENTIALS_INVALID", {
      detail: "this shop connected BuchhaltungsButler through our partner access, but BB_PARTNER_CLIENT/BB_PARTNER_SECRET are not configured",
      fixHint: "Configure the partner credentials, or connect with your own API client, secret and key.",
    });
  }
  return { apiClient: e.BB_PARTNER_CLIENT, apiSecret: e.BB_PARTNER_SECRET, apiKey: stored.apiKey };
}
