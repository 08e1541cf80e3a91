"use server";

import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/actions/action-state";
import { tenantAction } from "@/lib/actions/tenant-action";
import { db } from "@/lib/db";
import { stockSettingsFormSchema } from "@/lib/sync/stock/stock-settings-form";
import { saveStockSettings } from "@/lib/sync/stock/stock-settings";

const saveStockSettingsForm = tenantAction(stockSettingsFormSchema, async (v, ctx): Promise<ActionState> => {
  // Empty account fields are saved as unset, so the chart's default applies (and follows a chart change).
  await saveStockSettings(db(), ctx.tenantId, v);
  await ctx.audit("stock.settings_saved", v);
  revalidatePath("/stock");
  return { ok: true, savedAt: Date.now() };
});

export async function saveStockSettingsAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return saveStockSettingsForm(prev, form);
}
