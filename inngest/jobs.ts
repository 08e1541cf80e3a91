import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { inngest } from "./client";
import type { JobEvent } from "./define";
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

/** Server start with the inline driver: its cron scheduler runs in this process. */
export function startInlineDriver(): void {
  inlineDriver();
  logger().info("inline job driver started");
}

/** App code sends events through here and never needs to know which driver runs them. */
export const jobs = {
  async send(events: JobEvent | JobEvent[]): Promise<{ ids: string[] }> {
    if (env().JOBS_DRIVER === "inngest") {
      const result = await inngest.send(events as Parameters<typeof inngest.send>[0]);
      return { ids: result.ids };
    }
    const { ids } = await inlineDriver().send(events);
    return { ids };
  },
};
