import crypto, { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { ordersPoll, ordersSync } from "@/inngest/functions/orders-sync";
import { productsPoll, productsSync } from "@/inngest/functions/products-sync";
import { stockPoll, stockSync } from "@/inngest/functions/stock-sync";
import { InlineDriver } from "@/inngest/inline-driver";
import { createBbClient, saveBbCredentials } from "@/lib/buchhaltungsbutler";
import { scaledClock } from "@/lib/clock";
import { db } from "@/lib/db";
import { env, resetEnvCache } from "@/lib/env";
import { createLightspeedClient, saveLightspeedTokens } from "@/lib/lightspeed";
import { applyProposedOrderMappings } from "@/lib/mapping/apply-proposed-order-mappings";
import { saveMapping } from "@/lib/mapping/order-mappings";
import { proposeOrderMappings } from "@/lib/mapping/propose-order-mappings";
import { buildSyncDeps } from "@/lib/sync/deps";
import { saveOrderSettings } from "@/lib/sync/orders/order-settings";
import { DEFAULT_POLL_MINUTES } from "@/lib/sync/poll-slot";
import type { BenchFlags, BenchResult } from "../bench";
import { createFreshDatabase, migrateUrl, type FreshDatabase } from "../lib/databases";
import { freePort } from "../lib/embedded-pg";
import { startProcess, waitForUrl, type Started } from "../lib/processes";
import { PROJECT_ROOT } from "../lib/root";
import { benchBbTenant } from "./_orders-world";

/**
 * Many small merchants on one schedule: N tenants (default 1,000), each with its own Lightspeed account and BB
 * tenant, polled by the production cron and flow jobs (orders, catalogue, stock) on the inline driver, one PostgreSQL, both sandboxes
 * in their own processes on a clock running `speed` times faster. Sales arrive at random at every tenant while
 * the cron ticks each API minute; the benchmark reports how long each sale took from the till to BB (API clock:
 * the goal is p95 ≤ poll interval + 60 s), the fairness between tenants (slowest tenant's worst lag / the
 * median tenant's), peak database connections (against the pool size), Lightspeed and BB 429s and failed runs.
 *
 * achieved = p95 lag (API seconds), bound = poll interval + 60 s; ratio ≤ 1 meets the goal.
 *
 * Flags: --tenants 1000 --speed 5 --minutes 15 (API minutes of traffic) --sales-per-poll 1 (per tenant, mean)
 * --orders-only (without the catalogue and stock flows, which run by default as in production)
 */
export async function run(flags: BenchFlags): Promise<BenchResult> {
  const n = (key: string, def: number) => (flags[key] === undefined ? def : Number(flags[key]));
  const tenants = n("tenants", 1_000);
  const speed = n("speed", 5);
  const minutes = n("minutes", 15);
  const salesPerPoll = n("sales-per-poll", 1);
  const allFlows = flags["orders-only"] !== true;
  const quiet = !!flags.json;
  const say = (s: string) => {
    if (!quiet) console.error(s);
  };
  const root = PROJECT_ROOT;
  const tsx = path.join(root, "node_modules/.bin/tsx");
  const [lsPort, bbPort] = [await freePort(), await freePort()];
  const lsUrl = `http://127.0.0.1:${lsPort}`;
  const bbUrl = `http://127.0.0.1:${bbPort}`;
  const clientId = "bench-client";
  const clientSecret = crypto.randomBytes(16).toString("hex");
  const bbKeys = Array.from({ length: tenants }, () => `bench-${randomUUID()}`);
  const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bb-bench-")), "tenants.json");
  fs.writeFileSync(
    configFile,
    JSON.stringify(
      bbKeys.map((apiKey, i) => benchBbTenant({ name: `Laden ${i} GmbH`, apiClient: `bench-bb-client-${i}`, apiKey })),
    ),
  );
  const started: Started[] = [];
  let fresh: FreshDatabase | undefined;
  const sandboxEnv = { ...process.env, NODE_OPTIONS: "--max-old-space-size=4096" };
  try {
    started.push(
      startProcess(
        tsx,
        ["sandbox/lightspeed/main.ts", "--port", String(lsPort), "--profile", "test", "--seed", "7", "--accounts", String(tenants), "--items", "20", "--matrices", "1", "--customers", "5", "--sales", "0", "--days", "1", "--speed", String(speed), "--client-id", clientId, "--client-secret", clientSecret],
        { name: "lightspeed-sandbox", cwd: root, env: sandboxEnv, prefixOutput: !quiet },
      ),
      startProcess(tsx, ["sandbox/buchhaltungsbutler/main.ts", "--port", String(bbPort), "--speed", String(speed), "--no-demo", "--config", configFile], { name: "bb-sandbox", cwd: root, env: sandboxEnv, prefixOutput: !quiet }),
    );
    fresh = await createFreshDatabase("bbtenants", process.env.DATABASE_URL || undefined);
    await migrateUrl(fresh.url);
    process.env.DATABASE_URL = fresh.url;
    resetEnvCache();
    const database = db();
    // The pool db() was just built with: the ceiling the run's connections are judged against.
    const poolSize = env().DATABASE_POOL_MAX;
    await waitForUrl(`${bbUrl}/__sandbox`, 120_000, started[1]!.exited);
    await waitForUrl(`${lsUrl}/__sandbox/health`, 900_000, started[0]!.exited);
    const health = (await (await fetch(`${lsUrl}/__sandbox/health`)).json()) as { accounts: number[] };
    // The Lightspeed sandbox's clock is the one sales are stamped with: lags are measured on it.
    const lsClock0 = (await (await fetch(`${lsUrl}/__sandbox/clock`)).json()) as { now: number };
    const real0 = Date.now();
    const lsTime = (real: number) => lsClock0.now + (real - real0) * speed;
    const clock = scaledClock(speed, lsClock0.now, real0);

    say(`setting up ${tenants} tenants …`);
    const lsConfig = { apiBaseUrl: lsUrl, authBaseUrl: lsUrl, clientId, clientSecret };
    const tenantIds: string[] = [];
    const accountOf = new Map<string, number>();
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    for (let i = 0; i < tenants; i += 25) {
      await Promise.all(
        health.accounts.slice(i, i + 25).map(async (accountId, k) => {
          const index = i + k;
          const row = await database
            .insertInto("tenants")
            .values({ ls_account_id: String(accountId), name: `Laden ${index} GmbH`, settings: JSON.stringify({ redactPii: true }), status: "active", onboarded_at: new Date(), updated_at: new Date() })
            .returning("id")
            .executeTakeFirstOrThrow();
          const tenantId = row.id;
          const tokens = (await (await fetch(`${lsUrl}/__sandbox/tokens`, { method: "POST", body: JSON.stringify({ accountId, scopes: ["employee:all"], clientId }) })).json()) as { accessToken: string; refreshToken: string; expiresIn: number };
          await saveLightspeedTokens(database, tenantId, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(clock.now() + tokens.expiresIn * 1000), scopes: ["employee:all"], accountId: String(accountId) });
          await saveBbCredentials(database, tenantId, { mode: "own", apiKey: bbKeys[index]!, apiClient: `bench-bb-client-${index}`, apiSecret: "bench-bb-secret-0001" }, { check: { chart: "SKR03" } });
          const ls = createLightspeedClient({ database, tenantId, clock, config: lsConfig });
          const proposal = proposeOrderMappings("SKR03", await ls.listPaymentTypes(), [
            { number: 1000, name: "Kasse", kind: "cash" },
            { number: 1792, name: "EC/Kreditkarte Lightspeed", kind: "other" },
          ]);
          await applyProposedOrderMappings(database, tenantId, proposal, { postingAccountNumber: 10001, name: "Laufkundschaft" });
          for (const p of proposal.paymentTypes) if (!p.target) await saveMapping(database, tenantId, "payment_type", p.paymentType.paymentTypeId, { kind: "tender", account: 1200 });
          await saveOrderSettings(database, tenantId, { startDate: today }, true);
          // The catalogue and stock flows on too: the herd is all three flows of every tenant, and they share
          // the account's one Lightspeed budget.
          if (allFlows) {
            await database
              .insertInto("flow_settings")
              .values((["products", "stock"] as const).map((flow) => ({ tenant_id: tenantId, flow, enabled: true, settings: "{}", updated_at: new Date() })))
              .onConflict((oc) => oc.columns(["tenant_id", "flow"]).doUpdateSet({ enabled: true }))
              .execute();
          }
          tenantIds[index] = tenantId;
          accountOf.set(tenantId, accountId);
        }),
      );
    }
    const tenantOfAccount = new Map([...accountOf].map(([t, a]) => [a, t]));

    const deps = (tenantId: string) =>
      buildSyncDeps(database, tenantId, { ls: createLightspeedClient({ database, tenantId, clock, config: lsConfig }), bb: createBbClient({ database, tenantId, clock, baseUrl: `${bbUrl}/api/v1` }), clock });
    const driver = new InlineDriver({ definitions: [ordersPoll, ordersSync.withDeps(deps), ...(allFlows ? [productsPoll, productsSync.withDeps(deps), stockPoll, stockSync.withDeps(deps)] : [])], backoffMs: (k) => 1000 * k });

    // Peak connections to the benchmark's database (the app's pool is the only client besides this sampler).
    let peakConnections = 0;
    const sampler = setInterval(() => {
      void sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and state <> 'idle'`
        .execute(database)
        .then((r) => {
          peakConnections = Math.max(peakConnections, (r.rows[0]?.n ?? 1) - 1);
        })
        .catch(() => undefined);
    }, 250);

    // Sales: each tenant gets `salesPerPoll` per poll interval on average, at random API moments.
    const saleTimes = new Map<string, { tenantId: string; at: number }>();
    const tickMs = 1_000;
    const perTick = (tenants * salesPerPoll * (tickMs * speed)) / (DEFAULT_POLL_MINUTES * 60_000);
    let carry = 0;
    const mutateFailures: string[] = [];
    const addSales = async () => {
      carry += perTick;
      const count = Math.floor(carry);
      carry -= count;
      await Promise.all(
        Array.from({ length: count }, async () => {
          const accountId = health.accounts[Math.floor(Math.random() * health.accounts.length)]!;
          const res = await fetch(`${lsUrl}/__sandbox/mutate`, { method: "POST", body: JSON.stringify({ action: "addSale", accountId }) });
          const r = (await res.json()) as { id?: number; timeStamp?: string; error?: unknown };
          if (!r.id || !r.timeStamp) mutateFailures.push(JSON.stringify(r).slice(0, 200));
          else saleTimes.set(`${accountId}:${r.id}`, { tenantId: tenantOfAccount.get(accountId)!, at: Date.parse(r.timeStamp) });
        }),
      );
    };

    // The cron: one tick per API minute, carrying that minute (as Inngest's scheduled event does).
    let lastMinute = Math.floor(clock.now() / 60_000);
    const cron = setInterval(() => {
      const minute = Math.floor(clock.now() / 60_000);
      for (let m = lastMinute + 1; m <= minute; m++) driver.tickCron(new Date(m * 60_000));
      lastMinute = minute;
    }, 100);
    // Every tenant polls once before traffic starts, so the first poll's catch-up is not measured.
    const warmUntil = clock.now() + (DEFAULT_POLL_MINUTES + 1) * 60_000;
    say(`warming up for ${DEFAULT_POLL_MINUTES + 1} API minutes …`);
    while (clock.now() < warmUntil) await new Promise((r) => setTimeout(r, 500));

    say(`${minutes} API minutes of sales …`);
    const trafficUntil = clock.now() + minutes * 60_000;
    const startedReal = Date.now();
    const cpu0 = process.cpuUsage();
    while (clock.now() < trafficUntil) {
      const t = Date.now();
      await addSales();
      await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - t))));
    }
    // Let the last sales reach BB: two more intervals at most.
    const drainUntil = clock.now() + 2 * DEFAULT_POLL_MINUTES * 60_000;
    const bookedAt = new Map<string, number>();
    const readBooked = async () => {
      const rows = await database.selectFrom("sync_links").select(["tenant_id", "source_id", "updated_at", "status"]).where("entity", "=", "sale").where("status", "=", "done").execute();
      for (const r of rows) bookedAt.set(`${accountOf.get(r.tenant_id)}:${r.source_id}`, lsTime(r.updated_at.getTime()));
    };
    for (;;) {
      await readBooked();
      if ([...saleTimes.keys()].every((k) => bookedAt.has(k)) || clock.now() > drainUntil) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    clearInterval(cron);
    await driver.idle();
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpu0);
    const realSeconds = (Date.now() - startedReal) / 1000;

    const lags: number[] = [];
    const worstByTenant = new Map<string, number>();
    let missing = 0;
    for (const [key, sale] of saleTimes) {
      const booked = bookedAt.get(key);
      if (booked === undefined) {
        missing++;
        continue;
      }
      const lag = Math.max(0, (booked - sale.at) / 1000);
      lags.push(lag);
      worstByTenant.set(sale.tenantId, Math.max(worstByTenant.get(sale.tenantId) ?? 0, lag));
    }
    const pct = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
    };
    const worst = [...worstByTenant.values()];
    const lsStats = (await (await fetch(`${lsUrl}/__sandbox/stats`)).json()) as { buckets: Record<string, { rejected: number; requests: number }> };
    const ls429 = Object.values(lsStats.buckets).reduce((a, b) => a + b.rejected, 0);
    const lsRequests = Object.values(lsStats.buckets).reduce((a, b) => a + b.requests, 0);
    const bbStats = (await (await fetch(`${bbUrl}/__sandbox/stats`)).json()) as { requests: number; throttled: number };
    const runs = [...driver.runs.values()];
    const failed = runs.filter((r) => r.status === "failed");
    const failedSales = await database.selectFrom("sync_links").select((eb) => eb.fn.countAll<string>().as("n")).where("entity", "=", "sale").where("status", "=", "failed").executeTakeFirstOrThrow();
    const p95 = pct(lags, 95);
    const bound = DEFAULT_POLL_MINUTES * 60 + 60;
    const fairness = worst.length ? Math.max(...worst) / pct(worst, 50) : Number.NaN;
    return {
      name: "tenants",
      achieved: Math.round(p95),
      bound,
      ratio: Math.round((p95 / bound) * 1000) / 1000,
      unit: "p95 sale → booked lag in API seconds (lower is better; ratio ≤ 1 meets the goal)",
      tenants,
      speed,
      sales: saleTimes.size,
      booked: lags.length,
      missing,
      lagSeconds: { p50: Math.round(pct(lags, 50)), p95: Math.round(p95), max: Math.round(Math.max(...lags)) },
      fairness: Math.round(fairness * 100) / 100,
      peakDbConnections: peakConnections,
      poolSize,
      lightspeed429: ls429,
      lightspeedRequests: lsRequests,
      bb429: bbStats.throttled,
      bbRequests: bbStats.requests,
      runs: runs.length,
      failedRuns: failed.length,
      failedRunErrors: [...new Set(failed.map((r) => String(r.error).slice(0, 200)))].slice(0, 5),
      failedSales: Number(failedSales.n),
      mutateFailures: mutateFailures.length,
      syncCpuShare: Math.round(((cpu.user + cpu.system) / 1e6 / realSeconds) * 1000) / 1000,
      // The longest step in wall-clock seconds, with a thousand tenants' runs competing for the process.
      maxStepWallSeconds: Math.round(driver.sizes.maxStepWallMs / 100) / 10,
      pass: p95 <= bound && fairness <= 2 && ls429 === 0 && failed.length === 0 && missing === 0 && peakConnections <= poolSize,
    };
  } finally {
    await (globalThis as { __butlerbridgeDb?: { destroy(): Promise<void> } }).__butlerbridgeDb?.destroy().catch(() => undefined);
    (globalThis as { __butlerbridgeDb?: unknown }).__butlerbridgeDb = undefined;
    for (const s of started) await s.stop();
    await fresh?.drop();
  }
}
