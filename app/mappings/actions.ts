"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireTenant } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { toUserFacing } from "@/lib/errors/app-error";
import { FIELD_MAPPER_KINDS } from "@/lib/mapping/field-mapper";
import { saveFieldRules } from "@/lib/mapping/field-mapper-store";
import { deleteMapping, saveMapping } from "@/lib/mapping/order-mappings";
import { saveAttributeMapping, saveFeatureMapping } from "@/lib/mapping/product-attributes";

export interface SimpleState {
  ok: boolean;
  error?: string;
  savedAt?: number;
}

export async function saveFieldRulesAction(_prev: SimpleState, form: FormData): Promise<SimpleState> {
  const ctx = await requireTenant();
  try {
    const kind = z.enum(FIELD_MAPPER_KINDS).parse(form.get("kind"));
    const rules = JSON.parse(String(form.get("rules") ?? "[]")) as unknown;
    const saved = await saveFieldRules(db(), ctx.tenantId, kind, rules as never);
    await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "mapping.fields.saved", details: { kind, rules: saved } });
    revalidatePath("/mappings");
    return { ok: true, savedAt: Date.now() };
  } catch (e) {
    return { ok: false, error: toUserFacing(e).detail ?? toUserFacing(e).message };
  }
}

export async function saveDefaultDebtorAction(form: FormData): Promise<void> {
  const ctx = await requireTenant();
  const v = z.string().regex(/^\d{1,9}\|.{1,200}$/).parse(form.get("defaultDebtor"));
  const [num, ...name] = v.split("|");
  await saveMapping(db(), ctx.tenantId, "default_debtor", "default", { postingAccountNumber: Number(num), name: name.join("|") });
  await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "mapping.default_debtor", details: { number: Number(num) } });
  revalidatePath("/mappings");
}

/** Categories → revenue accounts, per VAT rate (source key "<categoryID>|<rate>"); an empty field removes it. */
export async function saveCategoryAccountsAction(_prev: SimpleState, form: FormData): Promise<SimpleState> {
  const ctx = await requireTenant();
  const changes: Record<string, number | null> = {};
  for (const [k, v] of form.entries()) {
    const m = /^cat\.(\d+)\|(19|7)$/.exec(k);
    if (!m) continue;
    const value = String(v).trim();
    if (value !== "" && !/^\d{3,9}$/.test(value)) return { ok: false, error: `${k.slice(4)}: ${value}` };
    changes[`${m[1]}|${m[2]}`] = value === "" ? null : Number(value);
  }
  for (const [key, account] of Object.entries(changes)) {
    if (account === null) await deleteMapping(db(), ctx.tenantId, "category", key);
    else await saveMapping(db(), ctx.tenantId, "category", key, { account });
  }
  await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "mapping.categories", details: changes });
  revalidatePath("/mappings");
  return { ok: true, savedAt: Date.now() };
}

export async function saveProductNamesAction(_prev: SimpleState, form: FormData): Promise<SimpleState> {
  const ctx = await requireTenant();
  try {
    for (const [k, v] of form.entries()) {
      const value = String(v).trim();
      const attr = /^attr\.(\d+)\|([123])$/.exec(k);
      if (attr && value) await saveAttributeMapping(db(), ctx.tenantId, { attributeSetId: attr[1]!, axis: Number(attr[2]) as 1, name: value });
      const feat = /^feat\.(.+)$/.exec(k);
      if (feat && value) await saveFeatureMapping(db(), ctx.tenantId, { customField: feat[1]!, target: value === "-" ? { ignore: true } : { name: value } });
    }
    await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "mapping.product_names" });
    revalidatePath("/mappings");
    return { ok: true, savedAt: Date.now() };
  } catch (e) {
    return { ok: false, error: toUserFacing(e).detail ?? toUserFacing(e).message };
  }
}
