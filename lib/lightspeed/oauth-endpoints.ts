import * as z from "zod";
import { AppError } from "../errors/app-error";
import type { LsConfig } from "./config";

/**
 * The two token-endpoint calls the client makes itself (the code exchange belongs to the sign-in flow):
 * form-encoded bodies, `scope` never sent on refresh, and the body's `error` checked before anything is read
 * (sending JSON or a scope on refresh was answered with invalid_grant in the wild).
 */
const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().optional(),
});

const errorResponse = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
  hint: z.string().optional(),
  message: z.string().optional(),
});

export type RefreshResult =
  | { ok: true; accessToken: string; refreshToken: string; expiresIn: number }
  | { ok: false; reason: string };

async function post(config: LsConfig, path: string, form: Record<string, string>): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  let res: Response;
  try {
    res = await fetch(`${config.authBaseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(config.requestTimeoutMs),
    });
  } catch (e) {
    throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Lightspeed's token endpoint did not answer (${(e as Error).message})`, cause: e });
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, body, retryAfter: res.headers.get("retry-after") };
}

function describe(body: unknown): string {
  const e = errorResponse.safeParse(body);
  if (!e.success) return typeof body === "string" ? body.slice(0, 200) : JSON.stringify(body)?.slice(0, 200) ?? "";
  return [e.data.error, e.data.hint ?? e.data.error_description ?? e.data.message].filter(Boolean).join(": ");
}

/**
 * One refresh attempt. `{ok: false}` means the refresh token is dead (invalid_grant): the connection needs
 * re-authorisation. Transient failures throw retryable AppErrors; a rejected client id/secret is our
 * configuration, not the merchant's, so it is INTERNAL.
 */
export async function requestTokenRefresh(config: LsConfig, refreshToken: string): Promise<RefreshResult> {
  const { status, body, retryAfter } = await post(config, "/auth/oauth/token", {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: config.clientId,
    client_secret: config.clientSecret,
  });
  if (status === 200) {
    const ok = tokenResponse.safeParse(body);
    if (ok.success) return { ok: true, accessToken: ok.data.access_token, refreshToken: ok.data.refresh_token, expiresIn: ok.data.expires_in };
    const err = errorResponse.safeParse(body);
    if (err.success) return { ok: false, reason: describe(body) };
    throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Lightspeed's token endpoint answered 200 without tokens: ${describe(body)}` });
  }
  if (status === 429) {
    const seconds = Number(retryAfter ?? "60");
    throw new AppError("RATE_LIMITED", { detail: `Lightspeed throttled token refreshes: ${describe(body)}`, retryAfterSeconds: Number.isFinite(seconds) ? seconds : 60 });
  }
  if (status >= 500) throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Lightspeed's token endpoint failed with ${status}` });
  const err = errorResponse.safeParse(body);
  if (status === 401 || err.data?.error === "invalid_client") {
    throw new AppError("INTERNAL", { detail: `Lightspeed rejected our OAuth client credentials (${describe(body)})`, fixHint: "Check LS_CLIENT_ID and LS_CLIENT_SECRET." });
  }
  if (err.data?.error === "invalid_grant") return { ok: false, reason: describe(body) };
  if (status === 400 && typeof body === "object" && body !== null && /try again later/i.test(describe(body))) {
    throw new AppError("UPSTREAM_UNAVAILABLE", { detail: describe(body) });
  }
  throw new AppError("INTERNAL", { detail: `Unexpected answer from Lightspeed's token endpoint (${status}): ${describe(body)}` });
}

/** Revokes a connection (on uninstall). An unknown token is not an error (RFC 7009). */
export async function requestTokenRevocation(config: LsConfig, refreshToken: string): Promise<void> {
  const { status, body } = await post(config, "/auth/oauth/revoke", {
    refresh_token: refreshToken,
    client_id: config.clientId,
    client_secret: config.clientSecret,
  });
  if (status >= 200 && status < 300) return;
  if (status >= 500 || status === 429) throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Lightspeed's revoke endpoint failed with ${status}` });
  throw new AppError("INTERNAL", { detail: `Lightspeed refused to revoke the token (${status}): ${describe(body)}` });
}
