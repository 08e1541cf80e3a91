"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";
import { jobs } from "@/inngest/jobs";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireTenant } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { dismissNotification, markNotificationsRead } from "@/lib/notifications/list-notifications";
import { retryTargetsFor } from "@/lib/notifications/retry-targets";
import { requestSync } from "@/lib/sync/request-sync";

const id = z.uuid();

export async function markAllReadAction(): Promise<void> {
  const ctx = await requireTenant();
  await markNotificationsRead(db(), ctx.tenantId, "all");
  revalidatePath("/", "layout");
}

export async function dismissAction(form: FormData): Promise<void> {
  const ctx = await requireTenant();
  const parsed = id.safeParse(form.get("id"));
  if (parsed.success) await dismissNotification(db(), ctx.tenantId, parsed.data);
  revalidatePath("/notifications");
}

/** Bulk retry: every record still failed for this notification's problem is sent again (after the fix). */
export async function retryAllAction(_prev: { ok: boolean; count?: number }, form: FormData): Promise<{ ok: boolean; count?: number }> {
  const ctx = await requireTenant();
  const parsed = id.safeParse(form.get("id"));
  if (!parsed.success) return { ok: false };
  const targets = await retryTargetsFor(db(), ctx.tenantId, parsed.data);
  if (!targets) return { ok: false };
  if (targets.flow) await requestSync(jobs, ctx.tenantId, { flow: targets.flow, kind: "retry", entity: targets.entity, sourceIds: targets.sourceIds });
  await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "notification.retry", details: { notificationId: parsed.data, records: targets.sourceIds.length } });
  revalidatePath("/notifications");
  return { ok: true, count: targets.sourceIds.length };
}
