import * as z from "zod";
import type { Database } from "../db";
import { toJson } from "../db";
import { AppError } from "../errors/app-error";
import { getConnectionStatus } from "../connections/get-connection-status";
import { loadOrderMappings } from "../mapping/order-mappings";
import { loadOrderSettings } from "../sync/orders/order-settings";

/** The seven setup steps, in order. */
export const WIZARD_STEPS = ["lightspeed", "buchhaltungsbutler", "flows", "settings", "mappings", "dry_run", "go_live"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

const progressSchema = z.object({
  completed: z.array(z.number().int().min(1).max(7)).default([]),
  flows: z.array(z.enum(["orders", "products", "stock"])).optional(),
  dryRunDate: z.iso.date().optional(),
});
export type WizardProgress = z.output<typeof progressSchema>;

export interface WizardState {
  progress: WizardProgress;
  /** The first step that is not complete (where "resume" lands). */
  current: number;
  steps: { n: number; key: WizardStep; done: boolean; reachable: boolean }[];
  onboarded: boolean;
}

export async function loadWizardProgress(database: Database, tenantId: string): Promise<WizardProgress & { onboarded: boolean }> {
  const row = await database.selectFrom("tenants").select(["onboarding", "onboarded_at"]).where("id", "=", tenantId).executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", { detail: "tenant" });
  const parsed = progressSchema.safeParse(row.onboarding ?? {});
  return { ...(parsed.success ? parsed.data : { completed: [] }), onboarded: row.onboarded_at !== null };
}

async function saveProgress(database: Database, tenantId: string, progress: WizardProgress): Promise<void> {
  await database.updateTable("tenants").set({ onboarding: toJson(progress), updated_at: new Date() }).where("id", "=", tenantId).execute();
}

/**
 * Where the merchant stands. A step counts as done only while its precondition still holds (a disconnected BB
 * re-opens step 2), so the wizard can always be resumed at the first open step.
 */
export async function getWizardState(database: Database, tenantId: string): Promise<WizardState> {
  const progress = await loadWizardProgress(database, tenantId);
  const problems = await stepProblems(database, tenantId, progress);
  const steps = WIZARD_STEPS.map((key, i) => {
    const n = i + 1;
    return { n, key, done: progress.completed.includes(n) && problems[n]!.length === 0, reachable: true };
  });
  let reachable = true;
  for (const s of steps) {
    s.reachable = reachable;
    if (!s.done) reachable = false;
  }
  const current = steps.find((s) => !s.done)?.n ?? 7;
  return { progress, current, steps, onboarded: progress.onboarded };
}

/** Per step, what still stops it from being complete (message keys with details). Empty = valid. */
export async function stepProblems(database: Database, tenantId: string, progress: WizardProgress): Promise<Record<number, string[]>> {
  const [status, { settings }, mappings] = await Promise.all([getConnectionStatus(database, tenantId), loadOrderSettings(database, tenantId), loadOrderMappings(database, tenantId)]);
  const out: Record<number, string[]> = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
  if (status.lightspeed.status !== "connected") out[1]!.push("wizard.problem.lsNotConnected");
  if (status.buchhaltungsbutler.status !== "connected") out[2]!.push("wizard.problem.bbNotConnected");
  else if (status.buchhaltungsbutler.chart !== "SKR03" && status.buchhaltungsbutler.chart !== "SKR04") out[2]!.push("wizard.problem.chartUnknown");
  if (!progress.flows || progress.flows.length === 0) out[3]!.push("wizard.problem.noFlow");
  if (!settings.startDate) out[4]!.push("wizard.problem.noStartDate");
  if (!mappings.defaultDebtor) out[4]!.push("wizard.problem.noDefaultDebtor");
  for (const rate of ["19", "7", "0"]) if (!mappings.taxRates.has(rate)) out[5]!.push("wizard.problem.taxUnmapped");
  if (mappings.paymentTypes.size === 0) out[5]!.push("wizard.problem.paymentsUnmapped");
  if (!progress.dryRunDate) out[6]!.push("wizard.problem.noDryRun");
  out[5] = [...new Set(out[5])];
  return out;
}

/** "Next": the step is validated on the server; an invalid step is not marked done and the problems come back. */
export async function completeStep(database: Database, tenantId: string, step: number, extra: Partial<Pick<WizardProgress, "flows" | "dryRunDate">> = {}): Promise<{ ok: boolean; problems: string[] }> {
  if (!Number.isInteger(step) || step < 1 || step > 6) throw new AppError("INVALID_INPUT", { detail: "unknown setup step" });
  const current = await loadWizardProgress(database, tenantId);
  const next: WizardProgress = { completed: current.completed, flows: extra.flows ?? current.flows, dryRunDate: extra.dryRunDate ?? current.dryRunDate };
  const problems = (await stepProblems(database, tenantId, next))[step] ?? [];
  if (problems.length === 0) next.completed = [...new Set([...next.completed, step])].sort();
  await saveProgress(database, tenantId, next);
  return { ok: problems.length === 0, problems };
}
