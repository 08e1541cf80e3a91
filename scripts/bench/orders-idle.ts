import { ORDERS_BACKFILL_EVENT, ORDERS_SYNC_EVENT } from "@/inngest/events";
import { ordersSync } from "@/inngest/functions/orders-sync";
import { InlineDriver } from "@/inngest/inline-driver";
import type { BenchFlags, BenchResult } from "../bench";
import { startOrdersWorld } from "./_orders-world";

/**
 * The cost of a poll when nothing changed: after a backfill, a scheduled poll with no new or changed sales must
 * cost at most 3 Lightspeed drips and no BuchhaltungsButler call (goal from issue #6). Measured on both
 * sandboxes' own counters. achieved = drips of one idle poll (mean over --polls), bound = 3, ratio ≤ 1 passes.
 */
export async function run(flags: BenchFlags): Promise<BenchResult> {
  const n = (key: string, def: number) => (flags[key] === undefined ? def : Number(flags[key]));
  const polls = n("polls", 5);
  const world = await startOrdersWorld({ sales: n("sales", 300), items: 100, customers: 50, days: 5, speed: n("speed", 20), quiet: !!flags.json });
  try {
    const driver = new InlineDriver({ definitions: [ordersSync.withDeps(world.deps)], backoffMs: () => 100 });
    const from = new Date(world.clock.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    await driver.send({ name: ORDERS_BACKFILL_EVENT, data: { tenantId: world.tenantId, kind: "backfill", from } });
    await driver.idle();
    // Past the overlap window, so an idle poll re-reads only what it must.
    await world.clock.sleep(15 * 60_000);
    const ls0 = await world.lsStats();
    const bb0 = await world.bbStats();
    for (let i = 0; i < polls; i++) {
      await driver.send({ name: ORDERS_SYNC_EVENT, data: { tenantId: world.tenantId, kind: "poll" } });
      await driver.idle();
    }
    const ls1 = await world.lsStats();
    const bb1 = await world.bbStats();
    const drips = (ls1.drips - ls0.drips) / polls;
    const requests = (ls1.requests - ls0.requests) / polls;
    const bbCalls = bb1.requests - bb0.requests;
    const failed = [...driver.runs.values()].filter((r) => r.status !== "completed").map((r) => String(r.error));
    return {
      name: "orders-idle",
      achieved: Math.round(drips * 100) / 100,
      bound: 3,
      ratio: Math.round((drips / 3) * 1000) / 1000,
      unit: "Lightspeed drips per idle poll (lower is better; ratio ≤ 1 meets the goal)",
      lsRequestsPerPoll: requests,
      bbCalls,
      polls,
      pass: drips <= 3 && bbCalls === 0 && failed.length === 0,
      failedRuns: failed,
    };
  } finally {
    await world.close();
  }
}
