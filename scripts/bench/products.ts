import { scaledClock } from "@/lib/clock";
import { createDb, type Database } from "@/lib/db";
import { createLightspeedClient, saveLightspeedTokens } from "@/lib/lightspeed";
import { productsSync } from "@/inngest/functions/products-sync";
import { runFlowNow } from "@/inngest/run-flow-now";
import { saveProductSettings } from "@/lib/sync/products/product-settings";
import { buildSyncDeps } from "@/lib/sync/deps";
import { startLightspeedSandbox } from "@/sandbox/lightspeed/server";
import type { BenchFlags, BenchResult } from "../bench";
import { createFreshDatabase, migrateUrl } from "../lib/databases";

/**
 * `npm run bench -- products [--json] [--items 50000] [--matrices 5000] [--speed 4] [--registers 3]`
 *
 * A first full product sync of a big catalogue (50k items, 5k matrices) through the real flow — Lightspeed
 * client against the sandbox on loopback, register writes, SKU assignment, activity log — on a fresh database.
 * The bound is what Lightspeed's leaky bucket allows for the same requests: the drips they cost (from the
 * X-LS-Api-Request-Cost headers), minus the bucket that is free at the start, at the drip rate; or the burst
 * limiter, if that is slower. Both in API seconds. The speed factor only compresses time: it must stay below
 * what this machine can write (itemsPerWallSecond ÷ the bound), or the ratio measures the machine, not the
 * flow. ×4 keeps a margin on a shared 2-core box; at Lightspeed's real pace (×1) the margin is ~4–5×.
 */
export async function run(flags: BenchFlags): Promise<BenchResult> {
  const items = Number(flags.items ?? 50_000);
  const matrices = Number(flags.matrices ?? 5_000);
  const speed = Number(flags.speed ?? 4);
  const registers = Number(flags.registers ?? 3);
  const fresh = await createFreshDatabase("bench_products", process.env.DATABASE_URL);
  let database: Database | null = null;
  const clock = scaledClock(speed);
  const sandbox = await startLightspeedSandbox({
    clock,
    seed: 42,
    sizes: { items, matrices, customers: 10, sales: 10, days: 2 },
    accounts: [{ registerLimit: registers }],
    accessTokenLifetimeSeconds: 24 * 3600,
  });
  try {
    await migrateUrl(fresh.url);
    database = createDb(fresh.url, 4);
    const account = sandbox.account();
    const tenant = await database
      .insertInto("tenants")
      .values({ ls_account_id: String(account.id), name: account.name, settings: JSON.stringify({ redactPii: true }), status: "active", updated_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const tokens = await sandbox.issueTokens({ accountId: account.id });
    await saveLightspeedTokens(database, tenant.id, {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: new Date(clock.now() + tokens.expiresIn * 1000),
      scopes: [],
      accountId: String(account.id),
    });
    await saveProductSettings(database, tenant.id, {}, true);
    const client0 = sandbox.clients[0]!;
    const client = createLightspeedClient({
      database,
      tenantId: tenant.id,
      clock,
      config: { apiBaseUrl: sandbox.url, authBaseUrl: sandbox.url, clientId: client0.clientId, clientSecret: client0.clientSecret },
    });

    const startedApi = clock.now();
    const startedWall = performance.now();
    const conn = database;
    const result = await runFlowNow(productsSync, (id) => buildSyncDeps(conn, id, { ls: client, clock }), { tenantId: tenant.id, kind: "manual" });
    const wallSeconds = (performance.now() - startedWall) / 1000;
    const apiSeconds = (clock.now() - startedApi) / 1000;
    const stats = client.stats();

    const registered = await database.selectFrom("products").select((eb) => eb.fn.countAll<string>().as("n")).where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    const variants = await database.selectFrom("products").select((eb) => eb.fn.countAll<string>().as("n")).where("tenant_id", "=", tenant.id).where("kind", "=", "variant").executeTakeFirstOrThrow();
    const storedMatrices = await database.selectFrom("product_matrices").select((eb) => eb.fn.countAll<string>().as("n")).where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    const itemCount = Number(registered.n);
    if (itemCount !== sandbox.store.items.size) throw new Error(`registered ${itemCount} of ${sandbox.store.items.size} items`);

    const bucketBoundSeconds = Math.max(0, stats.drips - stats.bucketSize) / stats.dripRate;
    const burstLimit = Math.max(1, Math.floor(stats.bucketSize * (2 / 9)));
    const burstBoundSeconds = stats.requests / burstLimit;
    const boundSeconds = Math.max(bucketBoundSeconds, burstBoundSeconds);
    const achieved = itemCount / apiSeconds;
    const bound = itemCount / boundSeconds;
    return {
      name: "products",
      achieved: round(achieved),
      bound: round(bound),
      ratio: round(achieved / bound, 4),
      unit: "items per API second",
      items: itemCount,
      variants: Number(variants.n),
      matrices: Number(storedMatrices.n),
      status: result.status,
      counts: result.counts,
      steps: result.steps,
      requests: stats.requests,
      drips: stats.drips,
      bucketSize: stats.bucketSize,
      dripRate: stats.dripRate,
      throttled429: stats.throttled429,
      apiSeconds: round(apiSeconds),
      boundApiSeconds: round(boundSeconds),
      wallSeconds: round(wallSeconds),
      speed,
      itemsPerWallSecond: round(itemCount / wallSeconds),
      database: fresh.mode,
    };
  } finally {
    await sandbox.close();
    await database?.destroy();
    await fresh.drop();
  }
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
