"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";
import { ORDERS_RESYNC_EVENT } from "@/inngest/events";
import { PRODUCTS_SYNC_EVENT } from "@/inngest/functions/products-sync";
import { STOCK_SYNC_EVENT } from "@/inngest/functions/stock-sync";
import { jobs } from "@/inngest/jobs";
import type { ActionState } from "@/lib/actions/action-state";
import { tenantAction } from "@/lib/actions/tenant-action";
import { getActivityEntry } from "@/lib/activity/get-activity-entry";
import { db } from "@/lib/db";

const resyncEntry = tenantAction(z.object({ id: z.coerce.number().int().positive() }), async ({ id }, ctx): Promise<ActionState> => {
  const entry = await getActivityEntry(db(), ctx.tenantId, id);
  if (!entry || !entry.resyncable || !entry.sourceId) return { ok: false, error: { code: "NOT_FOUND" } };
  if (entry.flow === "orders") await jobs.send({ name: ORDERS_RESYNC_EVENT, data: { tenantId: ctx.tenantId, kind: "resync", saleId: entry.sourceId } });
  else if (entry.flow === "products") await jobs.send({ name: PRODUCTS_SYNC_EVENT, data: { tenantId: ctx.tenantId, kind: "manual" } });
  else await jobs.send({ name: STOCK_SYNC_EVENT, data: { tenantId: ctx.tenantId, kind: "manual" } });
  await ctx.audit("record.resync", { flow: entry.flow, entity: entry.entity, sourceId: entry.sourceId });
  revalidatePath("/activity");
  return { ok: true };
});

/** "Resync this record": a sale is resent on its own; products and stock get a manual run of their flow. */
export async function resyncEntryAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return resyncEntry(prev, form);
}
