import type { Database } from "../../db";
import { createLightspeedClient, type LightspeedClient, type ReadOptions } from "../../lightspeed";
import { getTenantSettings } from "../../tenants/tenant-settings";
import { getCursor, setCursor } from "../cursors";
import { flowMayRun } from "../list-tenants-for-flow";
import { addRunCounts, finishRun, startRun, type RunCounts } from "../runs";
import { DEFAULT_PAGES_PER_STEP, readPages, supersedeRuns } from "../products/run-products-sync";
import { saveShops } from "../products/refresh-product-lookups";
import { applyItemShopsPage } from "./apply-item-shops-page";
import { revaluePeriod, runDueValuations, type ValuationOutcome, type ValuationTarget } from "./post-inventory-valuation";
import { loadStockSettings } from "./stock-settings";
import { STOCK_CURSOR, type StockCursor } from "./stock-cursor";

/**
 * The stock flow as steps: shops (only when unknown or a day old) → item shops (incremental by
 * ItemShop.timeStamp, which moves on stock changes while Item.timeStamp does not) → valuation (only when
 * "stock is managed in BuchhaltungsButler" is on and a period is due) → done. An idle poll costs one
 * Lightspeed request and no BB call.
 */
export type StockKind = "poll" | "manual" | "backfill" | "resync";
export type StockPhase = "shops" | "itemshops" | "valuation" | "done";

const SHOPS_MAX_AGE_MS = 24 * 3600_000;

export interface StockStepInput {
  tenantId: string;
  runId: string;
  kind: StockKind;
  phase: StockPhase;
  fresh: boolean;
  /** kind "resync": the period to revalue ("2026-03", "2026-Q1", "2026"). */
  period?: string;
  pagesPerStep?: number;
  client?: LightspeedClient;
  bb?: ValuationTarget;
  now?: () => number;
}

export interface StockStepResult {
  phase: StockPhase;
  fresh: boolean;
  counts: Required<RunCounts>;
  valuation?: ValuationOutcome;
  paused?: boolean;
}

export async function startStockRun(database: Database, input: { tenantId: string; kind: StockKind; runId?: string; period?: string }): Promise<{ proceed: true; runId: string } | { proceed: false; reason: string }> {
  if (!(await flowMayRun(database, input.tenantId, "stock"))) return { proceed: false, reason: "the stock flow is off or the tenant is paused" };
  if (input.runId) return { proceed: true, runId: input.runId };
  const skip = await supersedeRuns(database, input.tenantId, "stock", input.kind);
  if (skip) return { proceed: false, reason: skip };
  if (input.kind === "backfill") {
    const cursor = await getCursor<StockCursor>(database, input.tenantId, STOCK_CURSOR);
    // Re-read everything, but keep when the ledger started: history before it is still missing.
    await setCursor(database, input.tenantId, STOCK_CURSOR, { timeStamp: null, ids: [], ledgerStartedAt: cursor?.ledgerStartedAt ?? null });
  }
  return { proceed: true, runId: await startRun(database, { tenantId: input.tenantId, flow: "stock", kind: input.kind, params: input.period ? { period: input.period } : {} }) };
}

