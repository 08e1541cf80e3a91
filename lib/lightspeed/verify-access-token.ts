import { decodeProtectedHeader, jwtVerify, errors as joseErrors } from "jose";
import * as z from "zod";
import { AppError } from "../errors/app-error";
import { lightspeedConfig } from "./config";
import { jwksKey } from "./jwks";

/**
 * Verifies a Lightspeed access token (RS256 JWT) against Lightspeed's JWKS and returns the claims the app uses:
 * `acct` (the account id), `sub` (the authorising employee), `scope`, `exp`. There is no userinfo endpoint;
 * these claims are how sign-in learns who connected.
 */
export interface LightspeedAccessClaims {
  acct: string;
  sub: string;
  scope: string[];
  /** Seconds since the epoch. */
  exp: number;
}

export interface VerifyAccessTokenOptions {
  jwksUrl?: string;
  /** Expected `iss`; defaults to the auth base URL (https://cloud.lightspeedapp.com). */
  issuer?: string;
  /** Expected `aud`; defaults to LS_CLIENT_ID when set. */
  audience?: string;
  /** Clock milliseconds. */
  now?: number;
  jwksCooldownMs?: number;
}

const claimsSchema = z.object({
  acct: z.union([z.string().min(1), z.number()]).transform(String),
  sub: z.union([z.string().min(1), z.number()]).transform(String),
  scope: z.union([z.string(), z.array(z.string())]).optional().transform((s) => (Array.isArray(s) ? s : (s ?? "").split(/[\s+]+/).filter(Boolean))),
  exp: z.number(),
});

export async function verifyLightspeedAccessToken(token: string, options: VerifyAccessTokenOptions = {}): Promise<LightspeedAccessClaims> {
  const fail = (detail: string, cause?: unknown) => new AppError("OAUTH_FAILED", { detail: `Lightspeed access token rejected: ${detail}`, cause });
  const config = lightspeedConfig();
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch (e) {
    throw fail("it is not a JWT", e);
  }
  if (header.alg !== "RS256") throw fail(`unsupported algorithm ${String(header.alg)}`);
  if (!header.kid) throw fail("the header has no kid");
  const now = options.now ?? Date.now();
  const key = await jwksKey(options.jwksUrl ?? `${config.authBaseUrl}/.well-known/jwks`, header.kid, { now, cooldownMs: options.jwksCooldownMs });
  if (!key) throw fail(`unknown signing key "${header.kid}"`);
  const audience = options.audience ?? (config.clientId || undefined);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["RS256"],
      issuer: options.issuer ?? config.authBaseUrl,
      ...(audience ? { audience } : {}),
      currentDate: new Date(now),
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw fail(`missing claims (${claims.error.issues.map((i) => i.path.join(".")).join(", ")})`);
    return claims.data;
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (e instanceof joseErrors.JWTExpired) throw fail("it has expired", e);
    if (e instanceof joseErrors.JWTClaimValidationFailed) throw fail(`claim ${e.claim} is not what we expect (${e.reason})`, e);
    throw fail("the signature does not verify", e);
  }
}
