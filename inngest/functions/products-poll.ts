import { db } from "@/lib/db";
import { envSubset } from "@/lib/env";
import { listTenantsForFlow } from "@/lib/sync/list-tenants-for-flow";
import { defineJob } from "../define";
import { PRODUCTS_SYNC_EVENT } from "./products-sync";

/** Every 5 minutes (PRODUCTS_POLL_CRON): one product sync event per tenant with the flow on. */
export const productsPoll = defineJob({
  id: "products-poll",
  name: "Products: poll every tenant",
  triggers: [{ cron: envSubset("PRODUCTS_POLL_CRON").PRODUCTS_POLL_CRON }],
  retries: 2,
  concurrency: [{ limit: 1 }],
  async handler({ step }) {
    const tenants = await step.run("list-tenants", () => listTenantsForFlow(db(), "products"));
    if (tenants.length) await step.sendEvent("fan-out", tenants.map((tenantId) => ({ name: PRODUCTS_SYNC_EVENT, data: { tenantId, kind: "poll" } })));
    return { tenants: tenants.length };
  },
});
