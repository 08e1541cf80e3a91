import { NextResponse } from "next/server";
import { pingDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Liveness plus the one dependency every request needs. 503 tells a load balancer to stop sending traffic. */
export async function GET() {
  const database = await pingDb();
  const body = { status: database ? "ok" : "degraded", checks: { database: database ? "ok" : "unreachable" } };
  return NextResponse.json(body, { status: database ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
