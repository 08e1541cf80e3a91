import * as z from "zod";
import { db } from "@/lib/db";
import { addStepToRun, finishProductsRun, runProductsStep, startProductsRun, PRODUCT_PHASES, type ProductsPhase } from "@/lib/sync/products/run-products-sync";
import { recordJobFailure } from "@/lib/sync/record-job-failure";
import { defineJob } from "../define";
import { asJobStep } from "../errors";
import { TENANT_UNINSTALLED_EVENT } from "../events";

/** Poll, "sync now" and backfill of the product flow: one event, `data.kind` says which. */
export const PRODUCTS_SYNC_EVENT = "products/sync.requested";

/** Steps per run before a continuation event takes over (keeps runs far below Inngest's step limit). */
export const PRODUCT_STEPS_PER_RUN = 40;

export const productsSyncEvent = z.object({
  tenantId: z.uuid(),
  kind: z.enum(["poll", "manual", "backfill"]).default("poll"),
  /** Continuations carry the run, where it got to, and whether that phase starts fresh. */
  runId: z.uuid().optional(),
  phase: z.enum(PRODUCT_PHASES as [ProductsPhase, ...ProductsPhase[]]).optional(),
  fresh: z.boolean().optional(),
});

/**
 * The per-tenant product sync: lookups, categories, matrices, items, then category accounts in BB when that
 * setting is on. One run at a time per tenant; each step writes one batch of pages and stores the cursor.
 */
export const productsSync = defineJob({
  id: "products-sync",
  name: "Products: sync one tenant",
  triggers: [{ event: PRODUCTS_SYNC_EVENT }],
  schema: productsSyncEvent,
  retries: 5,
  concurrency: [{ key: "event.data.tenantId", limit: 1 }],
  cancelOn: [{ event: TENANT_UNINSTALLED_EVENT, match: "data.tenantId" }],
  async handler({ event, step }) {
    const { tenantId, kind } = event.data;
    const run = await step.run("start", () => asJobStep(() => startProductsRun(db(), { tenantId, kind, runId: event.data.runId })));
    if (!run.proceed) return { skipped: run.reason };
    let phase: ProductsPhase = event.data.phase ?? "lookups";
    let fresh = event.data.fresh ?? true;
    for (let i = 0; phase !== "done" && i < PRODUCT_STEPS_PER_RUN; i++) {
      const current = phase;
      const wasFresh = fresh;
      const result = await step.run(current, () =>
        asJobStep(async () => {
          const r = await runProductsStep(db(), { tenantId, runId: run.runId, kind, phase: current, fresh: wasFresh });
          await addStepToRun(db(), run.runId, r, { steps: i + 1 });
          return r;
        }),
      );
      if (result.paused) return { paused: true };
      phase = result.phase;
      fresh = result.fresh;
    }
    if (phase !== "done") {
      await step.sendEvent("continue", { name: PRODUCTS_SYNC_EVENT, data: { tenantId, kind, runId: run.runId, phase, fresh } });
      return { continued: true, phase };
    }
    return step.run("finish", () => asJobStep(() => finishProductsRun(db(), { tenantId, runId: run.runId })));
  },
  async onFailure({ event, error }) {
    const runId = event.data.runId ?? (await latestRunningRun(event.data.tenantId, "products"));
    await recordJobFailure(db(), { tenantId: event.data.tenantId, flow: "products", runId, error });
  },
});

/** The run a failed first attempt had started (its id is not in the event yet). */
export async function latestRunningRun(tenantId: string | undefined, flow: "products" | "stock"): Promise<string | null> {
  if (!tenantId) return null;
  const row = await db().selectFrom("sync_runs").select("id").where("tenant_id", "=", tenantId).where("flow", "=", flow).where("status", "=", "running").orderBy("started_at", "desc").executeTakeFirst();
  return row?.id ?? null;
}
