import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { jobDefinitions } from "@/inngest/functions";
import { toInngestFunction } from "@/inngest/to-inngest";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT } = serve({ client: inngest, functions: jobDefinitions.map(toInngestFunction) });
