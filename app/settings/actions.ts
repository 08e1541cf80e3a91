"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";
import type { ActionState, ErasureState, TestEmailState } from "@/lib/actions/action-state";
import { tenantAction } from "@/lib/actions/tenant-action";
import { db } from "@/lib/db";
import { sendTestEmail } from "@/lib/notifications/send-notification-emails";
import { eraseCustomer, eraseCustomerSchema } from "@/lib/privacy/erase-customer";
import { saveSettings } from "@/lib/settings/save-settings";
import { settingsFormSchema } from "@/lib/settings/settings-form";

const saveSettingsForm = tenantAction(settingsFormSchema, async (v, ctx): Promise<ActionState> => {
  await saveSettings(db(), ctx.tenantId, v, (trx) => ctx.audit("settings.saved", { ...v, tenant: { ...v.tenant, notificationEmail: v.tenant.notificationEmail ? "(set)" : "(none)" } }, trx));
  revalidatePath("/", "layout");
  return { ok: true, savedAt: Date.now() };
});

export async function saveSettingsAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return saveSettingsForm(prev, form);
}

const testEmail = tenantAction(z.object({}), async (_v, ctx): Promise<TestEmailState> => {
  const { to } = await sendTestEmail(db(), ctx.tenantId);
  await ctx.audit("settings.test_email");
  return { ok: true, to };
});

export async function testEmailAction(prev: TestEmailState): Promise<TestEmailState> {
  return testEmail(prev);
}

const erase = tenantAction(eraseCustomerSchema, async ({ customer }, ctx): Promise<ErasureState> => {
  const erased = await eraseCustomer(db(), ctx.tenantId, customer);
  // The audit names neither the person nor their e-mail: only that an erasure happened and what it touched.
  await ctx.audit("privacy.customer_erased", { by: /^\d+$/.test(customer) ? "lightspeed customer id" : "e-mail", ...erased });
  return { ok: true, erased };
});

/** Art. 17 GDPR: erase one customer's data from our database (the books in BuchhaltungsButler stay). */
export async function eraseCustomerAction(prev: ErasureState, form: FormData): Promise<ErasureState> {
  return erase(prev, form);
}
