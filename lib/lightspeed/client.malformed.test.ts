import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import type { LsMalformedRecord } from "./domain";
import { collect, connect, startSandbox, type Connected } from "./sandbox.test-helpers";

/** Bad input from Lightspeed fails record by record, never the page or the run. */
const database = testDb();
const clock = manualClock(Date.now());
let sb: LightspeedSandbox;
let c: Connected;

beforeAll(async () => {
  sb = await startSandbox({ clock, profile: "test", malformedShare: 0.08 });
  c = await connect(database, sb);
});
afterAll(() => sb.close());

describe("malformed sales", () => {
  it("puts exactly the structurally broken sales in page.malformed, with problems, and keeps reading", async () => {
    const marked = [...sb.store.sales.values()].filter((s) => s.malformed);
    const structural = marked.filter((s) => s.malformed!.layer === "normaliser").map((s) => String(s.id)).sort();
    const business = marked.filter((s) => s.malformed!.layer === "sync").map((s) => String(s.id));
    expect(structural.length).toBeGreaterThan(5);
    const read = await collect(c.client.readSales({ pageSize: 25 }));
    const malformed = read.malformed as LsMalformedRecord[];
    expect(malformed.map((m) => m.id).sort()).toEqual(structural);
    for (const m of malformed) {
      expect(m.entity).toBe("Sale");
      expect(m.problems.length).toBeGreaterThan(0);
      expect(m.raw).toBeTruthy();
      const kind = sb.store.sales.get(Number(m.id))!.malformed!.kind;
      const expected: Record<string, RegExp> = {
        "missing-field": /: (total|calcTotal) is missing$/,
        "wrong-type": /(completed "maybe" is not true or false|unitQuantity \(an object\) is not a number)/,
        "exponent-amount": /calcTotal "1e12" is not a number/,
        "bad-timestamp": /completeTime "2024-13-45T25:61:00" is not a date and time/,
      };
      expect(m.problems.some((p) => expected[kind]!.test(p)), `${kind}: ${m.problems.join(" | ")}`).toBe(true);
    }
    // Business-level damage parses: the sync's validation has to catch it, with the data intact.
    const ids = new Set(read.records.map((s) => s.saleId));
    expect(business.every((id) => ids.has(id))).toBe(true);
    const absurd = marked.find((s) => s.malformed!.kind === "absurd-amount");
    if (absurd) expect(read.records.find((s) => s.saleId === String(absurd.id))!.total).toBe("1000000000000");
    const unknownType = marked.find((s) => s.malformed!.kind === "unknown-payment-type");
    if (unknownType) expect(read.records.find((s) => s.saleId === String(unknownType.id))!.payments[0]).toMatchObject({ paymentTypeId: "999", paymentType: null });
    expect(read.records.length + malformed.length).toBe([...sb.store.sales.values()].filter((s) => s.completed).length);
  });

  it("advances the cursor past malformed records", async () => {
    let last: string | null = null;
    for await (const p of c.client.readSales()) last = p.cursor.timeStamp;
    const max = [...sb.store.sales.values()].filter((s) => s.completed).reduce((m, s) => Math.max(m, s.timeStamp), 0);
    expect(last).toBe(new Date(Math.floor(max / 1000) * 1000).toISOString());
  });

  it("a single read of a broken sale is RECORD_INVALID with the problems", async () => {
    const broken = [...sb.store.sales.values()].find((s) => s.malformed?.kind === "exponent-amount")!;
    await expect(c.client.getSale(String(broken.id))).rejects.toMatchObject({ code: "RECORD_INVALID", detail: expect.stringContaining('"1e12" is not a number') });
  });
});

describe("field spellings", () => {
  it("reads updatetime/updateTime and onWorkorder/onWorkOrder whichever Lightspeed sends", async () => {
    const other = await startSandbox({ clock, profile: "e2e", spellings: { saleUpdateTime: "updatetime", workOrder: "onWorkOrder" } });
    try {
      const conn = await connect(database, other);
      const sales = await collect(conn.client.readSales());
      expect(sales.records.every((s) => s.updateTime !== null)).toBe(true);
      // A reservation from an open work order, so the field is not just zero everywhere.
      [...other.store.itemShops.values()][0]!.onWorkOrder = 3;
      const rows = await collect(conn.client.readItemShops());
      const expected = [...other.store.itemShops.values()].reduce((s, r) => s + r.onWorkOrder, 0);
      expect(expected).toBeGreaterThanOrEqual(3);
      expect(rows.records.reduce((s, r) => s + r.onWorkOrder, 0)).toBe(expected);
    } finally {
      await other.close();
    }
  });
});
