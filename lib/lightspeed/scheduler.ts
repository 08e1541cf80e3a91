import type { Clock } from "../clock";

/**
 * Paces requests for one (account × OAuth client) bucket. Lightspeed drains the bucket continuously at the
 * drip rate; this keeps an estimate from the last `X-LS-Api-Bucket-Level` / `-Drip-Rate` / `-Burst-Level`
 * headers, predicts each request's cost, and sends only when the request fits: it never relies on the API's
 * "first overflow is allowed" grace. One request is in flight per bucket in this process; across processes the
 * app relies on Inngest's concurrency limit of one per tenant (see README in sandbox/lightspeed).
 */
export interface SchedulerStats {
  requests: number;
  drips: number;
  throttled429: number;
  retries: number;
  bucketLevel: number;
  bucketSize: number;
  dripRate: number;
  /** Clock milliseconds spent waiting for room in the bucket or for Retry-After. */
  waitingMs: number;
  /** Clock milliseconds until the next request may go out (0 when it could go now). */
  nextSendInMs: number;
}

export interface RateHeaders {
  get(name: string): string | null;
}

const BURST_WINDOW_MS = 1_050;
const MARGIN_MS = 10;

export class RequestScheduler {
  private size = 90;
  private drip = 1;
  private burstLimit = 20;
  private level = 0;
  private levelAt = 0;
  private blockedUntil = 0;
  private recentSends: number[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private readonly counters = { requests: 0, drips: 0, throttled429: 0, retries: 0, waitingMs: 0 };

  constructor(private readonly clock: Clock) {}

  private levelNow(now: number): number {
    return Math.max(0, this.level - (this.drip * (now - this.levelAt)) / 1000);
  }

  /** Clock milliseconds until a request of `cost` may be sent. */
  private waitFor(cost: number, now: number): number {
    let wait = Math.max(0, this.blockedUntil - now);
    const room = this.size - this.levelNow(now);
    if (room < cost) wait = Math.max(wait, ((cost - room) / this.drip) * 1000 + MARGIN_MS);
    this.recentSends = this.recentSends.filter((t) => now - t < BURST_WINDOW_MS);
    if (this.recentSends.length >= this.burstLimit) {
      wait = Math.max(wait, this.recentSends[this.recentSends.length - this.burstLimit]! + BURST_WINDOW_MS - now + MARGIN_MS);
    }
    return wait;
  }

  /**
   * Runs `send` when a request of `cost` fits, one at a time. `send` returns the response headers (or null on a
   * network error) so the estimate follows the server.
   */
  run<T>(cost: number, send: () => Promise<{ value: T; headers: RateHeaders | null }>): Promise<T> {
    const job = this.tail.then(async () => {
      for (;;) {
        const now = this.clock.now();
        const wait = this.waitFor(cost, now);
        if (wait <= 0) break;
        this.counters.waitingMs += wait;
        await this.clock.sleep(wait);
      }
      this.recentSends.push(this.clock.now());
      this.counters.requests++;
      const { value, headers } = await send();
      if (headers) this.observe(headers);
      return value;
    });
    this.tail = job.catch(() => undefined);
    return job;
  }

  /** Reads the bucket headers (names case-insensitive, values fractional). */
  observe(headers: RateHeaders): void {
    const now = this.clock.now();
    const bucket = headers.get("x-ls-api-bucket-level");
    if (bucket) {
      const [level, size] = bucket.split("/").map((v) => Number.parseFloat(v));
      if (size !== undefined && Number.isFinite(size) && size > 0) this.size = size;
      if (level !== undefined && Number.isFinite(level)) {
        this.level = level;
        this.levelAt = now;
      }
    }
    const drip = Number.parseFloat(headers.get("x-ls-api-drip-rate") ?? "");
    if (Number.isFinite(drip) && drip > 0) this.drip = drip;
    const burst = headers.get("x-ls-api-burst-level");
    const limit = burst ? Number.parseFloat(burst.split("/")[1] ?? "") : Number.NaN;
    if (Number.isFinite(limit) && limit > 0) this.burstLimit = limit;
    const cost = Number.parseFloat(headers.get("x-ls-api-request-cost") ?? "");
    if (Number.isFinite(cost)) this.counters.drips = Math.round((this.counters.drips + cost) * 1e6) / 1e6;
  }

  /** A 429: nothing goes out before Retry-After; a leaky-bucket 429 also means the bucket is full. */
  throttled(retryAfterSeconds: number, type: string | null): void {
    const now = this.clock.now();
    this.counters.throttled429++;
    this.blockedUntil = Math.max(this.blockedUntil, now + Math.max(type === "api-burst-limiter" ? 1 : 0, retryAfterSeconds) * 1000);
    if (type !== "api-burst-limiter") {
      this.level = Math.max(this.levelNow(now), this.size);
      this.levelAt = now;
    }
  }

  /** Backoff for 5xx/network errors, shared by everything queued on this bucket. */
  backoff(ms: number): void {
    this.counters.retries++;
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + ms);
  }

  stats(): SchedulerStats {
    const now = this.clock.now();
    return {
      ...this.counters,
      bucketLevel: Math.round(this.levelNow(now) * 1000) / 1000,
      bucketSize: this.size,
      dripRate: this.drip,
      nextSendInMs: Math.max(0, this.blockedUntil - now),
    };
  }
}

const registry = new Map<string, RequestScheduler>();

/** One scheduler per (API host, account, client) in this process. */
export function schedulerFor(key: { apiBaseUrl: string; accountId: string; clientId: string }, clock: Clock): RequestScheduler {
  const k = `${key.apiBaseUrl}|${key.accountId}|${key.clientId}`;
  let s = registry.get(k);
  if (!s) {
    s = new RequestScheduler(clock);
    registry.set(k, s);
  }
  return s;
}
