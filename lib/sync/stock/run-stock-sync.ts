import type { Database } from "../../db";
import type { StockPhase, StockSyncRequest } from "../../jobs/events";
import type { ReadOptions } from "../../lightspeed";
import { getTenantSettings } from "../../tenants/tenant-settings";
import { readCursor, writeCursor } from "../cursors";
import { flowMayRun } from "../list-tenants-for-flow";
import { readDeadline, type SyncDeps } from "../deps";
import type { FlowStart, SyncFlow } from "../flow";
import { finishRunFromCounts, readPages, recordPhaseStep, startRun, supersedeRuns, zeroCounts, type FinishedRun, type StoredRunCounts } from "../runs";
import { DEFAULT_PAGES_PER_STEP } from "../products/run-products-sync";
import { saveShops } from "../products/refresh-product-lookups";
import { applyItemShopsPage } from "./apply-item-shops-page";
import { bbValuationTarget } from "./bb-valuation-target";
import { revaluePeriod, runDueValuations, type ValuationOutcome } from "./post-inventory-valuation";
import { loadStockSettings } from "./stock-settings";
import { STOCK_CURSOR } from "./stock-cursor";

// Applying a page is local work: most of the step budget may go to reading.
const READ_SHARE = 0.8;

/**
 * The stock flow as steps: shops (only when unknown or a day old) → item shops (incremental by
 * ItemShop.timeStamp, which moves on stock changes while Item.timeStamp does not) → valuation (only when
 * "stock is managed in BuchhaltungsButler" is on and a period is due) → done. An idle poll costs one
 * Lightspeed request and no BB call.
 */
export type StockKind = "poll" | "manual" | "backfill" | "resync";

const SHOPS_MAX_AGE_MS = 24 * 3600_000;

export interface StockStepInput {
  tenantId: string;
  runId: string;
  kind: StockKind;
  phase: StockPhase;
  fresh: boolean;
  /** kind "resync": the period to revalue ("2026-03", "2026-Q1", "2026"). */
  period?: string;
}

export interface StockStepResult {
  phase: StockPhase;
  fresh: boolean;
  counts: StoredRunCounts;
  valuation?: ValuationOutcome;
  paused?: boolean;
}

export async function startStockRun(database: Database, input: { tenantId: string; kind: StockKind; runId?: string; period?: string }): Promise<FlowStart> {
  if (!(await flowMayRun(database, input.tenantId, "stock"))) return { proceed: false, reason: "the stock flow is off or the tenant is paused" };
  if (input.runId) return { proceed: true, runId: input.runId };
  const skip = await supersedeRuns(database, input.tenantId, "stock", input.kind);
  if (skip) return { proceed: false, reason: skip };
  if (input.kind === "backfill") {
    const cursor = await readCursor(database, input.tenantId, STOCK_CURSOR);
    // Re-read everything, but keep when the ledger started: history before it is still missing.
    await writeCursor(database, input.tenantId, STOCK_CURSOR, { timeStamp: null, ids: [], ledgerStartedAt: cursor?.ledgerStartedAt ?? null });
  }
  return { proceed: true, runId: await startRun(database, { tenantId: input.tenantId, flow: "stock", kind: input.kind, params: input.period ? { period: input.period } : {} }) };
}

