import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { startProcess } from "@/scripts/lib/processes";
import { addDays } from "@/lib/time";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import { reconcileDays } from "./reconcile-days";

const database = testDb();
let world: OrderWorld | undefined;
afterAll(async () => world?.close());

/** Deterministic "random" kill times, so a failure can be replayed. */
function rng(seed: number) {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe.skipIf(process.env.HEAVY === "0")("chaos", () => {
  it("posts 10,000 sales exactly once through faults on both APIs and a sync process killed at random", async () => {
    world = await startOrderWorld(database, { speed: 100, ls: { sizes: { sales: 10_000, days: 40, items: 400, customers: 800 } } });
    const w = world;
    w.bb.faults.set({ error500Rate: 0.1, error500AfterCommitShare: 0.3, timeout504AfterCommitRate: 0.05 });
    w.ls.faults.set({ errorRate: 0.03, errorStatuses: [503] });
    // 429 storms: every few seconds, Lightspeed answers 429 to everything for a while.
    const storms = setInterval(() => w.ls.faults.set({ storm429Until: w.ls.clock.now() + 20_000 }), 4_000);

    const root = path.resolve(__dirname, "../../..");
    const from = new Date(w.ls.clock.now() - 45 * 86_400_000).toISOString().slice(0, 10);
    const random = rng(20261128);
    const env = {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL,
      LOG_LEVEL: "silent",
      CHAOS_TENANT: w.tenantId,
      CHAOS_LS_URL: w.lsConfig.apiBaseUrl,
      CHAOS_LS_CLIENT_ID: w.lsConfig.clientId,
      CHAOS_LS_CLIENT_SECRET: w.lsConfig.clientSecret,
      CHAOS_BB_URL: w.bb.apiBaseUrl,
      CHAOS_SPEED: String(w.clockParams.speed),
      CHAOS_ORIGIN: String(w.clockParams.origin),
      CHAOS_REAL_START: String(w.clockParams.realStart),
      CHAOS_FROM: from,
    };
    let kills = 0;
    let finished = false;
    for (let attempt = 0; attempt < 40 && !finished; attempt++) {
      // One process (node with the tsx loader), so SIGKILL really ends the sync: no orphaned child keeps running.
      // Server code marks itself "server-only"; a worker resolves that marker as the server does (react-server).
      const worker = startProcess(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/test/chaos-worker.ts"], {
        name: "chaos-worker",
        cwd: root,
        env: { ...env, CHAOS_KIND: attempt === 0 ? "backfill" : "manual" },
        prefixOutput: false,
        stdio: ["ignore", "ignore", "ignore"],
      });
      const killAfter = kills < 8 ? 4_000 + random() * 8_000 : Infinity;
      const code = await Promise.race([worker.exited, new Promise<"kill">((r) => (Number.isFinite(killAfter) ? setTimeout(() => r("kill"), killAfter) : undefined))]);
      if (code === "kill") {
        worker.child.kill("SIGKILL");
        await worker.exited;
        kills++;
        continue;
      }
      finished = code === 0;
    }
    clearInterval(storms);
    // What the run went through (printed for the record; the assertions below are what must hold).
    console.log(JSON.stringify({ chaos: { kills, bbFaults: w.bb.stats(w.bbApiKey).faults, lsFaults: w.ls.faults.counts, lsThrottled: w.ls.stats().throttled } }));
    w.bb.faults.reset();
    w.ls.faults.reset();
    expect(kills).toBe(8);
    expect(finished).toBe(true);

    // Exactly once: one receipt per invoice number, one transaction per purpose, every sale accounted for.
    const tenant = w.bb.tenant(w.bbApiKey);
    const numbers = tenant.receipts.filter((r) => !r.deleted).map((r) => r.invoiceNumber);
    const duplicates = numbers.filter((n, i) => numbers.indexOf(n) !== i);
    expect(duplicates).toEqual([]);
    const purposes = tenant.transactions.map((t) => t.purpose).filter(Boolean);
    expect(purposes.filter((p, i) => purposes.indexOf(p) !== i)).toEqual([]);

    const links = new Map((await database.selectFrom("sync_links").select(["source_id", "status"]).where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").execute()).map((l) => [l.source_id, l.status]));
    const completed = [...w.ls.store.sales.values()].filter((s) => s.completed && !s.malformed);
    expect(completed.length).toBeGreaterThan(9_000);
    const missing = completed.filter((s) => {
      const status = links.get(String(s.id));
      return s.voided ? !["skipped", "voided", "done"].includes(status ?? "") : status !== "done";
    });
    expect(missing.map((s) => ({ id: s.id, status: links.get(String(s.id)) }))).toEqual([]);
    const posted = [...links.values()].filter((s) => s === "done").length;
    expect(numbers.length).toBeLessThanOrEqual(posted);

    const to = addDays(new Date(w.ls.clock.now()).toISOString().slice(0, 10), -1);
    const days = await reconcileDays(database, { ls: w.lsClient(), bb: w.bbClient() }, w.tenantId, { from: addDays(to, -44), to });
    expect(days.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
  }, 3_600_000);
});
