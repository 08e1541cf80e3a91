import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../db";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/buchhaltungsbutler/test-helpers";
import { scaledClock } from "../clock";
import { AppError } from "../errors/app-error";
import { cents } from "../money";
import { createBbClient } from "./client";
import { bucketsFor, BB_RATE_LIMITS, createRateLimiter, waitFor } from "./rate-limiter";
import { testSandbox } from "./test-helpers";

const database = testDb();

describe("waitFor (exact rolling window)", () => {
  const bucket = { name: "all", max: 3, windowMs: 60_000 };
  it("is free while fewer than max calls are in the window", () => {
    expect(waitFor([{ id: "a", at: 0, open: false }, { id: "b", at: 1000, open: false }], bucket, 2000, 300_000)).toBe(0);
  });
  it("waits until the call max places back has left the window", () => {
    const slots = [0, 1000, 2000].map((at, i) => ({ id: String(i), at, open: false }));
    expect(waitFor(slots, bucket, 3000, 300_000)).toBe(57_001);
    expect(waitFor(slots, bucket, 60_001, 300_000)).toBe(0);
  });
  it("#21.2 looks again a window later while the blocking call has not answered (it cannot free its place sooner), and treats a stale open slot as answered", () => {
    const slots = [{ id: "a", at: 0, open: true }];
    expect(waitFor(slots, { name: "b", max: 1, windowMs: 5000 }, 100, 300_000)).toBe(5001);
    expect(waitFor(slots, { name: "b", max: 1, windowMs: 5000 }, 400_000, 300_000)).toBe(0);
  });
  it("puts batch endpoints and uploads in their own buckets besides the shared one", () => {
    expect(bucketsFor("receipts/addBatch", BB_RATE_LIMITS).map((b) => [b.name, b.max, b.windowMs])).toEqual([
      ["all", 100, 60_000],
      ["batch:receipts/addBatch", 1, 5_000],
    ]);
    expect(bucketsFor("receipts/upload", BB_RATE_LIMITS).map((b) => b.name)).toEqual(["all", "upload"]);
    expect(bucketsFor("receipts/get", BB_RATE_LIMITS).map((b) => b.name)).toEqual(["all"]);
  });
});

describe("the Postgres limiter", () => {
  it("paces calls on the injected clock and stamps slots with the answer time", async () => {
    const tenantId = await createTestTenant(database);
    const clock = manualClock();
    const limiter = createRateLimiter(database, tenantId, clock, { limits: { perWindow: 2, windowMs: 10_000 } });
    const t0 = clock.now();
    const a = await limiter.acquire("accounts/get");
    clock.advance(1_000); // the answer takes a second
    await a.release();
    await (await limiter.acquire("accounts/get")).release();
    const third = await limiter.acquire("accounts/get");
    // Measured from the first call's answer (t0 + 1 s), not its start.
    expect(clock.now() - t0).toBeGreaterThanOrEqual(11_000);
    expect(third.waitedMs).toBeGreaterThan(9_000);
    await third.release();
  });

  it("lets a crashed process's unanswered slot expire", async () => {
    const tenantId = await createTestTenant(database);
    const clock = manualClock();
    const limiter = createRateLimiter(database, tenantId, clock, { limits: { batchIntervalMs: 5_000 }, staleOpenMs: 30_000 });
    await limiter.acquire("receipts/addBatch"); // never released
    const t0 = clock.now();
    await (await limiter.acquire("receipts/addBatch")).release();
    expect(clock.now() - t0).toBeGreaterThanOrEqual(30_000);
  });

  it("#21.2 acquires of one path in one process queue in the process: a transaction per look, not one per waiter and look", async () => {
    const tenantId = await createTestTenant(database);
    const clock = manualClock();
    let transactions = 0;
    const counted = new Proxy(database, {
      get(target, key) {
        if (key === "transaction") transactions++;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const limiter = createRateLimiter(counted, tenantId, clock, { limits: { batchIntervalMs: 5_000 } });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const permit = await limiter.acquire("receipts/addBatch");
        starts.push(clock.now());
        clock.advance(500); // the call takes half a second
        await permit.release();
      }),
    );
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(5_000);
    // Each call: one look that finds the slot taken and unanswered, one that waits for its exact end, one that takes it.
    expect(transactions).toBeLessThanOrEqual(3 * 10);
  });

  it("gives up with RATE_LIMITED (and when to retry) instead of waiting longer than maxWaitMs", async () => {
    const tenantId = await createTestTenant(database);
    const clock = manualClock();
    const limiter = createRateLimiter(database, tenantId, clock, { limits: { perWindow: 1 }, maxWaitMs: 10_000 });
    await (await limiter.acquire("accounts/get")).release();
    const e = await limiter.acquire("accounts/get").then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("RATE_LIMITED");
    expect((e as AppError).retryAfterSeconds).toBeGreaterThan(40);
  });
});

