import { describe, expect, it } from "vitest";
import { mapConcurrent } from "./map-concurrent";

describe("mapConcurrent", () => {
  it("keeps order, limits concurrency and serialises equal keys", async () => {
    let inFlight = 0;
    let max = 0;
    const activeKeys = new Set<string>();
    let overlap = false;
    const items = Array.from({ length: 30 }, (_, i) => ({ i, key: i % 3 === 0 ? "same" : `k${i}` }));
    const out = await mapConcurrent(items, 5, (x) => x.key, async (x) => {
      inFlight++;
      max = Math.max(max, inFlight);
      if (activeKeys.has(x.key)) overlap = true;
      activeKeys.add(x.key);
      await new Promise((r) => setTimeout(r, 2));
      activeKeys.delete(x.key);
      inFlight--;
      return x.i * 2;
    });
    expect(out).toEqual(items.map((x) => x.i * 2));
    expect(max).toBeLessThanOrEqual(5);
    expect(max).toBeGreaterThan(1);
    expect(overlap).toBe(false);
  });

  it("rethrows the first failure", async () => {
    await expect(mapConcurrent([1, 2, 3], 2, () => null, async (x) => (x === 2 ? Promise.reject(new Error("boom")) : x))).rejects.toThrow("boom");
  });
});
