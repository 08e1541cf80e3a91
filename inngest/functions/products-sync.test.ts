import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { connect, startSandbox } from "@/lib/lightspeed/sandbox.test-helpers";
import { saveProductSettings } from "@/lib/sync/products/product-settings";
import { saveStockSettings } from "@/lib/sync/stock/stock-settings";
import { systemClock } from "@/lib/clock";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { testDb } from "@/scripts/test/db";
import { PRODUCTS_SYNC_EVENT, STOCK_SYNC_EVENT, TENANT_UNINSTALLED_EVENT } from "../events";
import { InlineDriver } from "../inline-driver";
import { toInngestFunction } from "../to-inngest";
import { productsPoll, productsSync } from "./products-sync";
import { stockPoll, stockSync } from "./stock-sync";

const tenantId = "00000000-0000-4000-8000-0000000000aa";
const runId = "00000000-0000-4000-8000-0000000000bb";
const counts = { created: 0, updated: 0, skipped: 0, failed: 0 };

describe("products-sync and stock-sync (Inngest)", () => {
  it("one run per tenant at a time, retries, cancelled when the tenant uninstalls", () => {
    for (const [def, event] of [
      [productsSync, PRODUCTS_SYNC_EVENT],
      [stockSync, STOCK_SYNC_EVENT],
    ] as const) {
      const opts = toInngestFunction(def)["opts"] as { concurrency: unknown; retries: number; cancelOn: unknown; triggers: unknown };
      expect(opts.concurrency).toEqual([{ key: "event.data.tenantId", limit: 1 }, { limit: 30 }]);
      expect(opts.retries).toBe(5);
      expect(opts.cancelOn).toEqual([{ event: TENANT_UNINSTALLED_EVENT, match: "data.tenantId" }]);
      expect(opts.triggers).toEqual([{ event }]);
    }
  });

  it("walks the product phases as steps and finishes", async () => {
    const phases = ["lookups", "categories", "matrices", "items", "accounts"];
    const next = ["categories", "matrices", "items", "accounts", "done"];
    const t = new InngestTestEngine({
      function: toInngestFunction(productsSync),
      events: [{ name: PRODUCTS_SYNC_EVENT, data: { tenantId, kind: "poll" } }],
      steps: [
        { id: "start", handler: () => ({ proceed: true, runId }) },
        ...phases.map((id, i) => ({ id, handler: () => ({ phase: next[i], fresh: true, counts }) })),
        { id: "finish", handler: () => ({ status: "succeeded", counts }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ status: "succeeded", counts });
    for (const id of ["start", ...phases, "finish"]) expect(ctx.step.run).toHaveBeenCalledWith(id, expect.any(Function));
  });

  it("hands a long stock read over to a continuation event with where it got to", async () => {
    const t = new InngestTestEngine({
      function: toInngestFunction(stockSync),
      events: [{ name: STOCK_SYNC_EVENT, data: { tenantId, kind: "backfill" } }],
      steps: [
        { id: "start", handler: () => ({ proceed: true, runId }) },
        { id: "shops", handler: () => ({ phase: "itemshops", fresh: true, counts }) },
        // Every item-shop step says "more": the 40-step budget ends the run.
        { id: "itemshops", handler: () => ({ phase: "itemshops", fresh: false, counts }) },
        ...Array.from({ length: 40 }, (_, i) => ({ id: `itemshops:${i + 1}`, handler: () => ({ phase: "itemshops", fresh: false, counts }) })),
        { id: "continue", handler: () => ({ ids: ["e1"] }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ continued: true, phase: "itemshops" });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("continue", { name: STOCK_SYNC_EVENT, data: { tenantId, kind: "backfill", period: undefined, runId, phase: "itemshops", fresh: false } });
  });

  it("rejects a revaluation without a period, and events without a tenant", async () => {
    for (const data of [{ tenantId, kind: "resync" }, { tenantId: "nope" }]) {
      const { error } = await new InngestTestEngine({ function: toInngestFunction(stockSync), events: [{ name: STOCK_SYNC_EVENT, data }] }).execute();
      expect(String((error as Error)?.message ?? error)).toMatch(/period|tenantId/);
    }
  });

  it("the polls fan out one event per tenant with the flow on", async () => {
    for (const [def, event] of [
      [productsPoll, PRODUCTS_SYNC_EVENT],
      [stockPoll, STOCK_SYNC_EVENT],
    ] as const) {
      const t = new InngestTestEngine({
        function: toInngestFunction(def),
        events: [{ name: "inngest/scheduled.timer", data: {} }],
        steps: [
          { id: "list-tenants", handler: () => [tenantId] },
          { id: "fan-out", handler: () => ({ ids: ["a"] }) },
        ],
      });
      const { result, ctx } = await t.execute();
      expect(result).toEqual({ tenants: 1 });
      expect(ctx.step.sendEvent).toHaveBeenCalledWith("fan-out", [{ name: event, data: { tenantId, kind: "poll" } }]);
    }
  });
});

describe("products and stock jobs through the inline driver against the Lightspeed sandbox", () => {
  const database = testDb();
  let sandbox: LightspeedSandbox;
  const saved = { ...process.env };
  beforeAll(async () => {
    // The job builds the tenant's own client from the environment, on the system clock: so does the sandbox here.
    sandbox = await startSandbox({ clock: systemClock, seed: 5 });
    const client = sandbox.clients[0]!;
    Object.assign(process.env, { LS_API_BASE_URL: sandbox.url, LS_AUTH_BASE_URL: sandbox.url, LS_CLIENT_ID: client.clientId, LS_CLIENT_SECRET: client.clientSecret });
    resetEnvCache();
  });
  afterAll(async () => {
    process.env = saved;
    resetEnvCache();
    await sandbox.close();
  });

  it("poll events sync products and stock of a tenant with the flows on, skip one with the flow off, and record the runs", async () => {
    // Events rather than a cron tick: a tick would also fan out to other test files' tenants in the shared database.
    const on = await connect(database, sandbox);
    const off = await connect(database, sandbox);
    await saveProductSettings(database, on.tenantId, {}, true);
    await saveStockSettings(database, on.tenantId, {}, true);
    await saveProductSettings(database, off.tenantId, {}, false);

    const driver = new InlineDriver({ definitions: [productsSync, stockSync], backoffMs: () => 1 });
    await driver.send([
      { name: PRODUCTS_SYNC_EVENT, data: { tenantId: on.tenantId, kind: "poll" } },
      { name: STOCK_SYNC_EVENT, data: { tenantId: on.tenantId, kind: "poll" } },
      { name: PRODUCTS_SYNC_EVENT, data: { tenantId: off.tenantId, kind: "poll" } },
    ]);
    await driver.idle();

    const runs = [...driver.runs.values()];
    expect(runs.filter((r) => r.status !== "completed").map((r) => [r.functionId, r.error?.message])).toEqual([]);
    expect(runs.find((r) => (r.event.data as { tenantId: string }).tenantId === off.tenantId)?.result).toEqual({ skipped: "the product flow is off or the tenant is paused" });
    const products = await database.selectFrom("products").select((eb) => eb.fn.countAll<string>().as("n")).where("tenant_id", "=", on.tenantId).executeTakeFirstOrThrow();
    expect(Number(products.n)).toBe(sandbox.store.items.size);
    const levels = await database.selectFrom("stock_levels").select((eb) => eb.fn.countAll<string>().as("n")).where("tenant_id", "=", on.tenantId).executeTakeFirstOrThrow();
    expect(Number(levels.n)).toBe(sandbox.store.itemShops.size);
    const recorded = await database.selectFrom("sync_runs").select(["flow", "kind", "status"]).where("tenant_id", "=", on.tenantId).orderBy("flow").execute();
    expect(recorded).toEqual([
      { flow: "products", kind: "poll", status: "succeeded" },
      { flow: "stock", kind: "poll", status: "succeeded" },
    ]);
  });

  it("a revoked Lightspeed token pauses the tenant after the run gives up, with one inbox item", async () => {
    const c = await connect(database, sandbox);
    await saveStockSettings(database, c.tenantId, {}, true);
    sandbox.oauth.revokeAll(Number(c.accountId));
    const driver = new InlineDriver({ definitions: [stockSync], backoffMs: () => 1 });
    await driver.send({ name: STOCK_SYNC_EVENT, data: { tenantId: c.tenantId, kind: "manual" } });
    await driver.idle();
    const tenant = await database.selectFrom("tenants").select(["status", "paused_reason"]).where("id", "=", c.tenantId).executeTakeFirstOrThrow();
    expect(tenant).toEqual({ status: "paused", paused_reason: "LS_AUTH_REVOKED" });
    const run = await database.selectFrom("sync_runs").select(["status"]).where("tenant_id", "=", c.tenantId).executeTakeFirstOrThrow();
    expect(run.status).toBe("failed");
  });
});
