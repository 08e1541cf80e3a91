import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { InlineDriver } from "../inline-driver";
import { toInngestFunction } from "../to-inngest";
import { LOG_RETENTION_EVENT } from "../events";
import { logRetention } from "./log-retention";
import { logRetentionSweep } from "./log-retention-sweep";

const database = testDb();

async function seedLog(tenantId: string, ages: number[]) {
  await database
    .insertInto("activity_log")
    .values(ages.map((days) => ({ tenant_id: tenantId, flow: "orders", entity: "sale", result: "created" as const, created_at: new Date(Date.now() - days * 86_400_000) })))
    .execute();
}

async function countLog(tenantId: string) {
  const r = await database.selectFrom("activity_log").select((eb) => eb.fn.countAll<number>().as("n")).where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe("log retention", () => {
  it("sweeps every tenant through the inline driver with each tenant's own retention", async () => {
    const shortLived = await createTestTenant(database, { settings: { logRetentionDays: 7 } });
    const defaulted = await createTestTenant(database);
    await seedLog(shortLived, [1, 6, 8, 30]);
    await seedLog(defaulted, [1, 30, 89, 91, 400]);

    const driver = new InlineDriver({ definitions: [logRetentionSweep, logRetention], backoffMs: () => 1 });
    driver.tickCron(new Date("2026-11-28T02:30:00Z")); // 03:30 Berlin
    await driver.idle();

    expect(await countLog(shortLived)).toBe(2);
    expect(await countLog(defaulted)).toBe(3);
    const runs = [...driver.runs.values()];
    expect(runs.filter((r) => r.functionId === "log-retention").length).toBeGreaterThanOrEqual(2);
    expect(runs.every((r) => r.status === "completed")).toBe(true);
  });

  it("has the step structure and flow control we rely on (@inngest/test)", async () => {
    const tenantId = await createTestTenant(database);
    await seedLog(tenantId, [10, 40]);
    const fn = toInngestFunction(logRetention);
    const t = new InngestTestEngine({ function: fn, events: [{ name: LOG_RETENTION_EVENT, data: { tenantId, retentionDays: 30 } }] });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ tenantId, retentionDays: 30, deleted: 1 });
    expect(ctx.step.run).toHaveBeenCalledWith("purge", expect.any(Function));
    expect(await countLog(tenantId)).toBe(1);

    const config = fn["opts"] as { concurrency?: unknown; retries?: number };
    expect(config.concurrency).toEqual([{ key: "event.data.tenantId", limit: 1 }]);
    expect(config.retries).toBe(4);
  });

  it("rejects an event without a tenant as a permanent failure", async () => {
    const t = new InngestTestEngine({ function: toInngestFunction(logRetention), events: [{ name: LOG_RETENTION_EVENT, data: { retentionDays: 30 } }] });
    const { error } = await t.execute();
    expect(String((error as Error)?.message ?? error)).toMatch(/tenantId/);
  });

  it("fans out one event per tenant from the sweep (@inngest/test)", async () => {
    const t = new InngestTestEngine({
      function: toInngestFunction(logRetentionSweep),
      events: [{ name: "inngest/scheduled.timer", data: {} }],
      steps: [{ id: "list-tenants", handler: () => [{ tenantId: "00000000-0000-4000-8000-000000000001", retentionDays: 5 }] }, { id: "fan-out", handler: () => ({ ids: ["e1"] }) }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ tenants: 1 });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("fan-out", [
      { name: LOG_RETENTION_EVENT, data: { tenantId: "00000000-0000-4000-8000-000000000001", retentionDays: 5 } },
    ]);
  });
});
