import { env, EnvError } from "./env";

/**
 * Server start: validate the environment and stop with a message naming each bad variable. Returns which job
 * driver this process runs, so the caller (instrumentation.ts) can start the inline one: lib/ does not know it.
 */
export function boot(): { jobsDriver: "inline" | "inngest" } {
  try {
    return { jobsDriver: env().JOBS_DRIVER };
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
