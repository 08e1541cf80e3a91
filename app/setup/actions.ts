"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import * as z from "zod";
import { TENANT_UNINSTALLED_EVENT } from "@/inngest/events";
import { recordAudit } from "@/lib/audit/record-audit";
import { toUserFacing } from "@/lib/errors/app-error";
import { parseOrderMappingForm, saveOrderMappingForm } from "@/lib/mapping/order-mapping-form";
import { saveMapping } from "@/lib/mapping/order-mappings";
import { goLive } from "@/lib/onboarding/go-live";
import { createWalkInDebtor, loadMappingContext } from "@/lib/onboarding/mapping-context";
import { completeStep } from "@/lib/onboarding/wizard-state";
import { saveOrderSettings } from "@/lib/sync/orders/order-settings";
import { requestSync } from "@/lib/sync/request-sync";
import { jobs } from "@/inngest/jobs";
import { requireTenant } from "@/lib/auth/session";
import { signOut } from "@/lib/auth";
import {
  bbConnectInputSchema,
  connectBuchhaltungsbutler,
  disconnectBuchhaltungsbutler,
  testBuchhaltungsbutlerConnection,
} from "@/lib/connections/connect-buchhaltungsbutler";
import { db } from "@/lib/db";
import { uninstallTenant } from "@/lib/tenants/uninstall-tenant";

export interface BbActionState {
  ok: boolean;
  errorCode?: string;
  fieldErrors?: Record<string, string>;
}

export async function connectBbAction(_prev: BbActionState, form: FormData): Promise<BbActionState> {
  const ctx = await requireTenant();
  const parsed = bbConnectInputSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return { ok: false, fieldErrors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "form"), i.message])) };
  }
  const result = await connectBuchhaltungsbutler(db(), ctx.tenantId, parsed.data, `user:${ctx.userId}`);
  revalidatePath("/setup");
  return result.saved ? { ok: true } : { ok: false, errorCode: result.error?.code ?? "other" };
}

export async function testBbAction(): Promise<BbActionState> {
  const ctx = await requireTenant();
  const result = await testBuchhaltungsbutlerConnection(db(), ctx.tenantId);
  revalidatePath("/setup");
  return result.error ? { ok: false, errorCode: result.error.code } : { ok: true };
}

export async function disconnectBbAction(): Promise<void> {
  const ctx = await requireTenant();
  await disconnectBuchhaltungsbutler(db(), ctx.tenantId, `user:${ctx.userId}`);
  revalidatePath("/setup");
}

export async function uninstallAction(): Promise<void> {
  const ctx = await requireTenant();
  await uninstallTenant(db(), ctx.tenantId, `user:${ctx.userId}`);
  await jobs.send(TENANT_UNINSTALLED_EVENT, { tenantId: ctx.tenantId });
  await signOut({ redirect: false }).catch(() => {});
  redirect("/?uninstalled=1");
}

// ── Setup wizard ───────────────────────────────────────────────────────────────────────────────────────────

const stepSchema = z.coerce.number().int().min(1).max(7);

function back(step: number, problems: string[]): never {
  redirect(`/setup?step=${step}${problems.length ? `&problem=${encodeURIComponent(problems.join(","))}` : ""}`);
}

/** "Next" on a step that has no form of its own (1, 2): validated on the server. */
export async function completeStepAction(form: FormData): Promise<void> {
  const step = stepSchema.parse(form.get("step"));
  const ctx = await requireTenant();
  const r = await completeStep(db(), ctx.tenantId, step);
  back(r.ok ? step + 1 : step, r.problems);
}

export async function saveFlowsAction(form: FormData): Promise<void> {
  const ctx = await requireTenant();
  const flows = z.array(z.enum(["orders", "products", "stock"])).parse(form.getAll("flows"));
  const r = await completeStep(db(), ctx.tenantId, 3, { flows });
  await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "setup.flows", details: { flows } });
  back(r.ok ? 4 : 3, r.problems);
}

