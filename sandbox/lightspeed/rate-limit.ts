/**
 * Lightspeed's rate limits: one leaky bucket per (account × OAuth client) sized by the subscription's register
 * limit (90 + 10 per extra register, draining 1/s + 0.5/s per extra register), plus a burst limiter of fixed
 * one-second windows that counts every request (rejected ones included). All on the sandbox clock.
 */
export interface BucketSpec {
  size: number;
  drip: number;
  burstLimit: number;
}

export function bucketSpec(registerLimit: number, burstFraction = 2 / 9): BucketSpec {
  const extra = Math.max(0, registerLimit - 1);
  const size = 90 + 10 * extra;
  return { size, drip: 1 + 0.5 * extra, burstLimit: Math.max(1, Math.round(size * burstFraction)) };
}

interface BucketState {
  level: number;
  at: number;
  window: number;
  windowCount: number;
}

export type LimitResult =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; type: "api-leaky-bucket" | "api-burst-limiter"; retryAfter: number; headers: Record<string, string> };

const fmt = (n: number) => String(Math.round(n * 1000) / 1000);

export class RateLimiter {
  private readonly buckets = new Map<string, BucketState>();
  /**
   * Per bucket: accepted drips and requests, rejections, when the bucket first ran full (the end of the first
   * burst) and how many rejections came after that, for benchmarks.
   */
  readonly charged = new Map<string, { drips: number; requests: number; rejected: number; firstFullAt: number | null; rejectedAfterFirstBurst: number }>();

  state(key: string, spec: BucketSpec, now: number): { level: number; size: number; drip: number } {
    const b = this.buckets.get(key);
    if (!b) return { level: 0, size: spec.size, drip: spec.drip };
    return { level: Math.max(0, b.level - (spec.drip * (now - b.at)) / 1000), size: spec.size, drip: spec.drip };
  }

  take(key: string, spec: BucketSpec, cost: number, now: number, forceLimited = false): LimitResult {
    let b = this.buckets.get(key);
    if (!b) {
      b = { level: 0, at: now, window: Math.floor(now / 1000), windowCount: 0 };
      this.buckets.set(key, b);
    }
    b.level = Math.max(0, b.level - (spec.drip * (now - b.at)) / 1000);
    b.at = now;
    const window = Math.floor(now / 1000);
    if (window !== b.window) {
      b.window = window;
      b.windowCount = 0;
    }
    b.windowCount++;
    const stats = this.charged.get(key) ?? { drips: 0, requests: 0, rejected: 0, firstFullAt: null, rejectedAfterFirstBurst: 0 };
    this.charged.set(key, stats);
    const headers = (level: number) => ({
      "X-LS-Api-Bucket-Level": `${fmt(level)}/${spec.size}`,
      "X-LS-API-Burst-Level": `${b.windowCount}/${spec.burstLimit}`,
      "X-LS-Api-Drip-Rate": fmt(spec.drip),
      "X-LS-Api-Request-Cost": fmt(cost),
    });
    const reject = () => {
      stats.rejected++;
      if (stats.firstFullAt !== null && now > stats.firstFullAt) stats.rejectedAfterFirstBurst++;
    };
    if (b.windowCount > spec.burstLimit) {
      reject();
      return { ok: false, type: "api-burst-limiter", retryAfter: 1, headers: headers(b.level) };
    }
    // The first request that pushes the level over the size is allowed; later ones wait until it is below.
    if (b.level >= spec.size || forceLimited) {
      reject();
      const retryAfter = Math.max(1, Math.ceil((b.level - spec.size + 0.001) / spec.drip));
      return { ok: false, type: "api-leaky-bucket", retryAfter, headers: headers(b.level) };
    }
    b.level = Math.round((b.level + cost) * 1e9) / 1e9;
    stats.drips = Math.round((stats.drips + cost) * 1e9) / 1e9;
    stats.requests++;
    // The first burst ends when the bucket is (nearly) full for the first time.
    if (stats.firstFullAt === null && b.level >= spec.size * 0.9) stats.firstFullAt = now;
    return { ok: true, headers: headers(b.level) };
  }

  reset(): void {
    this.buckets.clear();
    this.charged.clear();
  }
}
