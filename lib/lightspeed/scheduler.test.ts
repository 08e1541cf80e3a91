import { describe, expect, it } from "vitest";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { RequestScheduler } from "./scheduler";

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
