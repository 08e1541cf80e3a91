import crypto, { type KeyObject } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { ApiError, AUTH_ERROR_CLASS } from "./query";

/**
 * OAuth 2 like cloud.lightspeedapp.com: authorization codes (60 s, single use, PKCE S256), RS256 JWT access
 * tokens with `acct`/`sub`/`scope`, rotating refresh tokens with deferred revocation, and revocation.
 *
 * Rotation semantics (changelog 2024.07.31 and 2026.01.15): every refresh returns a new pair. The refresh token
 * that was used (and the access token issued with it) keeps working until an access token from the new
 * generation is first used; then the old generation and any sibling pairs minted by retrying the same refresh
 * token are revoked. At most 5 refresh attempts per minute per connection; unused refresh tokens die after 30 days.
 */
export const OAUTH_KID = "RT_OAUTH2_2024_07_08";
export const LAUNCH_KID = "RT_GENERIC_WEBHOOK_2023_03_17";

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** A "publicly distributed" client: PKCE is mandatory. */
  requirePkce?: boolean;
}

export interface OAuthStrictness {
  /** Only application/x-www-form-urlencoded on /token and /revoke; off by default because the docs show JSON and multipart too. */
  formEncodedOnly: boolean;
  /** A `scope` parameter on refresh is answered with invalid_grant (observed in the wild [?]). */
  rejectScopeOnRefresh: boolean;
  /** A redirect_uri parameter that differs from the registered one is refused. */
  requireRedirectUriMatch: boolean;
  /** Deferred revocation of the used refresh token (2026.01.15); false = revoke at once (2024.07 behaviour). */
  deferredRevocation: boolean;
  maxRefreshPerMinute: number;
  refreshTokenIdleDays: number;
  codeTtlSeconds: number;
}

export const DEFAULT_STRICTNESS: OAuthStrictness = {
  formEncodedOnly: false,
  rejectScopeOnRefresh: true,
  requireRedirectUriMatch: true,
  deferredRevocation: true,
  maxRefreshPerMinute: 5,
  refreshTokenIdleDays: 30,
  codeTtlSeconds: 60,
};

export const KNOWN_SCOPES = [
  "employee:all", "employee:admin", "employee:inventory", "employee:inventory_read", "employee:register", "employee:register_read",
  "employee:customers", "employee:customers_read", "employee:categories", "employee:reports", "employee:product_cost", "employee:admin_shops",
  "employee:admin_employees", "employee:admin_purchases", "employee:admin_inventory", "employee:workbench",
];

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

let sharedKeys: { oauth: SigningKey; launch: SigningKey } | null = null;

function makeKey(kid: string): SigningKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, privateKey, publicKey, publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

/** RSA keys are slow to generate, so sandboxes in one process share them (their token registries stay separate). */
export function signingKeys(): { oauth: SigningKey; launch: SigningKey } {
  sharedKeys ??= { oauth: makeKey(OAUTH_KID), launch: makeKey(LAUNCH_KID) };
  return sharedKeys;
}

interface CodeRec {
  clientId: string;
  accountId: number;
  sub: string;
  scopes: string[];
  challenge: string | null;
  redirectUri: string | null;
  expiresAt: number;
  used: boolean;
  grantId: string | null;
}

interface GrantRec {
  id: string;
  clientId: string;
  accountId: number;
  sub: string;
  scopes: string[];
  revoked: boolean;
  refreshAttempts: number[];
}

interface RefreshRec {
  token: string;
  grantId: string;
  /** The refresh token whose use minted this pair (null for the first pair). */
  parent: string | null;
  /** The access token issued together with this refresh token. */
  accessJti: string;
  lastActivity: number;
  revoked: boolean;
  /** Pairs minted by using this refresh token: [refresh token, access jti]. */
  children: [string, string][];
}

interface AccessRec {
  jti: string;
  grantId: string;
  refreshToken: string;
  expiresAt: number;
  revoked: boolean;
  used: boolean;
}

export interface OAuthCounters {
  codeExchanges: number;
  refreshes: number;
  refreshFailures: number;
  refreshRateLimited: number;
  revokes: number;
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const INVALID_GRANT = "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";

function invalidGrant(hint: string, description = INVALID_GRANT): TokenResponse {
  return { status: 400, body: { error: "invalid_grant", error_description: description, hint, message: description } };
}

function invalidRequest(hint: string): TokenResponse {
  const description = "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";
  return { status: 400, body: { error: "invalid_request", error_description: description, hint, message: description } };
}

const randomToken = (bytes: number) => crypto.randomBytes(bytes).toString("base64url");

export class OAuthServer {
  readonly codes = new Map<string, CodeRec>();
  readonly grants = new Map<string, GrantRec>();
  readonly refreshTokens = new Map<string, RefreshRec>();
  readonly accessTokens = new Map<string, AccessRec>();
  readonly counters: OAuthCounters = { codeExchanges: 0, refreshes: 0, refreshFailures: 0, refreshRateLimited: 0, revokes: 0 };

