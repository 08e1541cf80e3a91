import * as z from "zod";
import type { Flow } from "@/db/schema";
import { formCheckbox, formNumber } from "../actions/form-input";
import { debtorChoiceField } from "../mapping/mapping-forms";
import { orderSettingsSchema } from "../sync/orders/order-settings";
import { tenantSettingsSchema } from "../tenants/tenant-settings";
import { SCHEDULE_CHOICES } from "./flow-switches";

/*
 * Form schemas derived from the stored settings' schemas: a bound (cut-off hour 0–12, retention 1–3650 days)
 * is defined once, where the setting is stored, and every form and select follows it.
 */

const order = orderSettingsSchema.shape;
const cutoffHour = order.cutoffHour.unwrap();

/** The cut-off hours a merchant can choose, from the stored schema's bounds. */
export const CUTOFF_HOURS: number[] = Array.from({ length: (cutoffHour.maxValue ?? 0) - (cutoffHour.minValue ?? 0) + 1 }, (_, i) => (cutoffHour.minValue ?? 0) + i);

export const orderFormFields = {
  postingMode: order.postingMode.unwrap(),
  cutoffHour: formNumber(cutoffHour),
  editsAfterSync: order.editsAfterSync.unwrap(),
  startDate: order.startDate.unwrap(),
  updateExistingDebtors: formCheckbox,
};

const schedule = z.enum(SCHEDULE_CHOICES).or(z.literal("")).transform((s) => (s === "" ? null : s));

/** The Settings page. */
export const settingsFormSchema = z
  .object({
    "orders.enabled": formCheckbox,
    "products.enabled": formCheckbox,
    "stock.enabled": formCheckbox,
    "orders.schedule": schedule,
    "products.schedule": schedule,
    "stock.schedule": schedule,
    logRetentionDays: formNumber(tenantSettingsSchema.shape.logRetentionDays.unwrap()),
    redactPii: formCheckbox,
    notificationEmail: tenantSettingsSchema.shape.notificationEmail.unwrap().or(z.literal("")),
    // Optional: a form without the field (an older page still open) keeps the stored choice instead of resetting it.
    staffAccess: tenantSettingsSchema.shape.staffAccess.unwrap().optional(),
    postingMode: orderFormFields.postingMode,
    cutoffHour: orderFormFields.cutoffHour,
    editsAfterSync: orderFormFields.editsAfterSync,
    updateExistingDebtors: orderFormFields.updateExistingDebtors,
  })
  .transform((v) => ({
    flows: (["orders", "products", "stock"] as const satisfies Flow[]).map((flow) => ({ flow, enabled: v[`${flow}.enabled`], schedule: v[`${flow}.schedule`] })),
    tenant: { logRetentionDays: v.logRetentionDays, redactPii: v.redactPii, notificationEmail: v.notificationEmail || undefined, ...(v.staffAccess ? { staffAccess: v.staffAccess } : {}) },
    orders: { postingMode: v.postingMode, cutoffHour: v.cutoffHour, editsAfterSync: v.editsAfterSync, updateExistingDebtors: v.updateExistingDebtors },
  }));

export type SettingsForm = z.output<typeof settingsFormSchema>;

/** Wizard step 4 (the orders basics). */
export const settingsStepFormSchema = z.object({
  postingMode: orderFormFields.postingMode,
  startDate: orderFormFields.startDate,
  cutoffHour: orderFormFields.cutoffHour,
  updateExistingDebtors: orderFormFields.updateExistingDebtors,
  defaultDebtor: debtorChoiceField.optional(),
});
