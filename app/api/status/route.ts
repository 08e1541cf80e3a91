import { NextResponse } from "next/server";
import { requireTenant } from "@/lib/auth/session";
import { getLiveStatus } from "@/lib/dashboard/live-status";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

/** Live status for the dashboard, the bell and the go-live progress bar (polled with React Query). */
export const GET = route(async () => {
  const ctx = await requireTenant();
  return NextResponse.json(await getLiveStatus(db(), ctx.tenantId), { headers: { "cache-control": "no-store" } });
});