  constructor(
    private readonly opts: {
      issuer: () => string;
      clients: OAuthClientConfig[];
      strict: OAuthStrictness;
      accessTokenLifetimeSeconds: number;
      now: () => number;
    },
  ) {}

  client(clientId: string | null): OAuthClientConfig | undefined {
    return this.opts.clients.find((c) => c.clientId === clientId);
  }

  get strict(): OAuthStrictness {
    return this.opts.strict;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    const k = signingKeys();
    return { keys: [k.oauth.publicJwk, k.launch.publicJwk] };
  }

  issueCode(input: Omit<CodeRec, "expiresAt" | "used" | "grantId">): string {
    const code = randomToken(96);
    this.codes.set(code, { ...input, expiresAt: this.opts.now() + this.opts.strict.codeTtlSeconds * 1000, used: false, grantId: null });
    return code;
  }

  private async mintPair(grant: GrantRec, parent: string | null): Promise<{ access: string; refresh: string; jti: string }> {
    const now = this.opts.now();
    const jti = randomToken(24);
    const exp = Math.floor(now / 1000) + this.opts.accessTokenLifetimeSeconds;
    const access = await new SignJWT({ acct: String(grant.accountId), scope: grant.scopes.join(" ") })
      .setProtectedHeader({ alg: "RS256", kid: OAUTH_KID, typ: "JWT" })
      .setIssuer(this.opts.issuer())
      .setAudience(grant.clientId)
      .setSubject(grant.sub)
      .setIssuedAt(Math.floor(now / 1000))
      .setNotBefore(Math.floor(now / 1000))
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(signingKeys().oauth.privateKey);
    // Variable-length, "significantly longer" than before 2024.
    const refresh = `def50200${randomToken(180 + Math.floor(Math.random() * 40))}`;
    this.accessTokens.set(jti, { jti, grantId: grant.id, refreshToken: refresh, expiresAt: exp * 1000, revoked: false, used: false });
    this.refreshTokens.set(refresh, { token: refresh, grantId: grant.id, parent, accessJti: jti, lastActivity: now, revoked: false, children: [] });
    return { access, refresh, jti };
  }

  private tokenBody(pair: { access: string; refresh: string }): Record<string, unknown> {
    // Since 2024.07 the granted scopes are not in the response: they are in the JWT.
    return { token_type: "Bearer", expires_in: this.opts.accessTokenLifetimeSeconds, access_token: pair.access, refresh_token: pair.refresh };
  }

  /** A pair without the consent flow, for tests and the demo's pre-installed account. */
  async issueDirect(clientId: string, accountId: number, scopes: string[], sub = "1"): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }> {
    const grant: GrantRec = { id: randomToken(12), clientId, accountId, sub, scopes, revoked: false, refreshAttempts: [] };
    this.grants.set(grant.id, grant);
    const pair = await this.mintPair(grant, null);
    return { accessToken: pair.access, refreshToken: pair.refresh, expiresIn: this.opts.accessTokenLifetimeSeconds };
  }

