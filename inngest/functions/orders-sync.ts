import { envSubset } from "@/lib/env";
import { ORDERS_BACKFILL_EVENT, ORDERS_RESYNC_EVENT, ORDERS_SYNC_EVENT } from "@/lib/jobs/events";
import { ordersFlow } from "@/lib/sync/orders/run-orders-sync";
import { defineFlowJob, definePollJob } from "../flow-job";

/** Every 5 minutes (ORDERS_POLL_CRON): one sync event per active tenant. */
export const ordersPoll = definePollJob({ id: "orders-poll", name: "Orders: poll every tenant", flow: "orders", cron: envSubset("ORDERS_POLL_CRON").ORDERS_POLL_CRON, event: ORDERS_SYNC_EVENT });

/** The per-tenant order sync: polls, "sync now", backfills and single-sale resyncs, one at a time per tenant. */
export const ordersSync = defineFlowJob({ id: "orders-sync", name: "Orders: sync one tenant", triggers: [ORDERS_SYNC_EVENT, ORDERS_BACKFILL_EVENT, ORDERS_RESYNC_EVENT], flow: ordersFlow });
