import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { JobEventInput, JobEventName, JobSender } from "@/lib/jobs/events";
import { logger } from "@/lib/log";
import { inngest } from "./client";
import { InlineDriver } from "./inline-driver";
import { jobDefinitions } from "./functions";
import { databaseOutbox } from "./outbox";

const globalForJobs = globalThis as unknown as { __butlerbridgeInline?: InlineDriver };

/** The in-process driver (one per process), with its cron scheduler started. */
export function inlineDriver(): InlineDriver {
  if (!globalForJobs.__butlerbridgeInline) {
    const log = logger();
    globalForJobs.__butlerbridgeInline = new InlineDriver({
      definitions: jobDefinitions,
      logger: { warn: (o, m) => log.warn(o, m), error: (o, m) => log.error(o, m) },
      outbox: databaseOutbox(db()),
    });
    globalForJobs.__butlerbridgeInline.startCron();
  }
  return globalForJobs.__butlerbridgeInline;
}

/** Seconds a stopping server gives running jobs to finish; what is cut off runs again at the next start. */
const SHUTDOWN_GRACE_MS = 20_000;

/**
 * Server start with the inline driver: its cron scheduler runs in this process, work left by the previous
 * process runs again, and SIGTERM/SIGINT first let running jobs finish (within a grace time) before the exit.
 */
export function startInlineDriver(): void {
  const driver = inlineDriver();
  logger().info("inline job driver started");
  driver.resumeOutbox().then(
    (n) => n > 0 && logger().info({ events: n }, "inline jobs left by the previous process run again"),
    (e: unknown) => logger().error({ err: e }, "could not read the inline job outbox"),
  );
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger().info({ signal }, "stopping: letting running jobs finish");
      void driver.shutdown(SHUTDOWN_GRACE_MS).then(({ unfinished }) => {
        if (unfinished > 0) logger().warn({ unfinished }, "jobs still running at exit; they run again at the next start");
        process.exit(0);
      });
    });
  }
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
