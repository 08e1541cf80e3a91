import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import { errorResponse } from "../errors/http";
import { logger, withLogContext } from "../log";

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler: a request id (taken from `x-request-id` when a proxy set one) in every log line,
 * and every error mapped to a response in one place.
 */
export function route<P = Record<string, string>>(
  handler: (req: NextRequest, ctx: RouteContext<P>) => Promise<Response>,
): (req: NextRequest, ctx: RouteContext<P>) => Promise<Response> {
  return async (req, ctx) => {
    const requestId = req.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
    return withLogContext({ requestId }, async () => {
      const started = Date.now();
      try {
        const res = await handler(req, ctx);
        res.headers.set("x-request-id", requestId);
        logger().debug({ method: req.method, path: req.nextUrl.pathname, status: res.status, ms: Date.now() - started }, "request");
        return res;
      } catch (e) {
        const res = errorResponse(e);
        res.headers.set("x-request-id", requestId);
        return res;
      }
    });
  };
}
