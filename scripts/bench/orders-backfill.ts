import v8 from "node:v8";
import { sql } from "kysely";
import { ORDERS_BACKFILL_EVENT } from "@/inngest/events";
import { ordersSync } from "@/inngest/functions/orders-sync";
import { InlineDriver } from "@/inngest/inline-driver";
import type { BenchFlags, BenchResult } from "../bench";
import { startOrdersWorld } from "./_orders-world";

/**
 * A backfill of N sales (default 100k) from the Lightspeed sandbox into the BuchhaltungsButler sandbox through
 * the production job, both sandboxes in their own processes on a clock running `speed` times faster.
 *
 * bound: the shortest time the two APIs' limits allow for the same work, in API time:
 *  - BuchhaltungsButler: each batch endpoint takes one call per 5 s (≤ 50 items), all calls together at most 100
 *    per minute; the work is the receipts, receipt postings, payments, assignments, payment postings and
 *    gift-card postings the run created, plus the calls that have no batch endpoint: the debtors it created (the
 *    batch item has no e-mail field) and each gift-card posting's assignment to its receipt, with one listing
 *    per 1,000 gift-card postings to learn their ids (BB answers a free posting without its id);
 *  - Lightspeed: the drips the reads cost beyond the first bucket, at the account's drip rate.
 *  The slower of the two is the bound (reads and writes overlap). achieved and bound are sales per API minute.
 * Peak RSS is the benchmark process's, which holds only the sync (the sandboxes are separate processes) and runs
 * compiled, as in production (see scripts/bench.ts).
 *
 * Flags: --sales 100000 --items 2000 --customers 3000 --days 120 --speed 10
 */
