import * as z from "zod";
import type { Clock } from "../clock";
import type { Database } from "../db";
import { AppError } from "../errors/app-error";
import { logger } from "../log";
import type { LsConfig } from "./config";
import { schedulerFor, type RequestScheduler } from "./scheduler";
import { markLightspeedNeedsReauth, TokenSource } from "./token-store";

/**
 * The only place that sends requests to the Lightspeed API: paced by the bucket scheduler, authorised by the
 * token source, retried where retrying is safe, and every failure turned into the app's error taxonomy:
 *  401 → refresh once (or pick up a newer stored token) and retry; 401 again → LS_AUTH_REVOKED (needs_reauth)
 *  403 → LS_SCOPE_MISSING (tenant)                       404 → null for single reads, NOT_FOUND otherwise
 *  400/422 → RECORD_INVALID with Lightspeed's message    409 → CONFLICT
 *  429 → wait Retry-After (all requests on the bucket), after max429 in a row → RATE_LIMITED
 *  5xx / network / timeout / "Please try again later." → exponential backoff with jitter, then UPSTREAM_UNAVAILABLE
 */
/**
 * Lightspeed answers API errors in two shapes: its `{httpCode, message, errorClass}` envelope, and for token
 * problems the OAuth server's `{error, error_description, hint}`. The text is only ever shown, never matched on.
 */
const apiError = z.looseObject({
  httpCode: z.union([z.string(), z.number()]).optional(),
  message: z.string().optional(),
  errorClass: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
  hint: z.string().optional(),
});

function errorText(body: unknown, text: string, status: number): string {
  const e = apiError.safeParse(body).data;
  const parts = [e?.message ?? e?.error_description, e?.hint].filter((x): x is string => !!x && x.length > 0);
  if (parts.length) return [...new Set(parts)].join(": ");
  return text.slice(0, 200) || `HTTP ${status}`;
}

export interface GetOptions {
  cost: number;
  /** A 404 returns null instead of throwing. */
  nullOn404?: boolean;
  /** What is being read, for error details ("Sale 123"). */
  what: string;
}

export class LightspeedTransport {
  readonly tokens: TokenSource;
  private scheduler: RequestScheduler | null = null;

  constructor(
    private readonly opts: { database: Database; tenantId: string; config: LsConfig; clock: Clock; tokens?: TokenSource },
  ) {
    this.tokens = opts.tokens ?? new TokenSource({ database: opts.database, tenantId: opts.tenantId, config: opts.config, clock: opts.clock });
  }

  get config(): LsConfig {
    return this.opts.config;
  }

  /** The bucket's scheduler once the account id is known (stats before the first request are defaults). */
  get knownScheduler(): RequestScheduler | null {
    return this.scheduler;
  }

  async bucket(): Promise<RequestScheduler> {
    this.scheduler ??= schedulerFor({ apiBaseUrl: this.opts.config.apiBaseUrl, accountId: await this.tokens.accountId(), clientId: this.opts.config.clientId }, this.opts.clock, this.opts.database);
    return this.scheduler;
  }

  private backoffMs(attempt: number): number {
    const { backoffBaseMs, backoffMaxMs } = this.opts.config;
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** GET a full URL (built by the client or taken from a `next` link) and return the parsed JSON, or null on 404. */
  async get(url: string, options: GetOptions): Promise<unknown> {
    if (!url.startsWith(`${this.opts.config.apiBaseUrl}/`)) {
      // A `next` link pointing elsewhere would carry our bearer token to another host.
      throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Refusing to follow a Lightspeed link to another host: ${url.slice(0, 120)}` });
    }
    const bucket = await this.bucket();
    let failures = 0;
    let throttles = 0;
    let refreshedAfter401 = false;
    let creds = await this.tokens.current();
    for (let first = true; ; first = false) {
      // A long wait (Retry-After, backoff) may outlast the token; a token just refreshed after a 401 is kept.
      if (!first && !refreshedAfter401) creds = await this.tokens.current();
      const usedVersion = creds.version;
      const token = creds.accessToken;
      type Outcome = { ok: true; status: number; text: string; headers: Headers } | { ok: false; error: Error };
      const outcome = await bucket.run<Outcome>(options.cost, async () => {
        try {
          const res = await fetch(url, {
            headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
            signal: AbortSignal.timeout(this.opts.config.requestTimeoutMs),
          });
          const text = await res.text();
          return { value: { ok: true, status: res.status, text, headers: res.headers }, headers: res.headers };
        } catch (e) {
          return { value: { ok: false, error: e as Error }, headers: null };
        }
      });

      const retryTransient = async (detail: string, cause?: unknown) => {
        failures++;
        if (failures > this.opts.config.maxRetries) {
          throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Lightspeed did not answer ${options.what} after ${failures} attempts (${detail})`, cause });
        }
        const wait = this.backoffMs(failures - 1);
        logger().debug({ what: options.what, detail, wait }, "Lightspeed request failed; backing off");
        await bucket.backoff(wait);
      };

      if (!outcome.ok) {
        await retryTransient(outcome.error.name === "TimeoutError" ? "timeout" : outcome.error.message, outcome.error);
        continue;
      }
      const { status, text, headers } = outcome;
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = undefined;
      }
      const message = errorText(body, text, status);
      if (status === 200) {
        if (body === undefined) {
          await retryTransient("the answer was not valid JSON");
          continue;
        }
        return body;
      }
      if (status === 401) {
        if (refreshedAfter401) {
          await markLightspeedNeedsReauth(this.opts.database, this.opts.tenantId, `Lightspeed answered 401 after a token refresh: ${message}`);
          this.tokens.forget();
          throw new AppError("LS_AUTH_REVOKED", { detail: `Lightspeed no longer accepts our access (${message})`, fixHint: "Reconnect Lightspeed under Setup." });
        }
        refreshedAfter401 = true;
        creds = await this.tokens.afterUnauthorized(usedVersion);
        continue;
      }
      if (status === 429) {
        throttles++;
        const retryAfter = Number.parseFloat(headers.get("retry-after") ?? "1");
        const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1;
        if (throttles > this.opts.config.max429) {
          throw new AppError("RATE_LIMITED", { detail: `Lightspeed kept throttling ${options.what}`, retryAfterSeconds: seconds });
        }
        await bucket.throttled(seconds + Math.random() * 0.25, headers.get("x-ls-api-ratelimit-type"));
        continue;
      }
      if (status >= 500 || (status === 400 && /try again later/i.test(message))) {
        await retryTransient(`HTTP ${status}: ${message}`);
        continue;
      }
      if (status === 404) {
        if (options.nullOn404) return null;
        throw new AppError("NOT_FOUND", { detail: `Lightspeed has no ${options.what} (${message})` });
      }
      if (status === 403) {
        throw new AppError("LS_SCOPE_MISSING", { detail: `Lightspeed refused ${options.what}: ${message}`, fixHint: "Reconnect Lightspeed with an administrator account and accept all requested permissions." });
      }
      if (status === 409) throw new AppError("CONFLICT", { detail: `Lightspeed reported a conflict for ${options.what}: ${message}` });
      if (status === 400 || status === 422) {
        throw new AppError("RECORD_INVALID", { detail: `Lightspeed rejected the request for ${options.what} (${status}): ${message}`, context: { status, url } });
      }
      throw new AppError("INTERNAL", { detail: `Unexpected answer ${status} from Lightspeed for ${options.what}: ${message}`, context: { status, url } });
    }
  }
}
