import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { ORDERS_BACKFILL_EVENT, ORDERS_RESYNC_EVENT, ORDERS_SYNC_EVENT, TENANT_UNINSTALLED_EVENT } from "../events";
import { toInngestFunction } from "../to-inngest";
import { ordersPoll, ordersSync } from "./orders-sync";

const tenantId = "00000000-0000-4000-8000-0000000000aa";
const runId = "00000000-0000-4000-8000-0000000000bb";

describe("orders-sync (Inngest)", () => {
  it("runs one tenant at a time, retries, and stops when the tenant uninstalls", () => {
    const fn = toInngestFunction(ordersSync);
    const opts = fn["opts"] as { concurrency: unknown; retries: number; cancelOn: unknown; triggers: unknown };
    expect(opts.concurrency).toEqual([{ key: "event.data.tenantId", limit: 1 }, { limit: 30 }]);
    expect(opts.retries).toBe(5);
    expect(opts.cancelOn).toEqual([{ event: TENANT_UNINSTALLED_EVENT, match: "data.tenantId" }]);
    expect(opts.triggers).toEqual([{ event: ORDERS_SYNC_EVENT }, { event: ORDERS_BACKFILL_EVENT }, { event: ORDERS_RESYNC_EVENT }]);
  });

  it("starts, processes pages as steps, and finishes", async () => {
    let pages = 0;
    const t = new InngestTestEngine({
      function: toInngestFunction(ordersSync),
      events: [{ name: ORDERS_SYNC_EVENT, data: { tenantId, kind: "poll" } }],
      steps: [
        { id: "start", handler: () => ({ proceed: true, runId }) },
        ...[0, 1, 2].map((i) => ({ id: `page-${i}`, handler: () => ({ more: ++pages < 3 && i < 2, paused: false, processed: 100 }) })),
        { id: "finish", handler: () => ({ status: "succeeded" }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ status: "succeeded" });
    expect(ctx.step.run).toHaveBeenCalledWith("start", expect.any(Function));
    expect(ctx.step.run).toHaveBeenCalledWith("finish", expect.any(Function));
    expect(pages).toBe(3);
  });

  it("hands a long run over to a continuation event instead of growing without bound", async () => {
    const t = new InngestTestEngine({
      function: toInngestFunction(ordersSync),
      events: [{ name: ORDERS_BACKFILL_EVENT, data: { tenantId, kind: "backfill", from: "2026-01-01" } }],
      steps: [
        { id: "start", handler: () => ({ proceed: true, runId }) },
        ...Array.from({ length: 25 }, (_, i) => ({ id: `page-${i}`, handler: () => ({ more: true, paused: false, processed: 500 }) })),
        { id: "continue", handler: () => ({ ids: ["e1"] }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ continued: true });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("continue", { name: ORDERS_SYNC_EVENT, data: { tenantId, kind: "backfill", runId } });
  });

  it("does nothing for a paused or switched-off tenant", async () => {
    const t = new InngestTestEngine({
      function: toInngestFunction(ordersSync),
      events: [{ name: ORDERS_SYNC_EVENT, data: { tenantId, kind: "poll" } }],
      steps: [{ id: "start", handler: () => ({ proceed: false, reason: "tenant is paused", runId: "" }) }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ skipped: "tenant is paused" });
    expect(ctx.step.run).toHaveBeenCalledTimes(1);
  });

  it("rejects an event without a valid tenant", async () => {
    const t = new InngestTestEngine({ function: toInngestFunction(ordersSync), events: [{ name: ORDERS_SYNC_EVENT, data: { tenantId: "not-a-uuid" } }] });
    const { error } = await t.execute();
    expect(String((error as Error)?.message ?? error)).toMatch(/tenantId/);
  });
});

describe("orders-poll (Inngest)", () => {
  it("fans out one sync event per active tenant", async () => {
    const t = new InngestTestEngine({
      function: toInngestFunction(ordersPoll),
      events: [{ name: "inngest/scheduled.timer", data: {} }],
      steps: [
        { id: "list-tenants", handler: () => [tenantId, runId] },
        { id: "fan-out", handler: () => ({ ids: ["a", "b"] }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ tenants: 2 });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("fan-out", [
      { name: ORDERS_SYNC_EVENT, data: { tenantId, kind: "poll" } },
      { name: ORDERS_SYNC_EVENT, data: { tenantId: runId, kind: "poll" } },
    ]);
  });
});
