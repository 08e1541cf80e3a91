"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";
import { jobs } from "@/inngest/jobs";
import { getActivityEntry } from "@/lib/activity/get-activity-entry";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireTenant } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { requestSync } from "@/lib/sync/request-sync";

/** "Resync this record": a sale is resent on its own; products and stock get a manual run of their flow. */
export async function resyncEntryAction(_prev: { ok: boolean; error?: string }, form: FormData): Promise<{ ok: boolean; error?: string }> {
  const ctx = await requireTenant();
  const id = z.coerce.number().int().positive().safeParse(form.get("id"));
  if (!id.success) return { ok: false, error: "invalid" };
  const entry = await getActivityEntry(db(), ctx.tenantId, id.data);
  if (!entry || !entry.resyncable || !entry.sourceId) return { ok: false, error: "not_resyncable" };
  await requestSync(jobs, ctx.tenantId, { flow: entry.flow, kind: "retry", entity: entry.entity, sourceIds: [entry.sourceId] });
  await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "record.resync", details: { flow: entry.flow, entity: entry.entity, sourceId: entry.sourceId } });
  revalidatePath("/activity");
  return { ok: true };
}
