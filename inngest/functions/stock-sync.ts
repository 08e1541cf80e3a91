import { envSubset } from "@/lib/env";
import { STOCK_SYNC_EVENT } from "@/lib/jobs/events";
import { stockFlow } from "@/lib/sync/stock/run-stock-sync";
import { defineFlowJob, definePollJob } from "../flow-job";

/** Every 5 minutes (STOCK_POLL_CRON): one stock sync event per tenant with the flow on. */
export const stockPoll = definePollJob({ id: "stock-poll", name: "Stock: poll every tenant", flow: "stock", cron: envSubset("STOCK_POLL_CRON").STOCK_POLL_CRON, event: STOCK_SYNC_EVENT });

/** The per-tenant stock sync: poll, "sync now", backfill and "revalue a period", one run at a time per tenant. */
export const stockSync = defineFlowJob({ id: "stock-sync", name: "Stock: sync one tenant", triggers: [STOCK_SYNC_EVENT], flow: stockFlow });
