import { serve } from "inngest/next";
import { env } from "@/lib/env";
import { inngest } from "./client";
import { jobDefinitions } from "./functions";
import { toInngestFunction } from "./to-inngest";

type Handlers = ReturnType<typeof serve>;

let handlers: Handlers | undefined;

/**
 * The Inngest serve handlers, or null when this process does not run jobs through Inngest. With the inline driver
 * jobs run in-process and nothing outside may start one: an endpoint that answered there would run any function
 * for any tenant on an unsigned request. In Inngest mode the SDK verifies every request with the signing key
 * (the env schema requires one, and refuses Inngest's unsigned dev mode in production).
 */
export function jobEndpoint(): Handlers | null {
  if (env().JOBS_DRIVER !== "inngest") return null;
  handlers ??= serve({ client: inngest, functions: jobDefinitions.map(toInngestFunction) });
  return handlers;
}
