"use server";

import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/actions/action-state";
import { tenantAction, tenantFormAction } from "@/lib/actions/tenant-action";
import { db } from "@/lib/db";
import { saveFieldRules } from "@/lib/mapping/field-mapper-store";
import { categoryAccountsFormSchema, defaultDebtorFormSchema, fieldRulesFormSchema, productNamesFormSchema } from "@/lib/mapping/mapping-forms";
import { deleteMapping, saveMapping } from "@/lib/mapping/order-mappings";
import { saveAttributeMapping, saveFeatureMapping } from "@/lib/mapping/product-attributes";

function saved(): ActionState {
  revalidatePath("/mappings");
  return { ok: true, savedAt: Date.now() };
}

const saveFieldRulesForm = tenantAction(fieldRulesFormSchema, async ({ kind, rules }, ctx) => {
  const stored = await saveFieldRules(db(), ctx.tenantId, kind, rules);
  await ctx.audit("mapping.fields.saved", { kind, rules: stored });
  return saved();
});

export async function saveFieldRulesAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return saveFieldRulesForm(prev, form);
}

const saveDefaultDebtor = tenantFormAction(defaultDebtorFormSchema, async ({ defaultDebtor }, ctx) => {
  await saveMapping(db(), ctx.tenantId, "default_debtor", "default", defaultDebtor);
  await ctx.audit("mapping.default_debtor", { number: defaultDebtor.postingAccountNumber });
  revalidatePath("/mappings");
});

export async function saveDefaultDebtorAction(form: FormData): Promise<void> {
  return saveDefaultDebtor(form);
}

const saveCategoryAccounts = tenantAction(categoryAccountsFormSchema, async (changes, ctx) => {
  await db()
    .transaction()
    .execute(async (trx) => {
      for (const [key, account] of Object.entries(changes)) {
        if (account === null) await deleteMapping(trx, ctx.tenantId, "category", key);
        else await saveMapping(trx, ctx.tenantId, "category", key, { account });
      }
      await ctx.audit("mapping.categories", changes, trx);
    });
  return saved();
});

/** Categories → revenue accounts, per VAT rate (source key "<categoryID>|<rate>"); an empty field removes it. */
export async function saveCategoryAccountsAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return saveCategoryAccounts(prev, form);
}

const saveProductNames = tenantAction(productNamesFormSchema, async ({ attributes, features }, ctx) => {
  for (const a of attributes) await saveAttributeMapping(db(), ctx.tenantId, a);
  for (const f of features) await saveFeatureMapping(db(), ctx.tenantId, f);
  await ctx.audit("mapping.product_names");
  return saved();
});

export async function saveProductNamesAction(prev: ActionState, form: FormData): Promise<ActionState> {
  return saveProductNames(prev, form);
}
