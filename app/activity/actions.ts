"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";
import { jobs } from "@/inngest/jobs";
import type { ActionState } from "@/lib/actions/action-state";
import { tenantAction } from "@/lib/actions/tenant-action";
import { getActivityEntry } from "@/lib/activity/get-activity-entry";
import { db } from "@/lib/db";
import { requestSync } from "@/lib/sync/request-sync";

const resyncEntry = tenantAction(z.object({ id: z.coerce.number().int().positive() }), async ({ id }, ctx): Promise<ActionState> => {
  const entry = await getActivityEntry(db(), ctx.tenantId, id);
  if (!entry || !entry.resyncable || !entry.sourceId) return { ok: false, error: { code: "NOT_FOUND" } };
  await requestSync(jobs, ctx.tenantId, { flow: entry.flow, kind: "retry", entity: entry.entity, sourceIds: [entry.sourceId] });
  await ctx.audit("record.resync", { flow: entry.flow, entity: entry.entity, sourceId: entry.sourceId });
  revalidatePath("/activity");
  return { ok: true };
});

/** "Resync this record": a sale is resent on its own; products and stock get a manual run of their flow. */
export async function resyncEntryAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return resyncEntry(prev, form);
}
