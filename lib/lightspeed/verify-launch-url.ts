import { AppError } from "../errors/app-error";
import { env } from "../env";
import { jwksKey } from "./jwks";
import { parsePhpQuery, phpBuildSortedQuery } from "./php-query";

/**
 * Verifies a Custom Menu Button launch (reference §1, official PHP demo): require exp, kid, alg and signature;
 * reject an expired exp; drop `signature`; sort ALL query parameters by key and rebuild the query the way PHP's
 * http_build_query does; verify RS256 over `scheme://host[:port]/path?query` with the base64url signature,
 * using the key for `kid` from the launch JWKS (cached; refetched once for an unknown kid).
 */
export interface LaunchContext {
  accountId: string;
  shopId: string | null;
  registerId: string | null;
  employeeId: string | null;
  systemUserId: string | null;
  customerId: string | null;
  saleId: string | null;
  returnURL: string | null;
  type: string | null;
  /** Seconds since the epoch. */
  exp: number;
  /** Every parameter, as received (for pages that need more context). */
  params: Record<string, string>;
}

export interface VerifyLaunchOptions {
  jwksUrl?: string;
  /** Milliseconds since the epoch. */
  now?: number;
  /** Tolerated clock difference for `exp` (default 30 s). */
  skewSeconds?: number;
  jwksCooldownMs?: number;
}

function invalid(detail: string): AppError {
  return new AppError("LAUNCH_INVALID", { detail });
}

const idOrNull = (v: string | undefined) => (v === undefined || v === "" || v === "0" ? null : v);

export async function verifyLaunchUrl(fullUrl: string, options: VerifyLaunchOptions = {}): Promise<LaunchContext> {
  let url: URL;
  try {
    url = new URL(fullUrl);
  } catch {
    throw invalid("the launch URL is not a valid URL");
  }
  let params: Map<string, string>;
  try {
    params = parsePhpQuery(url.search.replace(/^\?/, ""));
  } catch {
    throw invalid("the launch URL has broken percent-encoding");
  }
  for (const required of ["exp", "kid", "alg", "signature"]) {
    if (!params.get(required)) throw invalid(`the launch URL has no ${required} parameter`);
  }
  const alg = params.get("alg")!;
  if (alg !== "RS256") throw invalid(`unsupported signature algorithm ${alg}`);
  const expRaw = params.get("exp")!;
  if (!/^\d+$/.test(expRaw)) throw invalid(`exp "${expRaw}" is not a timestamp`);
  const exp = Number(expRaw);
  const now = options.now ?? Date.now();
  const skew = options.skewSeconds ?? 30;
  if (exp + skew < Math.floor(now / 1000)) throw invalid(`the launch link expired at ${new Date(exp * 1000).toISOString()}`);

  const signature = params.get("signature")!;
  params.delete("signature");
  if (!/^[A-Za-z0-9_\-+/]+=*$/.test(signature)) throw invalid("the signature is not base64url");
  const signed = `${url.protocol}//${url.host}${url.pathname}?${phpBuildSortedQuery(params)}`;

  const kid = params.get("kid")!;
  const jwksUrl = options.jwksUrl ?? env().LS_LAUNCH_JWKS_URL;
  let key: CryptoKey | null;
  try {
    key = await jwksKey(jwksUrl, kid, { now, cooldownMs: options.jwksCooldownMs });
  } catch (e) {
    throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Could not load Lightspeed's launch keys from ${jwksUrl}`, cause: e });
  }
  if (!key) throw invalid(`unknown signing key "${kid}"`);
  const ok = await crypto.subtle.verify({ name: "RSASSA-PKCS1-v1_5" }, key, Buffer.from(signature, "base64url"), Buffer.from(signed, "utf8"));
  if (!ok) throw invalid("the signature does not match the launch URL");

  const accountId = params.get("accountID");
  if (!accountId || !/^\d+$/.test(accountId)) throw invalid("the launch URL has no accountID");
  return {
    accountId,
    shopId: idOrNull(params.get("shopID")),
    registerId: idOrNull(params.get("registerID")),
    employeeId: idOrNull(params.get("employeeID")),
    systemUserId: idOrNull(params.get("systemUserID")),
    customerId: idOrNull(params.get("customerID")),
    saleId: idOrNull(params.get("saleID")),
    returnURL: params.get("returnURL") || null,
    type: params.get("type") || null,
    exp,
    params: Object.fromEntries([...params.entries(), ["signature", signature]]),
  };
}
