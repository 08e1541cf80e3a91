"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";
import { jobs } from "@/inngest/jobs";
import type { RetryState } from "@/lib/actions/action-state";
import { tenantAction, tenantFormAction } from "@/lib/actions/tenant-action";
import { db } from "@/lib/db";
import { dismissNotification, markNotificationsRead } from "@/lib/notifications/list-notifications";
import { retryTargetsFor } from "@/lib/notifications/retry-targets";
import { requestSync } from "@/lib/sync/request-sync";

const markAllRead = tenantFormAction(z.object({}), async (_v, ctx) => {
  await markNotificationsRead(db(), ctx.tenantId, "all");
  revalidatePath("/", "layout");
});

export async function markAllReadAction(): Promise<void> {
  return markAllRead();
}

// Any id, even none: dismissNotification ignores what is not one of the tenant's, as a stale page may send.
const dismiss = tenantFormAction(z.object({ id: z.string().catch("") }), async ({ id }, ctx) => {
  await dismissNotification(db(), ctx.tenantId, id);
  revalidatePath("/notifications");
});

export async function dismissAction(form: FormData): Promise<void> {
  return dismiss(form);
}

const retryAll = tenantAction(z.object({ id: z.uuid() }), async ({ id }, ctx): Promise<RetryState> => {
  const targets = await retryTargetsFor(db(), ctx.tenantId, id);
  if (!targets) return { ok: false, error: { code: "NOT_FOUND" } };
  if (targets.resyncSaleId) await requestSync(jobs, ctx.tenantId, { flow: "orders", kind: "resync", saleId: targets.resyncSaleId });
  else if (targets.flow) await requestSync(jobs, ctx.tenantId, { flow: targets.flow, kind: "retry", entity: targets.entity, sourceIds: targets.sourceIds });
  await ctx.audit("notification.retry", { notificationId: id, records: targets.sourceIds.length });
  revalidatePath("/notifications");
  return { ok: true, count: targets.sourceIds.length };
});

/** Bulk retry: every record still failed for this notification's problem is sent again (after the fix). */
export async function retryAllAction(prev: RetryState, form: FormData): Promise<RetryState> {
  return retryAll(prev, form);
}
