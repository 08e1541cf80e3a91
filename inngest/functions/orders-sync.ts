import * as z from "zod";
import { db } from "@/lib/db";
import { envSubset } from "@/lib/env";
import { listTenantsForFlow } from "@/lib/sync/list-tenants-for-flow";
import { finishOrdersRun, runOrdersPage, startOrdersRun } from "@/lib/sync/orders/run-orders-sync";
import { recordJobFailure } from "@/lib/sync/record-job-failure";
import { defineJob } from "../define";
import { asJobStep } from "../errors";
import { ORDERS_BACKFILL_EVENT, ORDERS_RESYNC_EVENT, ORDERS_SYNC_EVENT, TENANT_UNINSTALLED_EVENT } from "../events";

/** Pages per run before handing over to a continuation event, so no run grows past Inngest's step limits. */
const PAGES_PER_RUN = 25;

const orderSyncEvent = z.object({
  tenantId: z.uuid(),
  kind: z.enum(["poll", "manual", "backfill", "resync"]).default("poll"),
  runId: z.uuid().optional(),
  /** Backfill start (YYYY-MM-DD), for kind "backfill". */
  from: z.iso.date().optional(),
  /** One sale, for kind "resync". */
  saleId: z.string().regex(/^\d+$/).optional(),
});

/** Every 5 minutes (ORDERS_POLL_CRON): one sync event per active tenant. */
export const ordersPoll = defineJob({
  id: "orders-poll",
  name: "Orders: poll every tenant",
  triggers: [{ cron: envSubset("ORDERS_POLL_CRON").ORDERS_POLL_CRON }],
  retries: 2,
  concurrency: [{ limit: 1 }],
  async handler({ step }) {
    const tenants = await step.run("list-tenants", () => listTenantsForFlow(db(), "orders"));
    if (tenants.length) await step.sendEvent("fan-out", tenants.map((tenantId) => ({ name: ORDERS_SYNC_EVENT, data: { tenantId, kind: "poll" } })));
    return { tenants: tenants.length };
  },
});

/**
 * The per-tenant order sync: polls, "sync now", backfills and single-sale resyncs all run here, one at a time
 * per tenant, one step per page; the cursor advances only after a page is fully linked.
 */
export const ordersSync = defineJob({
  id: "orders-sync",
  name: "Orders: sync one tenant",
  triggers: [{ event: ORDERS_SYNC_EVENT }, { event: ORDERS_BACKFILL_EVENT }, { event: ORDERS_RESYNC_EVENT }],
  schema: orderSyncEvent,
  retries: 5,
  concurrency: [{ key: "event.data.tenantId", limit: 1 }],
  cancelOn: [{ event: TENANT_UNINSTALLED_EVENT, match: "data.tenantId" }],
  async handler({ event, step }) {
    const { tenantId, kind } = event.data;
    const run = await step.run("start", () =>
      asJobStep(() => startOrdersRun(db(), { tenantId, kind, runId: event.data.runId, from: event.data.from, saleId: event.data.saleId })),
    );
    if (!run.proceed) return { skipped: run.reason };

    let more = true;
    for (let page = 0; more && page < PAGES_PER_RUN; page++) {
      const first = page === 0;
      const result = await step.run(`page-${page}`, () => asJobStep(() => runOrdersPage(db(), { tenantId, runId: run.runId, kind, saleId: event.data.saleId, firstPage: first })));
      more = result.more;
      if (result.paused) return { paused: true };
    }
    if (more) {
      await step.sendEvent("continue", { name: ORDERS_SYNC_EVENT, data: { tenantId, kind, runId: run.runId } });
      return { continued: true };
    }
    return step.run("finish", () => asJobStep(() => finishOrdersRun(db(), { tenantId, runId: run.runId, kind })));
  },
  async onFailure({ event, error }) {
    await recordJobFailure(db(), { tenantId: event.data.tenantId, flow: "orders", runId: event.data.runId ?? null, error });
  },
});
