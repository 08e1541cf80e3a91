"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireTenant } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { toUserFacing } from "@/lib/errors/app-error";
import { sendTestEmail } from "@/lib/notifications/send-notification-emails";
import { saveFlowSwitch, SCHEDULE_CHOICES } from "@/lib/settings/flow-switches";
import { saveOrderSettings } from "@/lib/sync/orders/order-settings";
import { updateTenantSettings } from "@/lib/tenants/tenant-settings";

export interface SettingsState {
  ok: boolean;
  error?: string;
  savedAt?: number;
}

const schema = z.object({
  "orders.enabled": z.literal("on").optional(),
  "products.enabled": z.literal("on").optional(),
  "stock.enabled": z.literal("on").optional(),
  "orders.schedule": z.enum(SCHEDULE_CHOICES).or(z.literal("")),
  "products.schedule": z.enum(SCHEDULE_CHOICES).or(z.literal("")),
  "stock.schedule": z.enum(SCHEDULE_CHOICES).or(z.literal("")),
  logRetentionDays: z.coerce.number().int().min(1).max(3650),
  redactPii: z.literal("on").optional(),
  notificationEmail: z.union([z.email({ error: "Enter a valid e-mail address or leave it empty." }), z.literal("")]),
  postingMode: z.enum(["per_sale", "daily_summary"]),
  cutoffHour: z.coerce.number().int().min(0).max(12),
  editsAfterSync: z.enum(["ignore", "repost"]),
  updateExistingDebtors: z.literal("on").optional(),
});

export async function saveSettingsAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  const ctx = await requireTenant();
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const v = parsed.data;
  try {
    for (const flow of ["orders", "products", "stock"] as const) {
      const schedule = v[`${flow}.schedule`];
      await saveFlowSwitch(db(), ctx.tenantId, { flow, enabled: v[`${flow}.enabled`] === "on", schedule: schedule === "" ? null : schedule });
    }
    await updateTenantSettings(db(), ctx.tenantId, { logRetentionDays: v.logRetentionDays, redactPii: v.redactPii === "on", notificationEmail: v.notificationEmail || undefined });
    await saveOrderSettings(db(), ctx.tenantId, { postingMode: v.postingMode, cutoffHour: v.cutoffHour, editsAfterSync: v.editsAfterSync, updateExistingDebtors: v.updateExistingDebtors === "on" });
    await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "settings.saved", details: { ...v, notificationEmail: v.notificationEmail ? "(set)" : "(none)" } });
  } catch (e) {
    return { ok: false, error: toUserFacing(e).detail ?? toUserFacing(e).message };
  }
  revalidatePath("/", "layout");
  return { ok: true, savedAt: Date.now() };
}

export async function testEmailAction(_prev: { ok: boolean; to?: string; error?: string }): Promise<{ ok: boolean; to?: string; error?: string }> {
  const ctx = await requireTenant();
  try {
    const { to } = await sendTestEmail(db(), ctx.tenantId);
    await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "settings.test_email" });
    return { ok: true, to };
  } catch (e) {
    return { ok: false, error: toUserFacing(e).detail ?? toUserFacing(e).message };
  }
}
