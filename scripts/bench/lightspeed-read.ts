import crypto from "node:crypto";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { scaledClock } from "@/lib/clock";
import { createDb } from "@/lib/db";
import { createLightspeedClient, saveLightspeedTokens } from "@/lib/lightspeed";
import type { BenchFlags, BenchResult } from "../bench";
import { createFreshDatabase, migrateUrl } from "../lib/databases";
import { freePort } from "../lib/embedded-pg";
import { startProcess, waitForUrl } from "../lib/processes";
import { PROJECT_ROOT } from "../lib/root";

/**
 * Full read of the catalogue (Items with attributes and custom fields) and of all completed Sales with
 * SaleLines, SalePayments(+PaymentType) and Customer(+Contact) from a sandbox in its own process, at an
 * accelerated clock. Both clocks run at the same speed, so every ratio is what it would be in real time.
 *
 * bound: the fastest any client could go under the limits for the same requests: the bucket starts empty, so
 * the first `size` drips are free and every further drip takes 1/dripRate seconds:
 *   boundSeconds = (drips − size) / dripRate            (drips = Σ X-LS-Api-Request-Cost actually charged)
 * achieved and bound are records per (API-clock) second; ratio = achieved / bound = boundSeconds / actualSeconds.
 *
 * Flags: --items 50000 --sales 100000 --customers 5000 --matrices 3000 --days 365 --speed 10 --registers 3
 *
 * Speed ×10 by default: a page of 100 sales with relations takes ~35 ms of CPU to render in the sandbox and
 * ~25 ms to validate in the client on these 2-core machines; at ×10 a page's bucket time (2.6 drips at 2/s =
 * 130 ms real) leaves room for that, so the ratio measures pacing, not CPU. At ×25 and above, CPU is the limit.
 */
export async function run(flags: BenchFlags): Promise<BenchResult> {
  const n = (key: string, def: number) => (flags[key] === undefined ? def : Number(flags[key]));
  const items = n("items", 50_000);
  const sales = n("sales", 100_000);
  const speed = n("speed", 10);
  const registers = n("registers", 3);
  const root = PROJECT_ROOT;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const clientId = "bench-client";
  const clientSecret = crypto.randomBytes(16).toString("hex");

  const sandbox = startProcess(
    path.join(root, "node_modules/.bin/tsx"),
    [
      "sandbox/lightspeed/main.ts", "--port", String(port), "--profile", "test", "--seed", String(n("seed", 42)), "--items", String(items), "--sales", String(sales),
      "--customers", String(n("customers", 5_000)), "--matrices", String(n("matrices", 3_000)), "--days", String(n("days", 365)), "--speed", String(speed),
      "--register-limit", String(registers), "--client-id", clientId, "--client-secret", clientSecret,
    ],
    { name: "lightspeed-sandbox", cwd: root, env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=3072" }, prefixOutput: !flags.json },
  );
  const fresh = await createFreshDatabase("bbbench", process.env.DATABASE_URL || undefined);
  const database = createDb(fresh.url, 4);
  try {
    await waitForUrl(`${url}/__sandbox/health`, 600_000, sandbox.exited);
    await migrateUrl(fresh.url);
    const tenant = await database
      .insertInto("tenants")
      .values({ ls_account_id: `bench-${randomUUID()}`, name: "Bench GmbH", settings: JSON.stringify({}), status: "active", updated_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const clock = scaledClock(speed);
    const tokens = (await (await fetch(`${url}/__sandbox/tokens`, { method: "POST", body: JSON.stringify({ scopes: ["employee:all"], clientId }) })).json()) as { accessToken: string; refreshToken: string; expiresIn: number };
    const account = (await (await fetch(`${url}/__sandbox/store`)).json()) as { accountId: number; counts: { items: number; sales: number } };
    await saveLightspeedTokens(database, tenant.id, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(clock.now() + tokens.expiresIn * 1000), scopes: ["employee:all"], accountId: String(account.accountId) });
    const client = createLightspeedClient({ database, tenantId: tenant.id, clock, config: { apiBaseUrl: url, authBaseUrl: url, clientId, clientSecret } });

    const started = clock.now();
    const realStarted = Date.now();
    let records = 0;
    let malformed = 0;
    let pages = 0;
    for await (const page of client.readItems()) {
      records += page.records.length;
      malformed += page.malformed.length;
      pages++;
    }
    const itemRecords = records;
    for await (const page of client.readSales()) {
      records += page.records.length;
      malformed += page.malformed.length;
      pages++;
    }
    const seconds = (clock.now() - started) / 1000;
    const realSeconds = (Date.now() - realStarted) / 1000;
    const stats = client.stats();
    const server = (await (await fetch(`${url}/__sandbox/stats`)).json()) as { throttled: Record<string, number>; buckets: Record<string, { drips: number; requests: number; rejected: number; rejectedAfterFirstBurst: number; size: number; drip: number }> };
    const bucket = Object.values(server.buckets)[0]!;
    const boundSeconds = Math.max(1e-9, (bucket.drips - bucket.size) / bucket.drip);
    const achieved = (records + malformed) / seconds;
    const bound = (records + malformed) / boundSeconds;
    return {
      name: "lightspeed-read",
      achieved: Math.round(achieved * 100) / 100,
      bound: Math.round(bound * 100) / 100,
      ratio: Math.round((achieved / bound) * 1000) / 1000,
      unit: "records/s",
      records: records + malformed,
      items: itemRecords,
      sales: records - itemRecords,
      malformed,
      pages,
      requests: bucket.requests,
      drips: bucket.drips,
      bucketSize: bucket.size,
      dripRate: bucket.drip,
      apiSeconds: Math.round(seconds * 10) / 10,
      boundSeconds: Math.round(boundSeconds * 10) / 10,
      realSeconds: Math.round(realSeconds * 10) / 10,
      speed,
      throttled429: bucket.rejected,
      throttled429AfterFirstBurst: bucket.rejectedAfterFirstBurst,
      clientThrottled429: stats.throttled429,
      clientWaitingApiSeconds: Math.round(stats.waitingMs / 100) / 10,
      retries: stats.retries,
    };
  } finally {
    await database.destroy();
    await sandbox.stop();
    await fresh.drop();
  }
}
