import { afterAll, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import type { LsSale } from "./domain";
import { collect, connect, startSandbox } from "./sandbox.test-helpers";

/**
 * Issue 16 item 2: real sales leave a requested empty relation out as often as they send "". The client reads
 * both as "none", whichever form a record comes in.
 */
const database = testDb();
const open: LightspeedSandbox[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

describe.each(["mixed", "omitted", "empty-string"] as const)("empty relations sent as %s", (emptyRelations) => {
  it("every sale is read, one without payments has none", async () => {
    const sb = await startSandbox({ clock: manualClock(Date.now()), profile: "test", malformedShare: 0, emptyRelations });
    open.push(sb);
    const c = await connect(database, sb);
    const { records, malformed } = await collect<LsSale>(c.client.readSales({ completedOnly: false }));
    expect(malformed).toEqual([]);
    expect(records.length).toBe(sb.store.sales.size);
    const unpaid = [...sb.store.sales.values()].filter((s) => s.payments.length === 0);
    expect(unpaid.length).toBeGreaterThan(0);
    for (const s of unpaid) expect(records.find((r) => r.saleId === String(s.id))?.payments).toEqual([]);
  });
});
