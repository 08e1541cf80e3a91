import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import type { BbClient } from "@/lib/buchhaltungsbutler";
import { readCursor } from "../cursors";
import { LATE_COMMIT_WATCH_MS, repairLateCommits, watchForLateCommits } from "./repair-late-commits";

const database = testDb();

/** A BB that must not be called: with nothing of ours on the watched days there is nothing to list. */
const silentBb = new Proxy({}, { get: (_t, name) => () => Promise.reject(new Error(`BB called: ${String(name)}`)) }) as BbClient;

describe("late-commit watch list", () => {
  it("keeps a day watched until a check after its watch ended, extends it on a new lost answer, and costs nothing empty", async () => {
    const tenantId = await createTestTenant(database);
    const ctx = { database, bb: silentBb, tenantId, runId: null, redactPii: false };
    expect(await repairLateCommits(ctx, 0)).toEqual([]);

    await watchForLateCommits(database, tenantId, ["2026-03-02", "2026-03-01", "2026-03-02"], 1_000);
    expect(await readCursor(database, tenantId, "orders:late-commits")).toEqual({
      days: [
        { date: "2026-03-01", until: 1_000 + LATE_COMMIT_WATCH_MS },
        { date: "2026-03-02", until: 1_000 + LATE_COMMIT_WATCH_MS },
      ],
    });
    // A lost answer later on the same day watches it longer.
    await watchForLateCommits(database, tenantId, ["2026-03-02"], 5_000);
    await repairLateCommits(ctx, 2_000 + LATE_COMMIT_WATCH_MS);
    expect((await readCursor(database, tenantId, "orders:late-commits"))?.days).toEqual([{ date: "2026-03-02", until: 5_000 + LATE_COMMIT_WATCH_MS }]);
    await repairLateCommits(ctx, 6_000 + LATE_COMMIT_WATCH_MS);
    expect((await readCursor(database, tenantId, "orders:late-commits"))?.days).toEqual([]);
  });
});