export async function run(flags: BenchFlags): Promise<BenchResult> {
  const n = (key: string, def: number) => (flags[key] === undefined ? def : Number(flags[key]));
  const sales = n("sales", 100_000);
  const speed = n("speed", 10);
  const days = n("days", 120);
  const world = await startOrdersWorld({ sales, items: n("items", 2_000), customers: n("customers", 3_000), days, speed, quiet: !!flags.json });
  // Peak RSS is the goal; the heap and off-heap peaks say where it went when it is missed.
  const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k]);
  };
  sample();
  const startRss = peak.rss;
  // BENCH_HEAP_SNAPSHOT_MB=n writes one heap snapshot (to the working directory) the first time the heap passes n MB.
  const snapshotAt = Number(process.env.BENCH_HEAP_SNAPSHOT_MB ?? 0) * 1024 * 1024;
  let snapshotTaken = false;
  const sampler = setInterval(() => {
    sample();
    if (snapshotAt && !snapshotTaken && process.memoryUsage().heapUsed > snapshotAt) {
      snapshotTaken = true;
      console.error(`heap snapshot: ${v8.writeHeapSnapshot()}`);
    }
  }, 200);
  try {
    const driver = new InlineDriver({ definitions: [ordersSync.withDeps(world.deps)], backoffMs: (n) => 1000 * n });
    const from = new Date(world.clock.now() - (days + 2) * 86_400_000).toISOString().slice(0, 10);
    const startedApi = world.clock.now();
    const startedReal = Date.now();
    const startedCpu = process.cpuUsage();
    // The sandboxes' own CPU over the same stretch (their seeding before it is not the benchmark's).
    const sandboxCpuBefore = await world.sandboxCpuMs();
    await driver.send({ name: ORDERS_BACKFILL_EVENT, data: { tenantId: world.tenantId, kind: "backfill", from } });
    await driver.idle();
    // CPU per sale is robust to the machine's load, unlike the ratio: it says what the sync itself costs.
    const cpu = process.cpuUsage(startedCpu);
    const sandboxCpuAfter = await world.sandboxCpuMs();
    // Peak RSS is the sync's: what the benchmark itself does afterwards is not measured.
    clearInterval(sampler);
    sample();
    const apiSeconds = (world.clock.now() - startedApi) / 1000;
    const realSeconds = (Date.now() - startedReal) / 1000;
    const failedRuns = [...driver.runs.values()].filter((r) => r.status !== "completed").map((r) => String(r.error));

    const counts = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from sync_links where tenant_id = ${world.tenantId} and entity = 'sale' group by status`.execute(world.database);
    const byStatus = Object.fromEntries(counts.rows.map((r) => [r.status, r.n]));
    // The work the run did, counted in the database: loading 100k plans here would be the process's memory peak.
    const work = await sql<{ receipts: number; tenders: number; assignments: number; free: number; free_assigned: number }>`
      select count(*) filter (where has_receipt)::int as receipts,
             coalesce(sum(tenders), 0)::int as tenders,
             coalesce(sum(tenders) filter (where has_receipt), 0)::int as assignments,
             coalesce(sum(free), 0)::int as free,
             coalesce(sum(free_clearing) filter (where has_receipt), 0)::int as free_assigned
      from (
        select jsonb_typeof(target_ids->'plan'->'receipt') = 'object' as has_receipt,
               jsonb_array_length(target_ids->'plan'->'tenders') as tenders,
               jsonb_array_length(target_ids->'plan'->'freePostings') as free,
               (select count(*) from jsonb_array_elements(target_ids->'plan'->'freePostings') f where (f->>'clearsReceipt')::boolean) as free_clearing
        from sync_links
        where tenant_id = ${world.tenantId} and entity = 'sale' and status = 'done' and target_ids ? 'plan'
      ) plans`.execute(world.database);
    const { receipts, tenders, assignments, free, free_assigned: freeAssigned } = work.rows[0]!;
    const bb = await world.bbStats();
    const debtorsCreated = (bb.byPath["settings/add/debtor"] ?? 0) + (bb.byPath["settings/add-batch/debtors"] ?? 0);
    const batchCalls = [receipts, receipts, tenders, assignments, tenders, free].map((x) => Math.ceil(x / 50));
    const perEndpointSeconds = Math.max(...batchCalls.map((c) => Math.max(0, c - 1) * 5));
    const singleCalls = debtorsCreated + freeAssigned + Math.ceil(free / 1000);
    const totalCalls = batchCalls.reduce((a, b) => a + b, 0) + singleCalls;
    const budgetSeconds = Math.max(0, totalCalls - 100) * 0.6;
    const bbBoundSeconds = Math.max(perEndpointSeconds, budgetSeconds);
    const ls = await world.lsStats();
    const lsBoundSeconds = Math.max(0, (ls.drips - ls.size) / ls.drip);
    const boundSeconds = Math.max(bbBoundSeconds, lsBoundSeconds, 1e-9);
    const handled = (byStatus.done ?? 0) + (byStatus.failed ?? 0) + (byStatus.skipped ?? 0) + (byStatus.voided ?? 0);
    const achieved = handled / (apiSeconds / 60);
    const bound = handled / (boundSeconds / 60);
    return {
      name: "orders-backfill",
      achieved: Math.round(achieved * 10) / 10,
      bound: Math.round(bound * 10) / 10,
      ratio: Math.round((achieved / bound) * 1000) / 1000,
      unit: "sales/min (API clock)",
      sales: handled,
      cpuMsPerSale: handled ? Math.round(((cpu.user + cpu.system) / 1000 / handled) * 100) / 100 : 0,
      cpuUserMs: Math.round(cpu.user / 1000),
      cpuSystemMs: Math.round(cpu.system / 1000),
      // Shares of one core over the run: a sandbox near 1 would be the benchmark's bottleneck, not the sync.
      cpuShare: {
        sync: Math.round(((cpu.user + cpu.system) / 1000 / (realSeconds * 1000)) * 1000) / 1000,
        lightspeedSandbox: Math.round(((sandboxCpuAfter.lightspeed - sandboxCpuBefore.lightspeed) / (realSeconds * 1000)) * 1000) / 1000,
        bbSandbox: Math.round(((sandboxCpuAfter.buchhaltungsbutler - sandboxCpuBefore.buchhaltungsbutler) / (realSeconds * 1000)) * 1000) / 1000,
      },
      byStatus,
      peakRssMb: Math.round(peak.rss / 1024 / 1024),
      startRssMb: Math.round(startRss / 1024 / 1024),
      peakHeapUsedMb: Math.round(peak.heapUsed / 1024 / 1024),
      peakHeapTotalMb: Math.round(peak.heapTotal / 1024 / 1024),
      peakExternalMb: Math.round(peak.external / 1024 / 1024),
      apiMinutes: Math.round((apiSeconds / 60) * 10) / 10,
      boundMinutes: Math.round((boundSeconds / 60) * 10) / 10,
      bbBoundMinutes: Math.round((bbBoundSeconds / 60) * 10) / 10,
      lsBoundMinutes: Math.round((lsBoundSeconds / 60) * 10) / 10,
      realSeconds: Math.round(realSeconds),
      speed,
      // Inngest refuses a step output over 4 MB and an event over 256 KB (512 KB on paid plans).
      maxStepOutputBytes: driver.sizes.maxStepOutputBytes,
      // Wall clock, not API time: what a serverless host's request limit (and STEP_BUDGET_SECONDS) is about.
      maxStepWallSeconds: Math.round(driver.sizes.maxStepWallMs / 100) / 10,
      maxEventBytes: driver.sizes.maxEventBytes,
      steps: [...driver.runs.values()].reduce((n, r) => n + Object.keys(r.attempts).length - 1, 0),
      bbCalls: bb.requests,
      bbThrottled: bb.throttled,
      bbByPath: bb.byPath,
      lsRequests: ls.requests,
      lsDrips: Math.round(ls.drips * 10) / 10,
      lsRejected: ls.rejected,
      work: { receipts, tenders, assignments, free, freeAssigned, debtorsCreated, batchCalls: batchCalls.reduce((a, b) => a + b, 0), singleCalls },
      failedRuns,
    };
  } finally {
    clearInterval(sampler);
    await world.close();
  }
}
