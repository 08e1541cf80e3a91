import { createBbClient } from "@/lib/buchhaltungsbutler";
import { scaledClock } from "@/lib/clock";
import { db } from "@/lib/db";
import { createLightspeedClient } from "@/lib/lightspeed";
import { buildSyncDeps } from "@/lib/sync/deps";
import { ordersSync } from "@/inngest/functions/orders-sync";
import { InlineDriver } from "@/inngest/inline-driver";
import { ORDERS_BACKFILL_EVENT, ORDERS_SYNC_EVENT } from "@/inngest/events";

/**
 * The order sync as its own process, for the chaos test: the test kills it with SIGKILL at random moments and
 * starts it again; everything it knows must come from Postgres and the two sandboxes. Configuration by env:
 * CHAOS_TENANT, CHAOS_LS_URL, CHAOS_LS_CLIENT_ID/SECRET, CHAOS_BB_URL, CHAOS_SPEED, CHAOS_ORIGIN,
 * CHAOS_REAL_START, CHAOS_KIND (backfill | manual), CHAOS_FROM.
 */
async function main() {
  const e = process.env;
  const tenantId = e.CHAOS_TENANT!;
  const clock = scaledClock(Number(e.CHAOS_SPEED), Number(e.CHAOS_ORIGIN), Number(e.CHAOS_REAL_START));
  const database = db();
  const deps = () =>
    buildSyncDeps(database, tenantId, {
      clock,
      ls: createLightspeedClient({ database, tenantId, clock, config: { apiBaseUrl: e.CHAOS_LS_URL!, authBaseUrl: e.CHAOS_LS_URL!, clientId: e.CHAOS_LS_CLIENT_ID!, clientSecret: e.CHAOS_LS_CLIENT_SECRET!, backoffBaseMs: 200 } }),
      bb: createBbClient({ database, tenantId, clock, baseUrl: e.CHAOS_BB_URL!, readBackDelayMs: 500, backoffMs: 500 }),
    });
  // Waits a job asks for (RetryAfter: "look again once BB's late-commit window has passed") pass on the world's clock.
  const driver = new InlineDriver({ definitions: [ordersSync.withDeps(deps)], backoffMs: (n) => 50 * n, timeScale: 1 / Number(e.CHAOS_SPEED) });
  const kind = e.CHAOS_KIND === "backfill" ? "backfill" : "manual";
  await driver.send({ name: kind === "backfill" ? ORDERS_BACKFILL_EVENT : ORDERS_SYNC_EVENT, data: { tenantId, kind, ...(kind === "backfill" ? { from: e.CHAOS_FROM } : {}) } });
  await driver.idle();
  const failed = [...driver.runs.values()].filter((r) => r.status === "failed");
  console.log(JSON.stringify({ done: true, failed: failed.map((r) => String(r.error)) }));
  await database.destroy();
  process.exit(failed.length ? 2 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
