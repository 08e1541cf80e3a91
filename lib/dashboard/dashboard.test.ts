import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { toJson } from "../db";
import { raiseNotification } from "../notifications/raise-notification";
import { saveOrderSettings } from "../sync/orders/order-settings";
import { getFlowStatuses } from "./flow-status";
import { recordsPerDay } from "./records-per-day";

const database = testDb();

describe("flow status lights", () => {
  it("is paused when off or the tenant is paused, attention with open problems, running otherwise", async () => {
    const t = await createTestTenant(database);
    const light = async () => (await getFlowStatuses(database, t)).find((f) => f.flow === "orders")!;
    expect(await light()).toMatchObject({ light: "paused", reason: "flow_off", nextRunAt: null });
    await saveOrderSettings(database, t, {}, true);
    const on = await light();
    expect(on.light).toBe("running");
    expect(on.nextRunAt).not.toBeNull();
    await database
      .insertInto("sync_runs")
      .values({ tenant_id: t, flow: "orders", kind: "backfill", status: "running", params: toJson({}), progress: toJson({ done: 40, total: 100, etaSeconds: 30 }), counts: toJson({ created: 40 }) })
      .execute();
    expect((await light()).activeRun).toMatchObject({ kind: "backfill", progress: { done: 40, total: 100, etaSeconds: 30 }, counts: { created: 40, failed: 0 } });
    await raiseNotification(database, { tenantId: t, severity: "error", code: "MAPPING_MISSING", title: "x", body: "x", flow: "orders", dedupeKey: "k" });
    expect(await light()).toMatchObject({ light: "attention", reason: "problems", openProblems: 1 });
    await database.updateTable("tenants").set({ status: "paused" }).where("id", "=", t).execute();
    expect(await light()).toMatchObject({ light: "paused", reason: "tenant_paused", nextRunAt: null });
  });
});

describe("records per day", () => {
  it("counts synced and failed records per Berlin day, with empty days as zero", async () => {
    const t = await createTestTenant(database);
    const at = (iso: string) => sql<Date>`${iso}::timestamptz`;
    await database
      .insertInto("activity_log")
      .values([
        { tenant_id: t, flow: "orders", entity: "sale", result: "created", created_at: at("2026-03-09T23:30:00Z") }, // 10 March in Berlin
        { tenant_id: t, flow: "orders", entity: "sale", result: "updated", created_at: at("2026-03-10T12:00:00Z") },
        { tenant_id: t, flow: "orders", entity: "sale", result: "failed", created_at: at("2026-03-10T13:00:00Z") },
        { tenant_id: t, flow: "orders", entity: "sale", result: "skipped", created_at: at("2026-03-10T14:00:00Z") },
        { tenant_id: t, flow: "orders", entity: "sale", result: "created", created_at: at("2026-03-08T10:00:00Z") },
      ])
      .execute();
    expect(await recordsPerDay(database, t, { days: 3, today: "2026-03-10" })).toEqual([
      { date: "2026-03-08", synced: 1, failed: 0 },
      { date: "2026-03-09", synced: 0, failed: 0 },
      { date: "2026-03-10", synced: 2, failed: 1 },
    ]);
  });
});
