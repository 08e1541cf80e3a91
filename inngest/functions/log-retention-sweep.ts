import { db } from "@/lib/db";
import { envSubset } from "@/lib/env";
import { listTenantsForRetention } from "@/lib/maintenance/list-tenants-for-retention";
import { defineJob } from "../define";
import { LOG_RETENTION_EVENT } from "../events";

/** Nightly: one purge event per tenant, so one slow tenant never delays the others. */
export const logRetentionSweep = defineJob({
  id: "log-retention-sweep",
  name: "Activity log retention (nightly sweep)",
  triggers: [{ cron: envSubset("LOG_RETENTION_CRON").LOG_RETENTION_CRON }],
  retries: 3,
  concurrency: [{ limit: 1 }],
  async handler({ step }) {
    const targets = await step.run("list-tenants", () => listTenantsForRetention(db()));
    if (targets.length === 0) return { tenants: 0 };
    await step.sendEvent(
      "fan-out",
      targets.map((t) => ({ name: LOG_RETENTION_EVENT, data: { tenantId: t.tenantId, retentionDays: t.retentionDays } })),
    );
    return { tenants: targets.length };
  },
});