export async function runStockStep(database: Database, input: StockStepInput): Promise<StockStepResult> {
  const { tenantId, runId } = input;
  const counts: Required<RunCounts> = { created: 0, updated: 0, skipped: 0, failed: 0 };
  if (!(await flowMayRun(database, tenantId, "stock"))) return { phase: "done", fresh: true, counts, paused: true };
  const now = input.now ?? Date.now;
  const lazyClient = () => input.client ?? createLightspeedClient({ database, tenantId });
  const { settings } = await loadStockSettings(database, tenantId);

  switch (input.phase) {
    case "shops": {
      if (input.kind === "resync") return { phase: "valuation", fresh: true, counts };
      const row = await database.selectFrom("stock_shops").select((eb) => eb.fn.min("updated_at").as("at")).where("tenant_id", "=", tenantId).executeTakeFirst();
      const at = row?.at ? new Date(row.at as unknown as string).getTime() : null;
      if (input.kind !== "poll" || at === null || now() - at > SHOPS_MAX_AGE_MS) await saveShops(database, tenantId, await lazyClient().listShops());
      return { phase: "itemshops", fresh: true, counts };
    }
    case "itemshops": {
      // The ledger is complete up to when this read started (changes after it may not be in the last page).
      const readStartedAt = new Date(now()).toISOString();
      const client = lazyClient();
      const cursor = await getCursor<StockCursor>(database, tenantId, STOCK_CURSOR);
      const tenant = await getTenantSettings(database, tenantId);
      const opts: ReadOptions = !cursor?.timeStamp
        ? { pageSize: settings.pageSize }
        : input.fresh
          ? { since: cursor.timeStamp, overlapSeconds: settings.overlapMinutes * 60, pageSize: settings.pageSize }
          : { cursor: { timeStamp: cursor.timeStamp, ids: cursor.ids ?? [] }, pageSize: settings.pageSize };
      const r = await readPages(client.readItemShops(opts), input.pagesPerStep ?? DEFAULT_PAGES_PER_STEP, async (page) => {
        const out = await applyItemShopsPage(database, { tenantId, runId, rows: page.records, malformed: page.malformed, formula: settings.availableFormula, redactPii: tenant.redactPii, seenUpTo: cursor?.timeStamp ?? null });
        counts.created += out.created;
        counts.updated += out.updated;
        counts.skipped += out.skipped + out.unchanged;
        counts.failed += out.failed;
        await setCursor(database, tenantId, STOCK_CURSOR, { ...(cursor ?? {}), ...page.cursor });
      });
      if (r.more) return { phase: "itemshops", fresh: false, counts };
      const after = await getCursor<StockCursor>(database, tenantId, STOCK_CURSOR);
      await setCursor(database, tenantId, STOCK_CURSOR, { timeStamp: null, ids: [], ...(after ?? {}), caughtUpAt: readStartedAt, ledgerStartedAt: after?.ledgerStartedAt ?? readStartedAt });
      return { phase: "valuation", fresh: true, counts };
    }
    case "valuation": {
      const valuation =
        input.kind === "resync" && input.period
          ? await revaluePeriod(database, { tenantId, runId, period: input.period, bb: input.bb, now })
          : await runDueValuations(database, { tenantId, runId, bb: input.bb, now });
      for (const p of valuation.periods) {
        if (p.status === "posted") counts.created++;
        else if (p.status !== "failed") counts.skipped++;
      }
      counts.failed += valuation.failed;
      return { phase: "done", fresh: true, counts, valuation };
    }
    case "done":
      return { phase: "done", fresh: true, counts };
  }
}

export async function finishStockRun(database: Database, input: { runId: string }): Promise<{ status: "succeeded" | "partial"; counts: Record<string, unknown> }> {
  const run = await database.selectFrom("sync_runs").select("counts").where("id", "=", input.runId).executeTakeFirstOrThrow();
  const counts = run.counts as Record<string, number>;
  const status = (counts.failed ?? 0) > 0 ? "partial" : "succeeded";
  await finishRun(database, input.runId, status);
  return { status, counts };
}

/** Runs a whole stock sync in-process, step after step, as the job does (scripts, benchmarks, tests). */
export async function syncStockNow(
  database: Database,
  input: { tenantId: string; kind?: StockKind; period?: string; client?: LightspeedClient; bb?: ValuationTarget; pagesPerStep?: number; now?: () => number },
): Promise<{ runId: string | null; steps: number; status: string; counts: Record<string, unknown>; valuation?: ValuationOutcome }> {
  const kind = input.kind ?? "manual";
  const run = await startStockRun(database, { tenantId: input.tenantId, kind, period: input.period });
  if (!run.proceed) return { runId: null, steps: 0, status: run.reason, counts: {} };
  let phase: StockPhase = "shops";
  let fresh = true;
  let steps = 0;
  let valuation: ValuationOutcome | undefined;
  while (phase !== "done") {
    const r = await runStockStep(database, { tenantId: input.tenantId, runId: run.runId, kind, phase, fresh, period: input.period, client: input.client, bb: input.bb, pagesPerStep: input.pagesPerStep, now: input.now });
    steps++;
    await addRunCounts(database, run.runId, r.counts);
    if (r.valuation) valuation = r.valuation;
    if (r.paused) return { runId: run.runId, steps, status: "paused", counts: r.counts };
    phase = r.phase;
    fresh = r.fresh;
  }
  const done = await finishStockRun(database, { runId: run.runId });
  return { runId: run.runId, steps, status: done.status, counts: done.counts, valuation };
}
