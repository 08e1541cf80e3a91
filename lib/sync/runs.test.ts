import { describe, expect, it } from "vitest";
import type { Page } from "../lightspeed";
import { readPages } from "./runs";

async function* pagesEvery(ms: number, count: number): AsyncIterable<Page<number>> {
  for (let i = 0; i < count; i++) {
    await new Promise((r) => setTimeout(r, ms));
    yield { records: [i], malformed: [], cursor: { timeStamp: null, ids: [] } };
  }
}

describe("readPages", () => {
  it("stops at the page budget and says there is more", async () => {
    const seen: number[] = [];
    const r = await readPages(pagesEvery(1, 10), 3, async (p) => void seen.push(...p.records));
    expect(r).toEqual({ pages: 3, more: true });
    expect(seen).toEqual([0, 1, 2]);
  });

  it("stops reading when the step's wall-clock deadline has passed, hands over, and loses no page", async () => {
    const seen: number[] = [];
    const r = await readPages(pagesEvery(30, 50), 50, async (p) => void seen.push(...p.records), Date.now() + 100);
    expect(r.more).toBe(true);
    expect(r.pages).toBeLessThan(10);
    // Every page read was handled, in order.
    expect(seen).toEqual([...Array(r.pages).keys()]);
  });

  it("reads to the end when there is time", async () => {
    const r = await readPages(pagesEvery(1, 4), 50, async () => {}, Date.now() + 60_000);
    expect(r).toEqual({ pages: 4, more: false });
  });
});
