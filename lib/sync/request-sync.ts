import type { Flow } from "@/db/schema";
import { ORDERS_BACKFILL_EVENT, ORDERS_RESYNC_EVENT, ORDERS_SYNC_EVENT, PRODUCTS_SYNC_EVENT, STOCK_SYNC_EVENT, type JobSender } from "../jobs/events";

/**
 * What the merchant (or the app on their behalf) asks of a flow:
 * - a run of one kind ("sync now" is manual; a backfill of orders starts at `from`);
 * - a resync of sales (each one on its own) or a revaluation of one stock period;
 * - a retry of records that failed: sales are resent one by one, anything else gets a manual run of its flow.
 */
export type SyncRequest =
  | { flow: Flow; kind: "poll" | "manual" }
  | { flow: Flow; kind: "backfill"; from?: string }
  | { flow: "orders"; kind: "resync"; saleId: string }
  | { flow: "stock"; kind: "resync"; period: string }
  /** `flow` and `entity` as stored on the failed record or activity entry. */
  | { flow: string; kind: "retry"; entity: string | null; sourceIds: string[] };

const FLOWS: readonly string[] = ["orders", "products", "stock"] satisfies Flow[];
const isFlow = (flow: string): flow is Flow => FLOWS.includes(flow);

/**
 * The one place that knows which event starts which flow. The sender is passed in (the app passes `jobs`)
 * because lib code may not import the job framework.
 */
export async function requestSync(jobs: JobSender, tenantId: string, request: SyncRequest): Promise<void> {
  if (request.kind === "retry") {
    if (request.flow === "orders" && request.entity === "sale" && request.sourceIds.length) {
      await jobs.send(ORDERS_RESYNC_EVENT, request.sourceIds.map((saleId) => ({ tenantId, kind: "resync" as const, saleId })));
      return;
    }
    if (isFlow(request.flow)) await requestSync(jobs, tenantId, { flow: request.flow, kind: "manual" });
    return;
  }
  if (request.kind === "resync") {
    if (request.flow === "orders") await jobs.send(ORDERS_RESYNC_EVENT, { tenantId, kind: "resync", saleId: request.saleId });
    else await jobs.send(STOCK_SYNC_EVENT, { tenantId, kind: "resync", period: request.period });
    return;
  }
  switch (request.flow) {
    case "orders":
      if (request.kind === "backfill") await jobs.send(ORDERS_BACKFILL_EVENT, { tenantId, kind: "backfill", from: request.from });
      else await jobs.send(ORDERS_SYNC_EVENT, { tenantId, kind: request.kind });
      return;
    case "products":
      await jobs.send(PRODUCTS_SYNC_EVENT, { tenantId, kind: request.kind });
      return;
    case "stock":
      await jobs.send(STOCK_SYNC_EVENT, { tenantId, kind: request.kind });
      return;
  }
}
