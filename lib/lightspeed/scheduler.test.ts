import { describe, expect, it } from "vitest";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { memoryBucketStore, RequestScheduler, type BucketStore } from "./scheduler";

const headers = (h: Record<string, string>) => new Headers(h);

describe("request scheduler", () => {
  it("reads the bucket headers (any case, fractional) and waits until the request fits", async () => {
    const clock = manualClock(0);
    const s = new RequestScheduler(clock);
    await s.run(1, async () => ({ value: 1, headers: headers({ "X-LS-API-Bucket-Level": "108.5/110", "x-ls-api-drip-rate": "1.5", "X-Ls-Api-Burst-Level": "1/24", "X-LS-Api-Request-Cost": "2.6" }) }));
    expect(s.stats()).toMatchObject({ bucketLevel: 108.5, bucketSize: 110, dripRate: 1.5, drips: 2.6 });
    const before = clock.now();
    let sentAt = 0;
    await s.run(2.6, async () => {
      sentAt = clock.now();
      return { value: 2, headers: null };
    });
    // Needs 1.1 drips of room at 1.5/s → ≈733 ms, never earlier.
    expect(sentAt - before).toBeGreaterThanOrEqual(733);
    expect(sentAt - before).toBeLessThan(800);
  });

  it("keeps one request in flight and honours Retry-After for everything queued", async () => {
    const clock = manualClock(0);
    const s = new RequestScheduler(clock);
    let inFlight = 0;
    let maxInFlight = 0;
    const job = () =>
      s.run(1, async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return { value: clock.now(), headers: null };
      });
    const first = await job();
    s.throttled(4, "api-leaky-bucket");
    const times = await Promise.all([job(), job(), job()]);
    expect(maxInFlight).toBe(1);
    expect(times[0]! - first).toBeGreaterThanOrEqual(4000);
    expect(s.stats().throttled429).toBe(1);
  });

  it("paces bursts below the burst limit", async () => {
    const clock = manualClock(0);
    const s = new RequestScheduler(clock);
    await s.run(1, async () => ({ value: 0, headers: headers({ "x-ls-api-bucket-level": "0/1000", "x-ls-api-burst-level": "1/3", "x-ls-api-drip-rate": "100" }) }));
    const sent: number[] = [];
    for (let i = 0; i < 6; i++) await s.run(1, async () => (sent.push(clock.now()), { value: 0, headers: null }));
    // No more than 3 sends within any second.
    const all = [0, ...sent];
    for (let i = 3; i < all.length; i++) expect(all[i]! - all[i - 3]!).toBeGreaterThanOrEqual(1000);
  });
});

describe("request scheduler with a failing bucket store (the shared row's database is unreachable)", () => {
  const failing = (fail: { reserve: boolean; update: boolean }): BucketStore => {
    const inner = memoryBucketStore();
    return {
      tryReserve: (cost, now) => (fail.reserve ? Promise.reject(new Error("connection terminated")) : inner.tryReserve(cost, now)),
      update: (change) => (fail.update ? Promise.reject(new Error("connection terminated")) : inner.update(change)),
      snapshot: () => inner.snapshot(),
    };
  };

  it("sends nothing when it cannot book the request, and the next request goes out once it can", async () => {
    const fail = { reserve: true, update: false };
    const s = new RequestScheduler(manualClock(0), failing(fail));
    let sent = 0;
    const send = async () => (sent++, { value: "answer", headers: null });
    await expect(s.run(1, send)).rejects.toThrow("connection terminated");
    expect(sent).toBe(0);
    fail.reserve = false;
    await expect(s.run(1, send)).resolves.toBe("answer");
    expect(sent).toBe(1);
  });

  it("keeps Lightspeed's answer when only recording its headers fails (the request was booked before it went out)", async () => {
    const s = new RequestScheduler(manualClock(0), failing({ reserve: false, update: true }));
    const answer = await s.run(1, async () => ({ value: "answer", headers: headers({ "x-ls-api-bucket-level": "3/90", "x-ls-api-request-cost": "1" }) }));
    expect(answer).toBe("answer");
  });
});
