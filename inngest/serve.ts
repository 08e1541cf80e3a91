import { serve } from "inngest/next";
import { inngest } from "./client";
import { jobDefinitions } from "./functions";
import { toInngestFunction } from "./to-inngest";

/** The Inngest serve handlers for every job, so the route in app/ needs nothing from inngest/functions. */
export const inngestHandlers = serve({ client: inngest, functions: jobDefinitions.map(toInngestFunction) });
