import { decodeJwt } from "jose";
import * as z from "zod";
import type { Clock } from "../clock";
import { toJson, type Database } from "../db";
import { AppError } from "../errors/app-error";
import { openJson, sealJson } from "../crypto/secret-box";
import { logger } from "../log";
import type { LsConfig } from "./config";
import { requestTokenRefresh, requestTokenRevocation } from "./oauth-endpoints";

/**
 * Lightspeed tokens live on the tenant's `connections` row (provider 'lightspeed'), sealed with the tenant id as
 * associated data. Refresh tokens are single-use and rotate, so a refresh happens under `select … for update`,
 * re-checks the row after taking the lock (another worker may have refreshed already), and stores the new pair
 * before anything uses it. A dead refresh token flips the connection to 'needs_reauth'.
 */
const sealedTokens = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1) });

export interface LightspeedTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scopes: string[];
  accountId: string;
}

export interface StoredCredentials {
  accessToken: string;
  refreshToken: string;
  /** credentials_version of the row these came from. */
  version: number;
  /** Clock milliseconds. */
  expiresAt: number;
  accountId: string;
}

/** After OAuth consent (every sign-in: the previous refresh token may be dead): upsert, bump the version. */
export async function saveLightspeedTokens(database: Database, tenantId: string, tokens: LightspeedTokens): Promise<void> {
  const sealed = sealJson({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }, undefined, tenantId);
  const now = new Date();
  await database
    .insertInto("connections")
    .values({
      tenant_id: tenantId,
      provider: "lightspeed",
      status: "connected",
      external_id: tokens.accountId,
      credentials_enc: sealed,
      credentials_version: 1,
      token_expires_at: tokens.expiresAt,
      scopes: tokens.scopes.join(" "),
      meta: toJson({}),
      last_error: toJson(null),
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "provider"]).doUpdateSet((eb) => ({
        status: "connected",
        external_id: tokens.accountId,
        credentials_enc: sealed,
        credentials_version: eb("connections.credentials_version", "+", 1),
        token_expires_at: tokens.expiresAt,
        scopes: tokens.scopes.join(" "),
        last_error: toJson(null),
        updated_at: now,
      })),
    )
    .execute();
}

/** The connection cannot be used until the merchant authorises again; syncing stops (tenant-fatal). */
export async function markLightspeedNeedsReauth(database: Database, tenantId: string, reason: string): Promise<void> {
  await database
    .updateTable("connections")
    .set({ status: "needs_reauth", last_error: toJson({ code: "LS_AUTH_REVOKED", detail: reason, at: new Date().toISOString() }), updated_at: new Date() })
    .where("tenant_id", "=", tenantId)
    .where("provider", "=", "lightspeed")
    .execute();
}

interface ConnectionRow {
  status: string;
  external_id: string | null;
  credentials_enc: string | null;
  credentials_version: number;
  token_expires_at: Date | null;
}

function unseal(tenantId: string, row: ConnectionRow): StoredCredentials {
  if (row.status === "needs_reauth" || row.status === "disconnected") {
    throw new AppError("LS_AUTH_REVOKED", { detail: `The Lightspeed connection is ${row.status === "disconnected" ? "disconnected" : "waiting for re-authorisation"}` });
  }
  if (!row.credentials_enc || !row.external_id) throw new AppError("LS_AUTH_REVOKED", { detail: "Lightspeed is not connected for this shop" });
  const tokens = sealedTokens.parse(openJson(row.credentials_enc, undefined, tenantId));
  return { ...tokens, version: row.credentials_version, expiresAt: row.token_expires_at?.getTime() ?? 0, accountId: row.external_id };
}

const COLUMNS = ["status", "external_id", "credentials_enc", "credentials_version", "token_expires_at"] as const;

export async function loadLightspeedCredentials(database: Database, tenantId: string): Promise<StoredCredentials> {
  const row = await database.selectFrom("connections").select(COLUMNS).where("tenant_id", "=", tenantId).where("provider", "=", "lightspeed").executeTakeFirst();
  if (!row) throw new AppError("LS_AUTH_REVOKED", { detail: "Lightspeed is not connected for this shop" });
  return unseal(tenantId, row);
}

type RefreshOutcome = { ok: true; creds: StoredCredentials; refreshed: boolean } | { ok: false; reason: string };

/** In-flight refreshes per tenant in this process, so concurrent callers share one. */
const processInflight = new Map<string, Promise<StoredCredentials>>();

export interface TokenSourceOptions {
  database: Database;
  tenantId: string;
  config: LsConfig;
  clock: Clock;
  /** Coordination map for in-process single-flight (tests pass their own to act like separate processes). */
  inflight?: Map<string, Promise<StoredCredentials>>;
}

/** Hands out a usable access token, refreshing only on expiry or after a 401, never twice for one generation. */
export class TokenSource {
  private cached: StoredCredentials | null = null;
  private readonly inflight: Map<string, Promise<StoredCredentials>>;
  /** Refreshes this source performed over HTTP (tests and stats). */
  refreshCount = 0;

