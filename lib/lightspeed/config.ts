import { env } from "../env";
import { AppError } from "../errors/app-error";

/** Where and as whom the client talks to Lightspeed. Defaults come from the environment (lib/env.ts). */
export interface LsConfig {
  apiBaseUrl: string;
  authBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Refresh this long before `expires_in` runs out (clock milliseconds). */
  refreshMarginMs: number;
  /** Attempts for 5xx and network errors before UPSTREAM_UNAVAILABLE. */
  maxRetries: number;
  /** 429s in a row before RATE_LIMITED. */
  max429: number;
  /** Real-time timeout per HTTP request. */
  requestTimeoutMs: number;
  /** First backoff step (clock milliseconds); doubles per attempt, capped at backoffMaxMs, full jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export function lightspeedConfig(overrides: Partial<LsConfig> = {}): LsConfig {
  const needsEnv = overrides.apiBaseUrl === undefined || overrides.authBaseUrl === undefined || overrides.clientId === undefined || overrides.clientSecret === undefined;
  const e = needsEnv ? env() : undefined;
  const config: LsConfig = {
    apiBaseUrl: (overrides.apiBaseUrl ?? e!.LS_API_BASE_URL).replace(/\/$/, ""),
    authBaseUrl: (overrides.authBaseUrl ?? e!.LS_AUTH_BASE_URL).replace(/\/$/, ""),
    clientId: overrides.clientId ?? e?.LS_CLIENT_ID ?? "",
    clientSecret: overrides.clientSecret ?? e?.LS_CLIENT_SECRET ?? "",
    refreshMarginMs: overrides.refreshMarginMs ?? 60_000,
    maxRetries: overrides.maxRetries ?? 5,
    max429: overrides.max429 ?? 8,
    requestTimeoutMs: overrides.requestTimeoutMs ?? 30_000,
    backoffBaseMs: overrides.backoffBaseMs ?? 1_000,
    backoffMaxMs: overrides.backoffMaxMs ?? 30_000,
  };
  return config;
}

export function requireClientCredentials(config: LsConfig): void {
  if (!config.clientId || !config.clientSecret) {
    throw new AppError("INTERNAL", {
      detail: "LS_CLIENT_ID and LS_CLIENT_SECRET are not configured",
      fixHint: "Register the OAuth client at https://cloud.lightspeedapp.com/oauth/register.php and set both variables.",
    });
  }
}
