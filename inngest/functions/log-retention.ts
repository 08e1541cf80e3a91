import { db } from "@/lib/db";
import { purgeActivityLog } from "@/lib/maintenance/purge-activity-log";
import { LOG_RETENTION_EVENT, logRetentionEvent } from "@/lib/jobs/events";
import { defineJob } from "../define";
import { asJobStep } from "../errors";

/** Deletes one tenant's activity-log rows older than its retention setting. */
export const logRetention = defineJob({
  id: "log-retention",
  name: "Activity log retention (one tenant)",
  triggers: [{ event: LOG_RETENTION_EVENT }],
  schema: logRetentionEvent,
  retries: 4,
  concurrency: [{ key: "event.data.tenantId", limit: 1 }],
  async handler({ event, step }) {
    return step.run("purge", () => asJobStep(() => purgeActivityLog(db(), event.data.tenantId, event.data.retentionDays)));
  },
});
