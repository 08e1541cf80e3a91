"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import * as z from "zod";
import { TENANT_UNINSTALLED_EVENT } from "@/inngest/events";
import { jobs } from "@/inngest/jobs";
import type { ActionState, BbActionState, MappingFormState } from "@/lib/actions/action-state";
import { formArray } from "@/lib/actions/form-input";
import { tenantAction, tenantFormAction } from "@/lib/actions/tenant-action";
import { signOut } from "@/lib/auth";
import { bbConnectInputSchema, connectBuchhaltungsbutler, disconnectBuchhaltungsbutler, testBuchhaltungsbutlerConnection } from "@/lib/connections/connect-buchhaltungsbutler";
import { db } from "@/lib/db";
import { orderMappingSubmitSchema, saveOrderMappingForm } from "@/lib/mapping/order-mapping-form";
import { saveMapping } from "@/lib/mapping/order-mappings";
import { goLive } from "@/lib/onboarding/go-live";
import { createWalkInDebtor, loadMappingContext } from "@/lib/onboarding/mapping-context";
import { completeStep, WIZARD_STEPS } from "@/lib/onboarding/wizard-state";
import { settingsStepFormSchema } from "@/lib/settings/settings-form";
import { saveOrderSettings } from "@/lib/sync/orders/order-settings";
import { requestSync } from "@/lib/sync/request-sync";
import { uninstallTenant } from "@/lib/tenants/uninstall-tenant";

const none = z.object({});

const connectBb = tenantAction(bbConnectInputSchema, async (input, ctx): Promise<BbActionState> => {
  const result = await connectBuchhaltungsbutler(db(), ctx.tenantId, input, ctx.actor);
  revalidatePath("/setup");
  return result.saved ? { ok: true } : { ok: false, errorCode: result.error?.code ?? "other" };
});

export async function connectBbAction(prev: BbActionState, form: FormData): Promise<BbActionState> {
  return connectBb(prev, form);
}

const testBb = tenantAction(none, async (_v, ctx): Promise<BbActionState> => {
  const result = await testBuchhaltungsbutlerConnection(db(), ctx.tenantId, ctx.actor);
  revalidatePath("/setup");
  return result.error ? { ok: false, errorCode: result.error.code } : { ok: true };
});

export async function testBbAction(): Promise<BbActionState> {
  return testBb({ ok: false });
}

const disconnectBb = tenantFormAction(none, async (_v, ctx) => {
  await disconnectBuchhaltungsbutler(db(), ctx.tenantId, ctx.actor);
  revalidatePath("/setup");
});

export async function disconnectBbAction(): Promise<void> {
  return disconnectBb();
}

const uninstall = tenantFormAction(none, async (_v, ctx) => {
  await uninstallTenant(db(), ctx.tenantId, ctx.actor);
  await jobs.send(TENANT_UNINSTALLED_EVENT, { tenantId: ctx.tenantId });
  await signOut({ redirect: false }).catch(() => {});
  redirect("/?uninstalled=1");
});

export async function uninstallAction(): Promise<void> {
  return uninstall();
}

// ── Setup wizard ───────────────────────────────────────────────────────────────────────────────────────────

const step = z.coerce.number().int().min(1).max(WIZARD_STEPS.length);

function back(step: number, problems: string[]): never {
  redirect(`/setup?step=${step}${problems.length ? `&problem=${encodeURIComponent(problems.join(","))}` : ""}`);
}

const completeStepForm = tenantFormAction(z.object({ step }), async (v, ctx) => {
  const r = await completeStep(db(), ctx.tenantId, v.step);
  back(r.ok ? v.step + 1 : v.step, r.problems);
});

/** "Next" on a step that has no form of its own (1, 2): validated on the server. */
export async function completeStepAction(form: FormData): Promise<void> {
  return completeStepForm(form);
}

const saveFlows = tenantFormAction(z.object({ flows: formArray(z.enum(["orders", "products", "stock"])) }), async ({ flows }, ctx) => {
  const r = await completeStep(db(), ctx.tenantId, 3, { flows });
  await ctx.audit("setup.flows", { flows });
  back(r.ok ? 4 : 3, r.problems);
});

export async function saveFlowsAction(form: FormData): Promise<void> {
  return saveFlows(form);
}

const saveSettingsStep = tenantFormAction(
  settingsStepFormSchema,
  async (v, ctx) => {
    await db()
      .transaction()
      .execute(async (trx) => {
        await saveOrderSettings(trx, ctx.tenantId, { postingMode: v.postingMode, startDate: v.startDate, cutoffHour: v.cutoffHour, updateExistingDebtors: v.updateExistingDebtors });
        if (v.defaultDebtor) await saveMapping(trx, ctx.tenantId, "default_debtor", "default", v.defaultDebtor);
        await ctx.audit("settings.orders", { ...v }, trx);
      });
    const r = await completeStep(db(), ctx.tenantId, 4);
    back(r.ok ? 5 : 4, r.problems);
  },
  { invalid: () => back(4, ["wizard.problem.invalidSettings"]) },
);

export async function saveSettingsStepAction(form: FormData): Promise<void> {
  return saveSettingsStep(form);
}

const createWalkIn = tenantFormAction(none, async (_v, ctx) => {
  const debtor = await createWalkInDebtor(db(), ctx.tenantId);
  await saveMapping(db(), ctx.tenantId, "default_debtor", "default", { postingAccountNumber: debtor.number, name: debtor.name });
  await ctx.audit("mapping.default_debtor.created", debtor);
  revalidatePath("/setup");
  revalidatePath("/mappings");
});

export async function createWalkInDebtorAction(): Promise<void> {
  return createWalkIn();
}

const saveOrderMappings = tenantAction(orderMappingSubmitSchema, async ({ wizard, ...values }, ctx): Promise<MappingFormState> => {
  const mc = await loadMappingContext(db(), ctx.tenantId);
  const { warnings } = await saveOrderMappingForm(db(), ctx.tenantId, values, mc.paymentTypes, mc.accounts);
  await ctx.audit("mapping.orders.saved", { paymentTypes: values.paymentTypes, tax: values.tax });
  revalidatePath("/mappings");
  if (wizard && warnings.length === 0) {
    const r = await completeStep(db(), ctx.tenantId, 5);
    back(r.ok ? 6 : 5, r.problems);
  }
  return { ok: true, warnings, savedAt: Date.now() };
});

/** Saves the payment/tax mappings (wizard step 5 and the Mappings page share this action). */
export async function saveOrderMappingsAction(prev: MappingFormState, form: FormData): Promise<MappingFormState> {
  return saveOrderMappings(prev, form);
}

const confirmDryRun = tenantFormAction(z.object({ date: z.iso.date() }), async ({ date }, ctx) => {
  const r = await completeStep(db(), ctx.tenantId, 6, { dryRunDate: date });
  back(r.ok ? 7 : 6, r.problems);
});

export async function confirmDryRunAction(form: FormData): Promise<void> {
  return confirmDryRun(form);
}

const startLive = tenantAction(none, async (_v, ctx): Promise<ActionState> => {
  const { backfillFrom, flows } = await goLive(db(), ctx.tenantId, ctx.actor);
  for (const flow of flows) await requestSync(jobs, ctx.tenantId, { flow, kind: "backfill", from: backfillFrom });
  revalidatePath("/", "layout");
  return { ok: true };
});

/** Go live: flows on, tenant active, and the backfill from the start date begins (progress on this page). */
export async function goLiveAction(): Promise<ActionState> {
  return startLive({ ok: false });
}
