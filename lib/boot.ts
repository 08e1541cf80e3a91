import { env, EnvError } from "./env";
import { logger } from "./log";

/**
 * Server start: validate the environment (stop with a message naming each bad variable) and, with the inline
 * job driver, start its cron scheduler in this process.
 */
export async function boot(): Promise<void> {
  try {
    env();
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  if (env().JOBS_DRIVER === "inline") {
    const { inlineDriver } = await import("../inngest/jobs");
    inlineDriver();
    logger().info("inline job driver started");
  }
}
