import * as z from "zod";
import { db } from "@/lib/db";
import { addRunCounts, setRunProgress } from "@/lib/sync/runs";
import { recordJobFailure } from "@/lib/sync/record-job-failure";
import { finishStockRun, runStockStep, startStockRun, type StockPhase } from "@/lib/sync/stock/run-stock-sync";
import { defineJob } from "../define";
import { asJobStep } from "../errors";
import { TENANT_UNINSTALLED_EVENT } from "../events";
import { latestRunningRun } from "./products-sync";

/** Poll, "sync now", backfill and "revalue a period" of the stock flow: one event, `data.kind` says which. */
export const STOCK_SYNC_EVENT = "stock/sync.requested";

export const STOCK_STEPS_PER_RUN = 40;

const PHASES = ["shops", "itemshops", "valuation", "done"] as const satisfies readonly StockPhase[];

export const stockSyncEvent = z
  .object({
    tenantId: z.uuid(),
    kind: z.enum(["poll", "manual", "backfill", "resync"]).default("poll"),
    /** kind "resync": the valuation period to correct (2026-03, 2026-Q1, 2026). */
    period: z
      .string()
      .regex(/^\d{4}(-\d{2}|-Q[1-4])?$/, { error: "expected a period such as 2026-03, 2026-Q1 or 2026" })
      .optional(),
    runId: z.uuid().optional(),
    phase: z.enum(PHASES).optional(),
    fresh: z.boolean().optional(),
  })
  .refine((d) => d.kind !== "resync" || d.period !== undefined, { error: "a revaluation (kind resync) needs a period", path: ["period"] });

/** The per-tenant stock sync: shops, ItemShop changes into the ledger, then due valuations (if managed in BB). */
export const stockSync = defineJob({
  id: "stock-sync",
  name: "Stock: sync one tenant",
  triggers: [{ event: STOCK_SYNC_EVENT }],
  schema: stockSyncEvent,
  retries: 5,
  concurrency: [{ key: "event.data.tenantId", limit: 1 }],
  cancelOn: [{ event: TENANT_UNINSTALLED_EVENT, match: "data.tenantId" }],
  async handler({ event, step }) {
    const { tenantId, kind, period } = event.data;
    const run = await step.run("start", () => asJobStep(() => startStockRun(db(), { tenantId, kind, runId: event.data.runId, period })));
    if (!run.proceed) return { skipped: run.reason };
    let phase: StockPhase = event.data.phase ?? "shops";
    let fresh = event.data.fresh ?? true;
    for (let i = 0; phase !== "done" && i < STOCK_STEPS_PER_RUN; i++) {
      const current = phase;
      const wasFresh = fresh;
      const result = await step.run(current, () =>
        asJobStep(async () => {
          const r = await runStockStep(db(), { tenantId, runId: run.runId, kind, phase: current, fresh: wasFresh, period });
          await addRunCounts(db(), run.runId, r.counts);
          await setRunProgress(db(), run.runId, { done: i + 1, total: null, note: r.phase });
          return r;
        }),
      );
      if (result.paused) return { paused: true };
      phase = result.phase;
      fresh = result.fresh;
    }
    if (phase !== "done") {
      await step.sendEvent("continue", { name: STOCK_SYNC_EVENT, data: { tenantId, kind, period, runId: run.runId, phase, fresh } });
      return { continued: true, phase };
    }
    return step.run("finish", () => asJobStep(() => finishStockRun(db(), { runId: run.runId })));
  },
  async onFailure({ event, error }) {
    const runId = event.data.runId ?? (await latestRunningRun(event.data.tenantId, "stock"));
    await recordJobFailure(db(), { tenantId: event.data.tenantId, flow: "stock", runId, error });
  },
});
