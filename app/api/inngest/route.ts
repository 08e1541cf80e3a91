import type { NextRequest } from "next/server";
import { jobEndpoint } from "@/inngest/serve";

export const dynamic = "force-dynamic";
// A step stops reading within STEP_BUDGET_SECONDS (default 60) and then writes what it read; this is the host's
// hard limit above that (Vercel Pro's maximum). Keep STEP_BUDGET_SECONDS well below it.
export const maxDuration = 300;

type Method = "GET" | "POST" | "PUT";

// Not found (rather than 401) in inline mode: there is no job endpoint to authenticate against.
const notFound = () => new Response("Not found", { status: 404 });

function forward(method: Method) {
  return async (req: NextRequest, ctx: unknown): Promise<Response> => {
    const endpoint = jobEndpoint();
    return endpoint ? endpoint[method](req, ctx) : notFound();
  };
}

export const GET = forward("GET");
export const POST = forward("POST");
export const PUT = forward("PUT");
