import type { NextRequest } from "next/server";
import { jobEndpoint } from "@/inngest/serve";

export const dynamic = "force-dynamic";

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
