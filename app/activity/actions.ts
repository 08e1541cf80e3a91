"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";
import { ORDERS_RESYNC_EVENT } from "@/inngest/events";
import { PRODUCTS_SYNC_EVENT } from "@/inngest/functions/products-sync";
import { STOCK_SYNC_EVENT } from "@/inngest/functions/stock-sync";
import { jobs } from "@/inngest/jobs";
import { getActivityEntry } from "@/lib/activity/get-activity-entry";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireTenant } from "@/lib/auth/session";
import { db } from "@/lib/db";

/** "Resync this record": a sale is resent on its own; products and stock get a manual run of their flow. */
export async function resyncEntryAction(_prev: { ok: boolean; error?: string }, form: FormData): Promise<{ ok: boolean; error?: string }> {
  const ctx = await requireTenant();
  const id = z.coerce.number().int().positive().safeParse(form.get("id"));
  if (!id.success) return { ok: false, error: "invalid" };
  const entry = await getActivityEntry(db(), ctx.tenantId, id.data);
  if (!entry || !entry.resyncable || !entry.sourceId) return { ok: false, error: "not_resyncable" };
  if (entry.flow === "orders") await jobs.send({ name: ORDERS_RESYNC_EVENT, data: { tenantId: ctx.tenantId, kind: "resync", saleId: entry.sourceId } });
  else if (entry.flow === "products") await jobs.send({ name: PRODUCTS_SYNC_EVENT, data: { tenantId: ctx.tenantId, kind: "manual" } });
  else await jobs.send({ name: STOCK_SYNC_EVENT, data: { tenantId: ctx.tenantId, kind: "manual" } });
  await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "record.resync", details: { flow: entry.flow, entity: entry.entity, sourceId: entry.sourceId } });
  revalidatePath("/activity");
  return { ok: true };
}