  constructor(private readonly opts: TokenSourceOptions) {
    this.inflight = opts.inflight ?? processInflight;
  }

  private expired(c: StoredCredentials): boolean {
    return this.opts.clock.now() + this.opts.config.refreshMarginMs >= c.expiresAt;
  }

  async current(): Promise<StoredCredentials> {
    this.cached ??= await loadLightspeedCredentials(this.opts.database, this.opts.tenantId);
    if (!this.expired(this.cached)) return this.cached;
    this.cached = await this.refresh(this.cached.version, false);
    return this.cached;
  }

  /** After a 401 with the token of `usedVersion`: a newer stored token is used as is, else refresh once. */
  async afterUnauthorized(usedVersion: number): Promise<StoredCredentials> {
    this.cached = await this.refresh(usedVersion, true);
    return this.cached;
  }

  async accountId(): Promise<string> {
    this.cached ??= await loadLightspeedCredentials(this.opts.database, this.opts.tenantId);
    return this.cached.accountId;
  }

  forget(): void {
    this.cached = null;
  }

  private refresh(staleVersion: number, force: boolean): Promise<StoredCredentials> {
    const key = `${this.opts.tenantId}:${staleVersion}`;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.refreshLocked(staleVersion, force).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async refreshLocked(staleVersion: number, force: boolean): Promise<StoredCredentials> {
    const { database, tenantId, config, clock } = this.opts;
    const outcome = await database.transaction().execute(async (trx): Promise<RefreshOutcome> => {
      const row = await trx.selectFrom("connections").select(COLUMNS).where("tenant_id", "=", tenantId).where("provider", "=", "lightspeed").forUpdate().executeTakeFirst();
      if (!row) throw new AppError("LS_AUTH_REVOKED", { detail: "Lightspeed is not connected for this shop" });
      const creds = unseal(tenantId, row);
      // Someone refreshed while we waited for the lock: their pair is the one to use.
      if (creds.version !== staleVersion) return { ok: true, creds, refreshed: false };
      if (!force && !this.expired(creds)) return { ok: true, creds, refreshed: false };
      const result = await requestTokenRefresh(config, creds.refreshToken);
      if (!result.ok) {
        await trx
          .updateTable("connections")
          .set({ status: "needs_reauth", last_error: toJson({ code: "LS_AUTH_REVOKED", detail: result.reason, at: new Date().toISOString() }), updated_at: new Date() })
          .where("tenant_id", "=", tenantId)
          .where("provider", "=", "lightspeed")
          .execute();
        return { ok: false, reason: result.reason };
      }
      const expiresAt = clock.now() + result.expiresIn * 1000;
      let scopes: string | undefined;
      try {
        const claims = decodeJwt(result.accessToken);
        if (typeof claims.scope === "string") scopes = claims.scope;
      } catch {
        // Not a JWT we can read: keep the stored scopes.
      }
      // Persisted before first use: if this process dies now, the next one finds the new pair.
      const updated = await trx
        .updateTable("connections")
        .set({
          credentials_enc: sealJson({ accessToken: result.accessToken, refreshToken: result.refreshToken }, undefined, tenantId),
          credentials_version: staleVersion + 1,
          token_expires_at: new Date(expiresAt),
          ...(scopes !== undefined ? { scopes } : {}),
          status: "connected",
          last_error: toJson(null),
          updated_at: new Date(),
        })
        .where("tenant_id", "=", tenantId)
        .where("provider", "=", "lightspeed")
        .returning("credentials_version")
        .executeTakeFirstOrThrow();
      return { ok: true, refreshed: true, creds: { accessToken: result.accessToken, refreshToken: result.refreshToken, version: updated.credentials_version, expiresAt, accountId: creds.accountId } };
    });
    if (!outcome.ok) {
      logger().warn({ tenantId, reason: outcome.reason }, "Lightspeed refresh token rejected; connection needs re-authorisation");
      throw new AppError("LS_AUTH_REVOKED", { detail: `Lightspeed rejected the refresh token (${outcome.reason})`, fixHint: "Reconnect Lightspeed under Setup." });
    }
    if (outcome.refreshed) this.refreshCount++;
    return outcome.creds;
  }

  /** Revokes the stored refresh token at Lightspeed and marks the connection disconnected. */
  async revoke(): Promise<void> {
    const { database, tenantId, config } = this.opts;
    let creds: StoredCredentials;
    try {
      creds = await loadLightspeedCredentials(database, tenantId);
    } catch (e) {
      if (e instanceof AppError && e.code === "LS_AUTH_REVOKED") return;
      throw e;
    }
    await requestTokenRevocation(config, creds.refreshToken);
    await database
      .updateTable("connections")
      .set({ status: "disconnected", credentials_enc: null, updated_at: new Date() })
      .where("tenant_id", "=", tenantId)
      .where("provider", "=", "lightspeed")
      .execute();
    this.cached = null;
  }
}
