import type { Clock } from "../clock";
import { AppError, isAppError } from "../errors/app-error";
import { logger } from "../log";
import { bbErrorToAppError, isThrottle, isUncertain, routeKey, type BbErrorInfo } from "./errors";
import type { RateLimiter } from "./rate-limiter";
import type { BbClientStats, BbCredentials } from "./types";
import { errorEnvelope, serializeBody } from "./wire";

/**
 * The only place that builds HTTP requests to BuchhaltungsButler: Basic auth with the API client/secret,
 * `api_key` in the JSON body, every call through the tenant's rate limiter, answers checked for content type
 * and envelope. Throttling and failed reads are retried here with backoff; a write that may or may not have
 * happened is never retried here: it surfaces as `BbUncertainWrite` so the caller can read back first.
 */
export class BbUncertainWrite extends Error {
  constructor(readonly info: BbErrorInfo) {
    super(`uncertain outcome of ${info.path}: HTTP ${info.status}${info.errorCode !== null ? ` error ${info.errorCode}` : ""} ${info.bbMessage}`);
    this.name = "BbUncertainWrite";
  }
}

export interface TransportOptions {
  baseUrl: string;
  credentials: () => Promise<BbCredentials>;
  clock: Clock;
  limiter: RateLimiter;
  stats: BbClientStats;
  /** Per request, wall-clock ms (network latency does not scale with a test clock). */
  timeoutMs: number;
  /** Attempts for reads and for throttled calls. */
  maxAttempts: number;
  /** First backoff, clock ms (doubles per attempt); throttling waits at least `throttleBackoffMs`. */
  backoffMs: number;
  throttleBackoffMs: number;
}

export interface CallOptions {
  /** Writes are not retried after an uncertain failure. */
  write: boolean;
}

export type Transport = (path: string, body: Record<string, unknown>, options: CallOptions) => Promise<Record<string, unknown>>;

const log = () => logger().child({ module: "buchhaltungsbutler" });

/** A wall-clock timeout: it is about real network latency, so it does not follow a scaled clock. */
async function timed<T>(ms: number, controller: AbortController, work: Promise<T>): Promise<T> {
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ms} ms`)), ms);
  timer.unref?.();
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

export function createTransport(opts: TransportOptions): Transport {
  const base = opts.baseUrl.replace(/\/+$/, "");

  async function once(path: string, body: Record<string, unknown>): Promise<{ ok: true; json: Record<string, unknown> } | { ok: false; info: BbErrorInfo }> {
    const creds = await opts.credentials();
    const permit = await opts.limiter.acquire(routeKey(path));
    opts.stats.waitedMs += permit.waitedMs;
    opts.stats.calls += 1;
    const key = routeKey(path);
    opts.stats.byPath[key] = (opts.stats.byPath[key] ?? 0) + 1;
    const controller = new AbortController();
    try {
      const res = await timed(
        opts.timeoutMs,
        controller,
        fetch(`${base}/${path}`, {
          method: "POST",
          headers: {
            authorization: `Basic ${Buffer.from(`${creds.apiClient}:${creds.apiSecret}`).toString("base64")}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: serializeBody({ api_key: creds.apiKey, ...body }),
          signal: controller.signal,
        }).then(async (r) => ({ status: r.status, type: r.headers.get("content-type") ?? "", text: await r.text() })),
      );
      if (!res.type.includes("json")) {
        if (res.status === 404) {
          throw new AppError("INTERNAL", { detail: `BuchhaltungsButler has no endpoint ${key} (HTTP 404 HTML): check BB_API_BASE_URL`, context: { path: key } });
        }
        return { ok: false, info: { path, status: res.status >= 400 ? res.status : 502, errorCode: null, bbMessage: res.text.slice(0, 200), foreign: true } };
      }
      let json: unknown;
      try {
        json = JSON.parse(res.text);
      } catch {
        return { ok: false, info: { path, status: res.status >= 400 ? res.status : 502, errorCode: null, bbMessage: "unreadable JSON", foreign: true } };
      }
      if (json && typeof json === "object" && (json as { success?: unknown }).success === true && res.status < 400) return { ok: true, json: json as Record<string, unknown> };
      const err = errorEnvelope.safeParse(json);
      return {
        ok: false,
        info: { path, status: res.status, errorCode: err.success ? err.data.error_code : null, bbMessage: err.success ? err.data.message : res.text.slice(0, 200) },
      };
    } catch (e) {
      if (isAppError(e)) throw e;
      // Network failure or timeout: the request may have reached BB.
      return { ok: false, info: { path, status: 599, errorCode: null, bbMessage: e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e) } };
    } finally {
      await permit.release();
    }
  }

  return async (path, body, { write }) => {
    let last: BbErrorInfo | undefined;
    for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
      if (attempt > 1) opts.stats.retries += 1;
      const result = await once(path, body);
      if (result.ok) return result.json;
      const info = result.info;
      last = info;
      if (isThrottle(info)) {
        opts.stats.throttled += 1;
        log().warn({ path: routeKey(path), attempt }, "BuchhaltungsButler throttled the call; backing off");
        // BB may count throttled calls too, so the pauses grow (5 s, 10 s, 20 s …) until a window has passed.
        if (attempt < opts.maxAttempts) await opts.clock.sleep(opts.throttleBackoffMs * 2 ** (attempt - 1));
        continue;
      }
      if (isUncertain(info)) {
        if (write) throw new BbUncertainWrite(info);
        log().warn({ path: routeKey(path), attempt, status: info.status, errorCode: info.errorCode }, "BuchhaltungsButler read failed; retrying");
        if (attempt < opts.maxAttempts) await opts.clock.sleep(opts.backoffMs * 2 ** (attempt - 1));
        continue;
      }
      throw bbErrorToAppError(info);
    }
    throw bbErrorToAppError(last!);
  };
}