describe("against the sandbox: one budget per tenant, shared by every process", () => {
  it("never exceeds 100 calls/min or one batch call per 5 s with two clients (two processes) for one tenant", async () => {
    const sandbox = await testSandbox({ speed: 300 });
    const second = createDb(process.env.DATABASE_URL!, 4);
    afterAll(() => second.destroy());
    const tenantId = await createTestTenant(database);
    const bb = sandbox.addTenant({ name: "Shared" });
    const make = (db: typeof database) =>
      createBbClient({ database: db, tenantId, credentials: { apiClient: bb.apiClient, apiSecret: bb.apiSecret, apiKey: bb.apiKey }, baseUrl: sandbox.apiBaseUrl, clock: sandbox.clock });
    const clients = [make(database), make(second)];
    await Promise.all(
      clients.map(async (c) => {
        await Promise.all([
          (async () => {
            for (let i = 0; i < 120; i++) await c.listAccounts();
          })(),
          (async () => {
            for (let i = 0; i < 4; i++) {
              const out = await c.addReceipts([{ type: "invoice outbound", counterparty: "x", invoiceNumber: `SH-${i}-${Math.random()}`, date: "2026-03-14", amount: cents(100) }]);
              expect(out.failed).toBe(0);
            }
          })(),
        ]);
      }),
    );
    const stats = sandbox.stats(bb.apiKey);
    expect(stats.requests).toBe(248);
    expect(stats.throttled).toBe(0);
    expect(stats.maxInWindow).toBeLessThanOrEqual(100);
    expect(stats.minBatchGapMs["receipts/addBatch"]).toBeGreaterThanOrEqual(5_000);
    expect(clients.reduce((t, c) => t + c.stats().throttled, 0)).toBe(0);
  });

  it("at the limit: two processes, 10 calls/min, 30 calls → three full windows, none throttled", async () => {
    const limits = { perWindow: 10, windowMs: 60_000 };
    const sandbox = await testSandbox({ clock: scaledClock(50), limits });
    const second = createDb(process.env.DATABASE_URL!, 4);
    afterAll(() => second.destroy());
    const tenantId = await createTestTenant(database);
    const bb = sandbox.addTenant({ name: "Tight" });
    const make = (db: typeof database) =>
      createBbClient({ database: db, tenantId, credentials: { apiClient: bb.apiClient, apiSecret: bb.apiSecret, apiKey: bb.apiKey }, baseUrl: sandbox.apiBaseUrl, clock: sandbox.clock, limiterOptions: { limits } });
    const t0 = sandbox.clock.now();
    await Promise.all([make(database), make(second)].map(async (c) => {
      for (let i = 0; i < 15; i++) await c.listAccounts();
    }));
    const stats = sandbox.stats(bb.apiKey);
    expect(stats.throttled).toBe(0);
    expect(stats.maxInWindow).toBe(10);
    expect(sandbox.clock.now() - t0).toBeGreaterThanOrEqual(120_000);
  });

  it("keeps tenants independent: two busy tenants each get their own budget", async () => {
    const limits = { perWindow: 10, windowMs: 60_000 };
    const sandbox = await testSandbox({ clock: scaledClock(20), limits });
    const run = async (name: string) => {
      const tenantId = await createTestTenant(database);
      const bb = sandbox.addTenant({ name });
      const client = createBbClient({ database, tenantId, credentials: { apiClient: bb.apiClient, apiSecret: bb.apiSecret, apiKey: bb.apiKey }, baseUrl: sandbox.apiBaseUrl, clock: sandbox.clock, limiterOptions: { limits } });
      const t0 = sandbox.clock.now();
      for (let i = 0; i < 25; i++) await client.listAccounts();
      return { elapsed: sandbox.clock.now() - t0, stats: sandbox.stats(bb.apiKey) };
    };
    const [a, b] = await Promise.all([run("A"), run("B")]);
    for (const r of [a!, b!]) {
      expect(r.stats.throttled).toBe(0);
      // 25 calls at 10/min need two waits of a window: ~120 s alone, ~240 s if the tenants shared one budget.
      expect(r.elapsed).toBeGreaterThanOrEqual(120_000);
      expect(r.elapsed).toBeLessThan(200_000);
    }
  });
});
