import { env } from "@/lib/env";
import type { JobEventInput, JobEventName, JobSender } from "@/lib/jobs/events";
import { logger } from "@/lib/log";
import { inngest } from "./client";
import { InlineDriver } from "./inline-driver";
import { jobDefinitions } from "./functions";

const globalForJobs = globalThis as unknown as { __butlerbridgeInline?: InlineDriver };

/** The in-process driver (one per process), with its cron scheduler started. */
export function inlineDriver(): InlineDriver {
  if (!globalForJobs.__butlerbridgeInline) {
    const log = logger();
    globalForJobs.__butlerbridgeInline = new InlineDriver({
      definitions: jobDefinitions,
      logger: { warn: (o, m) => log.warn(o, m), error: (o, m) => log.error(o, m) },
    });
    globalForJobs.__butlerbridgeInline.startCron();
  }
  return globalForJobs.__butlerbridgeInline;
}

/**
 * App code sends events through here and never needs to know which driver runs them. The name picks the
 * data's type from lib/jobs/events.ts, so a misspelt field fails the build, not the job.
 */
export const jobs: JobSender = {
  async send<N extends JobEventName>(name: N, data: JobEventInput<N> | JobEventInput<N>[]): Promise<{ ids: string[] }> {
    const events = (Array.isArray(data) ? data : [data]).map((d) => ({ name, data: d as Record<string, unknown> }));
    if (env().JOBS_DRIVER === "inngest") {
      const result = await inngest.send(events);
      return { ids: result.ids };
    }
    const { ids } = await inlineDriver().send(events);
    return { ids };
  },
};
