import crypto, { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createBbClient, saveBbCredentials, syncDebtorIndex } from "@/lib/buchhaltungsbutler";
import { SHOP_PAYMENT_ACCOUNTS } from "@/sandbox/buchhaltungsbutler/demo";
import { scaledClock, type Clock } from "@/lib/clock";
import { db, type Database } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { createLightspeedClient, saveLightspeedTokens } from "@/lib/lightspeed";
import { applyProposedOrderMappings } from "@/lib/mapping/apply-proposed-order-mappings";
import { saveMapping } from "@/lib/mapping/order-mappings";
import { proposeOrderMappings } from "@/lib/mapping/propose-order-mappings";
import { saveOrderSettings } from "@/lib/sync/orders/order-settings";
import { buildSyncDeps, type SyncDepsFactory } from "@/lib/sync/deps";
import { createFreshDatabase, migrateUrl, type FreshDatabase } from "../lib/databases";
import { freePort } from "../lib/embedded-pg";
import { startProcess, waitForUrl, type Started } from "../lib/processes";
import { PROJECT_ROOT } from "../lib/root";

/**
 * Both sandboxes in their own processes (as in production, so the benchmark process holds only the sync), a
 * fresh database, and one tenant connected to both with the wizard's SKR03 mappings. Used by the order
 * benchmarks.
 */
export interface OrdersWorld {
  database: Database;
  tenantId: string;
  clock: Clock;
  speed: number;
  lsUrl: string;
  bbUrl: string;
  bbApiKey: string;
  lsStats(): Promise<{ drips: number; requests: number; size: number; drip: number; rejected: number }>;
  bbStats(): Promise<{ requests: number; throttled: number; byPath: Record<string, number> }>;
  /** CPU ms each sandbox process has used so far (from its stats endpoint). */
  sandboxCpuMs(): Promise<{ lightspeed: number; buchhaltungsbutler: number }>;
  /** The world's clients for the order job (`ordersSync.withDeps(world.deps)`). */
  deps: SyncDepsFactory;
  close(): Promise<void>;
}

/** A merchant's BB account as the benchmarks seed it: SKR03, the shop's payment accounts, a walk-in debtor. */
export function benchBbTenant(t: { name: string; apiClient: string; apiKey: string }) {
  return { ...t, apiSecret: "bench-bb-secret-0001", chart: "SKR03", debtorMode: "selective", paymentAccounts: SHOP_PAYMENT_ACCOUNTS, debtors: [{ number: 10001, name: "Laufkundschaft" }] };
}

