import type { NextRequest } from "next/server";
import { exportActivityCsv } from "@/lib/activity/export-activity-csv";
import { activityFilterSchema } from "@/lib/activity/list-activity";
import { requireTenant } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { route } from "@/lib/http/route";

/** The filtered activity log as CSV (streamed). Same filters as the page's URL. Admins only: it carries customer data. */
export const GET = route(async (req: NextRequest) => {
  const ctx = await requireTenant();
  if (ctx.role !== "admin") throw new AppError("FORBIDDEN", { detail: "only administrators may export the log" });
  const filter = activityFilterSchema.parse(Object.fromEntries(req.nextUrl.searchParams));
  const rows = exportActivityCsv(db(), ctx.tenantId, filter);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await rows.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="butlerbridge-activity-${stamp}.csv"`, "cache-control": "no-store" },
  });
});