  private authenticateClient(params: URLSearchParams, authorization: string | undefined): OAuthClientConfig | TokenResponse {
    let clientId = params.get("client_id");
    let secret = params.get("client_secret");
    if (authorization?.startsWith("Basic ")) {
      const [id, sec] = Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":");
      clientId = decodeURIComponent(id ?? "");
      secret = decodeURIComponent(sec ?? "");
    }
    const client = this.client(clientId);
    if (!client || client.clientSecret !== secret) {
      // A public client (PKCE mandatory) may omit the secret; a wrong one is still wrong.
      if (!(client?.requirePkce && (secret === null || secret === ""))) {
        return { status: 401, body: { error: "invalid_client", error_description: "Client authentication failed", message: "Client authentication failed" } };
      }
    }
    return client;
  }

  async token(contentType: string | undefined, rawBody: string, authorization: string | undefined): Promise<TokenResponse> {
    const parsed = await this.readParams(contentType, rawBody);
    if ("status" in parsed) return parsed;
    const params = parsed;
    const grantType = params.get("grant_type");
    if (grantType === "authorization_code") return this.exchangeCode(params, authorization);
    if (grantType === "refresh_token") return this.refresh(params, authorization);
    return { status: 400, body: { error: "unsupported_grant_type", error_description: "The authorization grant type is not supported by the authorization server.", hint: "Check that all required parameters have been provided", message: "The authorization grant type is not supported by the authorization server." } };
  }

  /**
   * The docs show form, JSON and multipart bodies for /token (and the same parameters for /revoke), so all
   * three are read unless `formEncodedOnly` narrows it to what is verified in the wild.
   */
  private async readParams(contentType: string | undefined, rawBody: string): Promise<URLSearchParams | TokenResponse> {
    const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (type === "application/x-www-form-urlencoded") return new URLSearchParams(rawBody);
    const refuse = () => invalidRequest(`Send the parameters form-encoded (application/x-www-form-urlencoded); got "${type || "no content type"}"`);
    if (this.opts.strict.formEncodedOnly) return refuse();
    if (type === "application/json") {
      let obj: unknown;
      try {
        obj = JSON.parse(rawBody);
      } catch {
        return invalidRequest("The request body is not valid JSON");
      }
      if (!obj || typeof obj !== "object" || Array.isArray(obj)) return invalidRequest("The request body must be a JSON object");
      return new URLSearchParams(Object.entries(obj as Record<string, unknown>).filter(([, v]) => typeof v === "string" || typeof v === "number").map(([k, v]) => [k, String(v)]));
    }
    if (type === "multipart/form-data") {
      let form: FormData;
      try {
        form = await new Response(rawBody, { headers: { "Content-Type": contentType! } }).formData();
      } catch {
        return invalidRequest("The multipart body could not be read");
      }
      const params = new URLSearchParams();
      for (const [k, v] of form.entries()) if (typeof v === "string") params.append(k, v);
      return params;
    }
    return refuse();
  }

  private async exchangeCode(params: URLSearchParams, authorization: string | undefined): Promise<TokenResponse> {
    const client = this.authenticateClient(params, authorization);
    if ("status" in client) return client;
    const code = params.get("code");
    if (!code) return invalidRequest('Check the `code` parameter');
    const rec = this.codes.get(code);
    if (!rec || rec.clientId !== client.clientId) return invalidGrant("Cannot decrypt the authorization code");
    if (rec.used) {
      // RFC 6749 §4.1.2: a reused code revokes what it issued.
      if (rec.grantId) this.revokeGrant(rec.grantId);
      return invalidGrant("Authorization code has been revoked");
    }
    if (this.opts.now() > rec.expiresAt) return invalidGrant("Authorization code has expired");
    const redirect = params.get("redirect_uri");
    if (redirect !== null && redirect !== client.redirectUri) return invalidGrant("Invalid redirect URI");
    if (rec.challenge) {
      const verifier = params.get("code_verifier");
      if (!verifier) return invalidRequest("Check the `code_verifier` parameter");
      if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return invalidRequest("Code Verifier must follow the specifications of RFC-7636.");
      const expected = crypto.createHash("sha256").update(verifier).digest("base64url");
      if (expected !== rec.challenge) return invalidGrant("Failed to verify `code_verifier`.");
    } else if (params.get("code_verifier")) {
      return invalidRequest("A code_verifier was sent, but the authorization request had no code_challenge");
    }
    rec.used = true;
    const grant: GrantRec = { id: randomToken(12), clientId: client.clientId, accountId: rec.accountId, sub: rec.sub, scopes: rec.scopes, revoked: false, refreshAttempts: [] };
    this.grants.set(grant.id, grant);
    rec.grantId = grant.id;
    this.counters.codeExchanges++;
    return { status: 200, body: this.tokenBody(await this.mintPair(grant, null)) };
  }

  private async refresh(params: URLSearchParams, authorization: string | undefined): Promise<TokenResponse> {
    const client = this.authenticateClient(params, authorization);
    if ("status" in client) return client;
    const now = this.opts.now();
    const token = params.get("refresh_token");
    if (!token) return invalidRequest("Check the `refresh_token` parameter");
    const rec = this.refreshTokens.get(token);
    const grant = rec ? this.grants.get(rec.grantId) : undefined;
    if (!rec || !grant || grant.clientId !== client.clientId) {
      this.counters.refreshFailures++;
      return invalidGrant("Cannot decrypt the refresh token", "The refresh token is invalid.");
    }
    grant.refreshAttempts = grant.refreshAttempts.filter((t) => now - t < 60_000);
    if (grant.refreshAttempts.length >= this.opts.strict.maxRefreshPerMinute) {
      this.counters.refreshRateLimited++;
      const retry = Math.max(1, Math.ceil((grant.refreshAttempts[0]! + 60_000 - now) / 1000));
      return { status: 429, headers: { "Retry-After": String(retry) }, body: { error: "too_many_requests", error_description: `At most ${this.opts.strict.maxRefreshPerMinute} refresh attempts per minute per connection.`, message: "Too many refresh attempts" } };
    }
    grant.refreshAttempts.push(now);
    if (params.has("scope") && this.opts.strict.rejectScopeOnRefresh) {
      this.counters.refreshFailures++;
      return invalidGrant("Do not send `scope` when refreshing a token");
    }
    if (rec.revoked || grant.revoked) {
      this.counters.refreshFailures++;
      return invalidGrant("Token has been revoked", "The refresh token is invalid.");
    }
    if (now - rec.lastActivity > this.opts.strict.refreshTokenIdleDays * 86_400_000) {
      this.counters.refreshFailures++;
      return invalidGrant("Token has expired", "The refresh token is invalid.");
    }
    const pair = await this.mintPair(grant, token);
    rec.children.push([pair.refresh, pair.jti]);
    if (!this.opts.strict.deferredRevocation) this.retireGeneration(rec, pair.refresh);
    this.counters.refreshes++;
    return { status: 200, body: this.tokenBody(pair) };
  }

  /** Revokes a refresh token, the access token issued with it, and every pair it minted except `keep`. */
  private retireGeneration(rec: RefreshRec, keep: string): void {
    rec.revoked = true;
    const own = this.accessTokens.get(rec.accessJti);
    if (own) own.revoked = true;
    for (const [refresh, jti] of rec.children) {
      if (refresh === keep) continue;
      const r = this.refreshTokens.get(refresh);
      if (r) r.revoked = true;
      const a = this.accessTokens.get(jti);
      if (a) a.revoked = true;
    }
  }

  revokeGrant(grantId: string): void {
    const grant = this.grants.get(grantId);
    if (grant) grant.revoked = true;
  }

  /** Every connection of an account (a merchant revoking access in their settings), or all of them. */
  revokeAll(accountId?: number): number {
    let n = 0;
    for (const g of this.grants.values()) {
      if (accountId === undefined || g.accountId === accountId) {
        g.revoked = true;
        n++;
      }
    }
    return n;
  }

  async revoke(contentType: string | undefined, rawBody: string, authorization: string | undefined): Promise<TokenResponse> {
    const parsed = await this.readParams(contentType, rawBody);
    if ("status" in parsed) return parsed;
    const params = parsed;
    const client = this.authenticateClient(params, authorization);
    if ("status" in client) return client;
    const token = params.get("refresh_token") ?? params.get("token");
    if (!token) return invalidRequest("Check the `refresh_token` parameter");
    const rec = this.refreshTokens.get(token);
    const grant = rec ? this.grants.get(rec.grantId) : undefined;
    // RFC 7009: an unknown token is not an error.
    if (grant && grant.clientId === client.clientId) {
      grant.revoked = true;
      this.counters.revokes++;
    }
    return { status: 200, body: {} };
  }

  /** Bearer token check for the API: signature, expiry, revocation; the first use retires the previous generation. */
  async verifyAccess(authorization: string | undefined): Promise<{ grant: GrantRec; access: AccessRec }> {
    const unauthorized = (message: string) => new ApiError(401, message, AUTH_ERROR_CLASS);
    if (!authorization?.startsWith("Bearer ")) throw unauthorized("An access token is required (Authorization: Bearer …)");
    const token = authorization.slice(7).trim();
    let jti: string | undefined;
    try {
      const { payload } = await jwtVerify(token, signingKeys().oauth.publicKey, {
        algorithms: ["RS256"],
        currentDate: new Date(this.opts.now()),
        issuer: this.opts.issuer(),
      });
      jti = payload.jti;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw unauthorized("Access token has expired");
      throw unauthorized("Access token could not be verified");
    }
    const access = jti ? this.accessTokens.get(jti) : undefined;
    const grant = access ? this.grants.get(access.grantId) : undefined;
    if (!access || !grant) throw unauthorized("Access token could not be verified");
    if (access.revoked || grant.revoked) throw unauthorized("Access token has been revoked");
    if (!access.used) {
      access.used = true;
      const rec = this.refreshTokens.get(access.refreshToken);
      const parent = rec?.parent ? this.refreshTokens.get(rec.parent) : undefined;
      if (parent && !parent.revoked) this.retireGeneration(parent, access.refreshToken);
    }
    return { grant, access };
  }
}
