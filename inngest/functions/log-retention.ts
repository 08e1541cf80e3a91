import * as z from "zod";
import { db } from "@/lib/db";
import { purgeActivityLog } from "@/lib/maintenance/purge-activity-log";
import { defineJob } from "../define";
import { asJobStep } from "../errors";

export const LOG_RETENTION_EVENT = "maintenance/log-retention.requested";

/** Deletes one tenant's activity-log rows older than its retention setting. */
export const logRetention = defineJob({
  id: "log-retention",
  name: "Activity log retention (one tenant)",
  triggers: [{ event: LOG_RETENTION_EVENT }],
  schema: z.object({ tenantId: z.uuid(), retentionDays: z.number().int().min(1) }),
  retries: 4,
  concurrency: [{ key: "event.data.tenantId", limit: 1 }],
  async handler({ event, step }) {
    return step.run("purge", () => asJobStep(() => purgeActivityLog(db(), event.data.tenantId, event.data.retentionDays)));
  },
});