export async function runStockStep(deps: SyncDeps, input: StockStepInput): Promise<StockStepResult> {
  const { tenantId, runId } = input;
  const { database, now } = deps;
  const counts = zeroCounts();
  if (!(await flowMayRun(database, tenantId, "stock"))) return { phase: "done", fresh: true, counts, paused: true };
  const { settings } = await loadStockSettings(database, tenantId);

  switch (input.phase) {
    case "shops": {
      if (input.kind === "resync") return { phase: "valuation", fresh: true, counts };
      const row = await database.selectFrom("stock_shops").select((eb) => eb.fn.min<Date | null>("updated_at").as("at")).where("tenant_id", "=", tenantId).executeTakeFirst();
      const at = row?.at ? new Date(row.at).getTime() : null;
      if (input.kind !== "poll" || at === null || now() - at > SHOPS_MAX_AGE_MS) await saveShops(database, tenantId, await deps.ls.listShops());
      return { phase: "itemshops", fresh: true, counts };
    }
    case "itemshops": {
      // The ledger is complete up to when this read started (changes after it may not be in the last page).
      const readStartedAt = new Date(now()).toISOString();
      const cursor = await readCursor(database, tenantId, STOCK_CURSOR);
      const tenant = await getTenantSettings(database, tenantId);
      const opts: ReadOptions = !cursor?.timeStamp
        ? { pageSize: settings.pageSize }
        : input.fresh
          ? { since: cursor.timeStamp, overlapSeconds: settings.overlapMinutes * 60, pageSize: settings.pageSize }
          : { cursor: { timeStamp: cursor.timeStamp, ids: cursor.ids ?? [] }, pageSize: settings.pageSize };
      const r = await readPages(deps.ls.readItemShops(opts), deps.pagesPerStep ?? DEFAULT_PAGES_PER_STEP, async (page) => {
        const out = await applyItemShopsPage(database, { tenantId, runId, rows: page.records, malformed: page.malformed, formula: settings.availableFormula, redactPii: tenant.redactPii, seenUpTo: cursor?.timeStamp ?? null });
        counts.created += out.created;
        counts.updated += out.updated;
        counts.skipped += out.skipped + out.unchanged;
        counts.failed += out.failed;
        await writeCursor(database, tenantId, STOCK_CURSOR, { ...(cursor ?? {}), ...page.cursor });
      }, readDeadline(deps, READ_SHARE));
      if (r.more) return { phase: "itemshops", fresh: false, counts };
      const after = await readCursor(database, tenantId, STOCK_CURSOR);
      await writeCursor(database, tenantId, STOCK_CURSOR, { timeStamp: null, ids: [], ...(after ?? {}), caughtUpAt: readStartedAt, ledgerStartedAt: after?.ledgerStartedAt ?? readStartedAt });
      return { phase: "valuation", fresh: true, counts };
    }
    case "valuation": {
      const valuation =
        input.kind === "resync" && input.period
          ? await revaluePeriod(database, { tenantId, runId, period: input.period, bb: bbValuationTarget(deps.bb), now })
          : await runDueValuations(database, { tenantId, runId, bb: bbValuationTarget(deps.bb), now });
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

export async function finishStockRun(deps: SyncDeps, input: { runId: string }): Promise<FinishedRun> {
  return finishRunFromCounts(deps.database, input.runId);
}

export const STOCK_STEPS_PER_RUN = 40;

/** The stock flow for the job kernel: shops, ItemShop changes into the ledger, then due valuations (if managed in BB). */
export const stockFlow: SyncFlow<StockSyncRequest, { phase: StockPhase; fresh: boolean }, StockStepResult> = {
  flow: "stock",
  stepsPerRun: STOCK_STEPS_PER_RUN,
  start: (deps, e) => startStockRun(deps.database, { tenantId: e.tenantId, kind: e.kind, runId: e.runId, period: e.period }),
  resume: (e) => ({ phase: e.phase ?? "shops", fresh: e.fresh ?? true }),
  stepId: (position) => position.phase,
  async step(deps, { event, runId, position, index }) {
    const r = await runStockStep(deps, { tenantId: event.tenantId, runId, kind: event.kind, phase: position.phase, fresh: position.fresh, period: event.period });
    await recordPhaseStep(deps.database, runId, r, index + 1);
    return r;
  },
  advance: (r) => ({ next: { phase: r.phase, fresh: r.fresh }, done: r.phase === "done", paused: !!r.paused }),
  handOver: (e, runId, { phase, fresh }) => ({ data: { tenantId: e.tenantId, kind: e.kind, period: e.period, runId, phase, fresh }, result: { continued: true, phase } }),
  finish: (deps, { runId }) => finishStockRun(deps, { runId }),
};
