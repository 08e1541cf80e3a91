import { Inngest } from "inngest";
import { envSubset } from "@/lib/env";

const config = envSubset("INNGEST_DEV", "INNGEST_BASE_URL");

/**
 * The Inngest client. Dev mode (no signature checks) only when INNGEST_DEV says so, which the env schema refuses
 * in production; the inline driver does not use this client at all. Signing and event keys are read by the SDK
 * from INNGEST_SIGNING_KEY / INNGEST_EVENT_KEY (validated in lib/env.ts).
 */
export const inngest = new Inngest({
  id: "butlerbridge",
  isDev: config.INNGEST_DEV,
  ...(config.INNGEST_BASE_URL ? { baseUrl: config.INNGEST_BASE_URL } : {}),
});
