import { db } from "@/lib/db";
import { purgeActivityLog } from "@/lib/maintenance/purge-activity-log";
import { scrubPlanNames } from "@/lib/maintenance/scrub-plan-names";
import { LOG_RETENTION_EVENT, logRetentionEvent } from "@/lib/jobs/events";
import { defineJob } from "../define";
import { asJobStep } from "../errors";

/** Deletes one tenant's activity-log rows older than its retention setting and scrubs names from older plans. */
export const logRetention = defineJob({
  id: "log-retention",
  name: "Activity log retention (one tenant)",
  triggers: [{ event: LOG_RETENTION_EVENT }],
  schema: logRetentionEvent,
  retries: 4,
  concurrency: [{ key: "event.data.tenantId", limit: 1 }],
  async handler({ event, step }) {
    const purged = await step.run("purge", () => asJobStep(() => purgeActivityLog(db(), event.data.tenantId, event.data.retentionDays)));
    const plans = await step.run("scrub-plan-names", () => asJobStep(() => scrubPlanNames(db(), event.data.tenantId, event.data.retentionDays)));
    return { ...purged, plansScrubbed: plans.scrubbed };
  },
});
