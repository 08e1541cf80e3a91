import { Inngest } from "inngest";
import { envSubset } from "@/lib/env";

const config = envSubset("JOBS_DRIVER", "INNGEST_DEV", "INNGEST_BASE_URL");

/**
 * The Inngest client. With the inline driver nothing talks to an Inngest server; the serve route still
 * answers in dev mode so a developer can point `inngest dev` at it. Signing and event keys are read by the
 * SDK from INNGEST_SIGNING_KEY / INNGEST_EVENT_KEY (validated in lib/env.ts).
 */
export const inngest = new Inngest({
  id: "butlerbridge",
  isDev: config.JOBS_DRIVER === "inline" || config.INNGEST_DEV,
  ...(config.INNGEST_BASE_URL ? { baseUrl: config.INNGEST_BASE_URL } : {}),
});
