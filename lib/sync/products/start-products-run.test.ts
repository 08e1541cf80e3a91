import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { readCursor, writeCursor } from "../cursors";
import { saveProductSettings } from "./product-settings";
import { PRODUCT_CURSORS, startProductsRun } from "./run-products-sync";

const database = testDb();

describe("starting a product run", () => {
  it("skips a poll while another run is in progress, and closes runs a killed process left behind", async () => {
    const tenantId = await createTestTenant(database);
    await saveProductSettings(database, tenantId, {}, true);
    const first = await startProductsRun(database, { tenantId, kind: "poll" });
    expect(first.proceed).toBe(true);
    expect(await startProductsRun(database, { tenantId, kind: "poll" })).toEqual({ proceed: false, reason: "another run of this flow is still in progress" });
    // A manual run is what the merchant asked for: it goes ahead.
    expect((await startProductsRun(database, { tenantId, kind: "manual" })).proceed).toBe(true);

    await database.updateTable("sync_runs").set({ started_at: new Date(Date.now() - 3 * 3600_000) }).where("tenant_id", "=", tenantId).execute();
    const next = await startProductsRun(database, { tenantId, kind: "poll" });
    expect(next.proceed).toBe(true);
    const runs = await database.selectFrom("sync_runs").select(["status"]).where("tenant_id", "=", tenantId).orderBy("started_at").execute();
    expect(runs.map((r) => r.status)).toEqual(["cancelled", "cancelled", "running"]);
  });

  it("does not start for a tenant with the flow off or paused; a backfill re-reads from the beginning", async () => {
    const tenantId = await createTestTenant(database);
    expect(await startProductsRun(database, { tenantId, kind: "poll" })).toEqual({ proceed: false, reason: "the product flow is off or the tenant is paused" });
    await saveProductSettings(database, tenantId, {}, true);
    await writeCursor(database, tenantId, PRODUCT_CURSORS.items, { timeStamp: "2026-05-01T00:00:00Z", ids: ["5"] });
    expect((await startProductsRun(database, { tenantId, kind: "backfill" })).proceed).toBe(true);
    expect(await readCursor(database, tenantId, PRODUCT_CURSORS.items)).toEqual({ timeStamp: null, ids: [] });
    await database.updateTable("tenants").set({ status: "paused" }).where("id", "=", tenantId).execute();
    expect((await startProductsRun(database, { tenantId, kind: "manual" })).proceed).toBe(false);
  });
});
