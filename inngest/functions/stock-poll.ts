import { db } from "@/lib/db";
import { envSubset } from "@/lib/env";
import { listTenantsForFlow } from "@/lib/sync/list-tenants-for-flow";
import { defineJob } from "../define";
import { STOCK_SYNC_EVENT } from "./stock-sync";

/** Every 5 minutes (STOCK_POLL_CRON): one stock sync event per tenant with the flow on. */
export const stockPoll = defineJob({
  id: "stock-poll",
  name: "Stock: poll every tenant",
  triggers: [{ cron: envSubset("STOCK_POLL_CRON").STOCK_POLL_CRON }],
  retries: 2,
  concurrency: [{ limit: 1 }],
  async handler({ step }) {
    const tenants = await step.run("list-tenants", () => listTenantsForFlow(db(), "stock"));
    if (tenants.length) await step.sendEvent("fan-out", tenants.map((tenantId) => ({ name: STOCK_SYNC_EVENT, data: { tenantId, kind: "poll" } })));
    return { tenants: tenants.length };
  },
});