const settingsStepSchema = z.object({
  postingMode: z.enum(["per_sale", "daily_summary"]),
  startDate: z.iso.date(),
  cutoffHour: z.coerce.number().int().min(0).max(12),
  updateExistingDebtors: z.literal("on").optional(),
  defaultDebtor: z.string().regex(/^\d{1,9}\|.{1,200}$/).optional(),
});

export async function saveSettingsStepAction(form: FormData): Promise<void> {
  const ctx = await requireTenant();
  const parsed = settingsStepSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) back(4, ["wizard.problem.invalidSettings"]);
  const v = parsed.data;
  await saveOrderSettings(db(), ctx.tenantId, { postingMode: v.postingMode, startDate: v.startDate, cutoffHour: v.cutoffHour, updateExistingDebtors: v.updateExistingDebtors === "on" });
  if (v.defaultDebtor) {
    const [num, ...name] = v.defaultDebtor.split("|");
    await saveMapping(db(), ctx.tenantId, "default_debtor", "default", { postingAccountNumber: Number(num), name: name.join("|") });
  }
  await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "settings.orders", details: { ...v } });
  const r = await completeStep(db(), ctx.tenantId, 4);
  back(r.ok ? 5 : 4, r.problems);
}

export async function createWalkInDebtorAction(): Promise<void> {
  const ctx = await requireTenant();
  const debtor = await createWalkInDebtor(db(), ctx.tenantId);
  await saveMapping(db(), ctx.tenantId, "default_debtor", "default", { postingAccountNumber: debtor.number, name: debtor.name });
  await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "mapping.default_debtor.created", details: debtor });
  revalidatePath("/setup");
  revalidatePath("/mappings");
}

export interface MappingFormState {
  ok: boolean;
  error?: string;
  warnings?: string[];
  savedAt?: number;
}

/** Saves the payment/tax mappings (wizard step 5 and the Mappings page share this action). */
export async function saveOrderMappingsAction(prev: MappingFormState, form: FormData): Promise<MappingFormState> {
  const ctx = await requireTenant();
  const wizard = form.get("__wizard") === "1";
  let values;
  try {
    values = parseOrderMappingForm(Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])));
  } catch (e) {
    return { ok: false, error: e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : toUserFacing(e).message };
  }
  const mc = await loadMappingContext(db(), ctx.tenantId);
  const { warnings } = await saveOrderMappingForm(db(), ctx.tenantId, values, mc.paymentTypes, mc.accounts);
  await recordAudit(db(), { tenantId: ctx.tenantId, actor: `user:${ctx.userId}`, action: "mapping.orders.saved", details: { paymentTypes: values.paymentTypes, tax: values.tax } });
  revalidatePath("/mappings");
  if (wizard && warnings.length === 0) {
    const r = await completeStep(db(), ctx.tenantId, 5);
    back(r.ok ? 6 : 5, r.problems);
  }
  return { ok: true, warnings, savedAt: Date.now() };
}

export async function confirmDryRunAction(form: FormData): Promise<void> {
  const ctx = await requireTenant();
  const date = z.iso.date().parse(form.get("date"));
  const r = await completeStep(db(), ctx.tenantId, 6, { dryRunDate: date });
  back(r.ok ? 7 : 6, r.problems);
}

/** Go live: flows on, tenant active, and the backfill from the start date begins (progress on this page). */
export async function goLiveAction(): Promise<{ ok: boolean; error?: string }> {
  const ctx = await requireTenant();
  try {
    const { backfillFrom, flows } = await goLive(db(), ctx.tenantId, `user:${ctx.userId}`);
    for (const flow of flows) await requestSync(jobs, ctx.tenantId, { flow, kind: "backfill", from: backfillFrom });
    revalidatePath("/", "layout");
    return { ok: true };
  } catch (e) {
    return { ok: false, error: toUserFacing(e).detail ?? toUserFacing(e).message };
  }
}
