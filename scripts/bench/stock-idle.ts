import { scaledClock } from "@/lib/clock";
import { createBbClient } from "@/lib/buchhaltungsbutler";
import { createDb, toJson, type Database } from "@/lib/db";
import { createLightspeedClient, saveLightspeedTokens } from "@/lib/lightspeed";
import { buildSyncDeps } from "@/lib/sync/deps";
import { stockSync } from "@/inngest/functions/stock-sync";
import { runFlowNow } from "@/inngest/run-flow-now";
import { saveStockSettings } from "@/lib/sync/stock/stock-settings";
import { lastClosedPeriod, periodDates, periodEndInstant } from "@/lib/sync/stock/valuation-periods";
import { startBbSandbox } from "@/sandbox/buchhaltungsbutler/server";
import { startLightspeedSandbox } from "@/sandbox/lightspeed/server";
import type { BenchFlags, BenchResult } from "../bench";
import { createFreshDatabase, migrateUrl } from "../lib/databases";

/**
 * `npm run bench -- stock-idle [--json] [--items 2000] [--polls 5] [--speed 20]`
 *
 * The cost of a stock poll when nothing changed, with "stock is managed in BuchhaltungsButler" ON and the
 * last period already valued (the steady state): Lightspeed drips per poll (from the X-LS-Api-Request-Cost
 * headers) and BuchhaltungsButler calls (counted by the BB sandbox itself). Targets: ≤ 2 drips, 0 BB calls.
 * `achieved` is the most drips one idle poll cost, `bound` the allowed 2; ratio ≤ 1 passes.
 */
export async function run(flags: BenchFlags): Promise<BenchResult> {
  const items = Number(flags.items ?? 2_000);
  const polls = Number(flags.polls ?? 5);
  const speed = Number(flags.speed ?? 20);
  const clock = scaledClock(speed);
  const fresh = await createFreshDatabase("bench_stock_idle", process.env.DATABASE_URL);
  const ls = await startLightspeedSandbox({ clock, seed: 7, sizes: { items, matrices: Math.round(items / 20), customers: 10, sales: 50, days: 3 }, accessTokenLifetimeSeconds: 24 * 3600 });
  const bbSandbox = await startBbSandbox({ clock });
  let database: Database | null = null;
  try {
    await migrateUrl(fresh.url);
    database = createDb(fresh.url, 4);
    const account = ls.account();
    const tenant = await database
      .insertInto("tenants")
      .values({ ls_account_id: String(account.id), name: account.name, settings: "{}", status: "active", updated_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const tokens = await ls.issueTokens({ accountId: account.id });
    await saveLightspeedTokens(database, tenant.id, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(clock.now() + tokens.expiresIn * 1000), scopes: [], accountId: String(account.id) });
    const client0 = ls.clients[0]!;
    const client = createLightspeedClient({ database, tenantId: tenant.id, clock, config: { apiBaseUrl: ls.url, authBaseUrl: ls.url, clientId: client0.clientId, clientSecret: client0.clientSecret } });
    const bbTenant = bbSandbox.addTenant({ name: account.name, chart: "SKR03" });
    await database
      .insertInto("connections")
      .values({ tenant_id: tenant.id, provider: "buchhaltungsbutler", status: "connected", meta: toJson({ check: { chart: "SKR03" } }), updated_at: new Date() })
      .execute();
    const bb = createBbClient({ database, tenantId: tenant.id, credentials: { apiClient: bbTenant.apiClient, apiSecret: bbTenant.apiSecret, apiKey: bbTenant.apiKey }, baseUrl: bbSandbox.apiBaseUrl, clock });
    await saveStockSettings(database, tenant.id, { managedInBb: true, timeZone: "Europe/Berlin" }, true);
    const conn = database;
    const syncStockNow = () => runFlowNow(stockSync, (id) => buildSyncDeps(conn, id, { ls: client, bb, clock }), { tenantId: tenant.id, kind: "poll" });

    // The first poll loads the ledger.
    const load = await syncStockNow();
    const levels = await database.selectFrom("stock_levels").select((eb) => eb.fn.countAll<string>().as("n")).where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    // Steady state: the last closed period is already valued, so nothing is due.
    const period = lastClosedPeriod(new Date(clock.now()), "month", "Europe/Berlin");
    await database
      .insertInto("stock_valuations")
      .values({ tenant_id: tenant.id, period, frequency: "month", period_end_date: periodDates(period).last, as_of: periodEndInstant(period, "Europe/Berlin"), time_zone: "Europe/Berlin", value_cents: 0, posted_cents: 0, status: "baseline", computed_at: new Date() })
      .execute();

    const bbBefore = bbSandbox.stats().requests;
    const perPoll: { drips: number; requests: number; bbCalls: number; status: string }[] = [];
    for (let i = 0; i < polls; i++) {
      const s0 = client.stats();
      const b0 = bbSandbox.stats().requests;
      const r = await syncStockNow();
      const s1 = client.stats();
      perPoll.push({ drips: round(s1.drips - s0.drips), requests: s1.requests - s0.requests, bbCalls: bbSandbox.stats().requests - b0, status: r.status });
    }
    const maxDrips = Math.max(...perPoll.map((p) => p.drips));
    const bbCalls = bbSandbox.stats().requests - bbBefore;
    return {
      name: "stock-idle",
      achieved: maxDrips,
      bound: 2,
      ratio: round(maxDrips / 2, 4),
      unit: "Lightspeed drips per idle stock poll (≤ bound passes)",
      bbCalls,
      pass: maxDrips <= 2 && bbCalls === 0,
      polls: perPoll,
      ledgerRows: Number(levels.n),
      initialLoad: { status: load.status, counts: load.counts },
      valuation: { managedInBb: true, lastValuedPeriod: period },
      speed,
      database: fresh.mode,
    };
  } finally {
    await ls.close();
    await bbSandbox.close();
    await database?.destroy();
    await fresh.drop();
  }
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
