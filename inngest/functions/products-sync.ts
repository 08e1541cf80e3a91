import { envSubset } from "@/lib/env";
import { PRODUCTS_SYNC_EVENT } from "@/lib/jobs/events";
import { productsFlow } from "@/lib/sync/products/run-products-sync";
import { defineFlowJob, definePollJob } from "../flow-job";

/** Every 5 minutes (PRODUCTS_POLL_CRON): one product sync event per tenant with the flow on. */
export const productsPoll = definePollJob({ id: "products-poll", name: "Products: poll every tenant", flow: "products", cron: envSubset("PRODUCTS_POLL_CRON").PRODUCTS_POLL_CRON, event: PRODUCTS_SYNC_EVENT });

/** The per-tenant product sync: poll, "sync now" and backfill, one run at a time per tenant. */
export const productsSync = defineFlowJob({ id: "products-sync", name: "Products: sync one tenant", triggers: [PRODUCTS_SYNC_EVENT], flow: productsFlow });