export async function startOrdersWorld(options: { sales: number; items: number; customers: number; days: number; speed: number; quiet: boolean; registers?: number }): Promise<OrdersWorld> {
  const root = PROJECT_ROOT;
  const tsx = path.join(root, "node_modules/.bin/tsx");
  const lsPort = await freePort();
  const bbPort = await freePort();
  const lsUrl = `http://127.0.0.1:${lsPort}`;
  const clientId = "bench-client";
  const clientSecret = crypto.randomBytes(16).toString("hex");
  const bbApiKey = `bench-${randomUUID()}`;
  const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bb-bench-")), "tenants.json");
  fs.writeFileSync(
    configFile,
    JSON.stringify([benchBbTenant({ name: "Bench Berlin GmbH", apiClient: "bench-bb-client", apiKey: bbApiKey })]),
  );
  const started: Started[] = [];
  let fresh: FreshDatabase | undefined;
  let database: Database | undefined;
  try {
    started.push(
      startProcess(
        tsx,
        [
          "sandbox/lightspeed/main.ts", "--port", String(lsPort), "--profile", "test", "--seed", "42", "--items", String(options.items), "--sales", String(options.sales),
          "--customers", String(options.customers), "--matrices", String(Math.max(1, Math.round(options.items / 20))), "--days", String(options.days), "--speed", String(options.speed),
          "--register-limit", String(options.registers ?? 3), "--client-id", clientId, "--client-secret", clientSecret,
        ],
        { name: "lightspeed-sandbox", cwd: root, env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=4096" }, prefixOutput: !options.quiet },
      ),
    );
    started.push(
      startProcess(tsx, ["sandbox/buchhaltungsbutler/main.ts", "--port", String(bbPort), "--speed", String(options.speed), "--no-demo", "--config", configFile], {
        name: "bb-sandbox",
        cwd: root,
        env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=4096" },
        prefixOutput: !options.quiet,
      }),
    );
    fresh = await createFreshDatabase("bbbench", process.env.DATABASE_URL || undefined);
    await migrateUrl(fresh.url);
    // The jobs use the process pool (db()), so the benchmark's database becomes the process's database.
    process.env.DATABASE_URL = fresh.url;
    resetEnvCache();
    database = db();
    const bbUrl = `http://127.0.0.1:${bbPort}`;
    await waitForUrl(`${bbUrl}/__sandbox`, 120_000, started[1]!.exited);
    await waitForUrl(`${lsUrl}/__sandbox/health`, 900_000, started[0]!.exited);

    const clock = scaledClock(options.speed);
    const tenant = await database
      .insertInto("tenants")
      .values({ ls_account_id: `bench-${randomUUID()}`, name: "Bench Berlin GmbH", settings: JSON.stringify({ redactPii: true }), status: "active", onboarded_at: new Date(), updated_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const tenantId = tenant.id;
    const tokens = (await (await fetch(`${lsUrl}/__sandbox/tokens`, { method: "POST", body: JSON.stringify({ scopes: ["employee:all"], clientId }) })).json()) as { accessToken: string; refreshToken: string; expiresIn: number };
    const account = (await (await fetch(`${lsUrl}/__sandbox/store`)).json()) as { accountId: number };
    await saveLightspeedTokens(database, tenantId, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(clock.now() + tokens.expiresIn * 1000), scopes: ["employee:all"], accountId: String(account.accountId) });
    await saveBbCredentials(database, tenantId, { mode: "own", apiKey: bbApiKey, apiClient: "bench-bb-client", apiSecret: "bench-bb-secret-0001" }, { check: { chart: "SKR03" } });
    const conn = database;
    const ls = () => createLightspeedClient({ database: conn, tenantId, clock, config: { apiBaseUrl: lsUrl, authBaseUrl: lsUrl, clientId, clientSecret } });
    const bb = () => createBbClient({ database: conn, tenantId, clock, baseUrl: `${bbUrl}/api/v1` });

    const proposal = proposeOrderMappings("SKR03", await ls().listPaymentTypes(), [
      { number: 1000, name: "Kasse", kind: "cash" },
      { number: 1792, name: "EC/Kreditkarte Lightspeed", kind: "other" },
    ]);
    await applyProposedOrderMappings(database, tenantId, proposal, { postingAccountNumber: 10001, name: "Laufkundschaft" });
    for (const p of proposal.paymentTypes) if (!p.target) await saveMapping(database, tenantId, "payment_type", p.paymentType.paymentTypeId, { kind: "tender", account: 1200 });
    await syncDebtorIndex(database, tenantId, bb());
    await saveOrderSettings(database, tenantId, { startDate: new Date(clock.now() - (options.days + 5) * 86_400_000).toISOString().slice(0, 10) }, true);

    return {
      database,
      tenantId,
      clock,
      speed: options.speed,
      lsUrl,
      bbUrl,
      bbApiKey,
      lsStats: async () => {
        const s = (await (await fetch(`${lsUrl}/__sandbox/stats`)).json()) as { buckets: Record<string, { drips: number; requests: number; size: number; drip: number; rejected: number }> };
        return Object.values(s.buckets)[0] ?? { drips: 0, requests: 0, size: 90, drip: 1, rejected: 0 };
      },
      sandboxCpuMs: async () => {
        const [l, b] = await Promise.all([fetch(`${lsUrl}/__sandbox/stats`), fetch(`${bbUrl}/__sandbox/stats`)].map(async (r) => ((await (await r).json()) as { processCpuMs: number }).processCpuMs));
        return { lightspeed: l!, buchhaltungsbutler: b! };
      },
      bbStats: async () => (await (await fetch(`${bbUrl}/__sandbox/stats?tenant=${encodeURIComponent(bbApiKey)}`)).json()) as { requests: number; throttled: number; byPath: Record<string, number> },
      deps: (id) => buildSyncDeps(conn, id, { ls: ls(), bb: bb(), clock }),
      close: async () => {
        await conn.destroy();
        (globalThis as { __butlerbridgeDb?: unknown }).__butlerbridgeDb = undefined;
        for (const s of started) await s.stop();
        await fresh!.drop();
      },
    };
  } catch (e) {
    await database?.destroy();
    for (const s of started) await s.stop();
    await fresh?.drop();
    throw e;
  }
}
