import { describe, expect, it } from "vitest";
import { bucketSpec, RateLimiter } from "./rate-limit";

describe("rate limiter", () => {
  it("sizes the bucket by the register limit", () => {
    expect(bucketSpec(1)).toEqual({ size: 90, drip: 1, burstLimit: 20 });
    expect(bucketSpec(3)).toEqual({ size: 110, drip: 2, burstLimit: 24 });
  });

  it("allows the first request that overflows, then 429 until the level is below the size", () => {
    const limiter = new RateLimiter();
    const spec = { size: 10, drip: 1, burstLimit: 100 };
    let t = 0;
    for (let i = 0; i < 4; i++) expect(limiter.take("a", spec, 3, t).ok).toBe(true);
    const blocked = limiter.take("a", spec, 3, t);
    expect(blocked).toMatchObject({ ok: false, type: "api-leaky-bucket", retryAfter: 3 });
    expect(blocked.headers["X-LS-Api-Bucket-Level"]).toBe("12/10");
    t += 2_500; // level 9.5
    const ok = limiter.take("a", spec, 3, t);
    expect(ok.ok).toBe(true);
    expect(ok.headers["X-LS-Api-Bucket-Level"]).toBe("12.5/10");
    // Another (account, client) pair has its own bucket.
    expect(limiter.take("b", spec, 3, t).ok).toBe(true);
  });

  it("limits requests per one-second window, counting rejected ones too", () => {
    const limiter = new RateLimiter();
    const spec = { size: 1000, drip: 1, burstLimit: 3 };
    const results = [0, 100, 200, 300, 400].map((t) => limiter.take("a", spec, 1, t));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, false]);
    expect(results[4]).toMatchObject({ type: "api-burst-limiter", retryAfter: 1 });
    expect(results[4]!.headers["X-LS-API-Burst-Level"]).toBe("5/3");
    expect(limiter.take("a", spec, 1, 1000).ok).toBe(true);
  });
});
