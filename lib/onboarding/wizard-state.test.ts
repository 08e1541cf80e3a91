import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { toJson } from "../db";
import { saveMapping } from "../mapping/order-mappings";
import { saveOrderSettings, loadOrderSettings } from "../sync/orders/order-settings";
import { goLive } from "./go-live";
import { completeStep, getWizardState } from "./wizard-state";

const database = testDb();

async function onboardingTenant() {
  const t = await createTestTenant(database);
  await database.updateTable("tenants").set({ status: "onboarding" }).where("id", "=", t).execute();
  await database
    .insertInto("connections")
    .values([
      { tenant_id: t, provider: "lightspeed", status: "connected", external_id: "1", meta: toJson({ accountName: "Test", shops: [] }), updated_at: new Date() },
      { tenant_id: t, provider: "buchhaltungsbutler", status: "connected", meta: toJson({ check: { chart: "SKR03", paymentAccounts: [] } }), updated_at: new Date() },
    ])
    .execute();
  return t;
}

describe("setup wizard", () => {
  it("validates each step on the server and resumes at the first open one", async () => {
    const t = await onboardingTenant();
    expect((await getWizardState(database, t)).current).toBe(1);
    expect(await completeStep(database, t, 1)).toEqual({ ok: true, problems: [] });
    expect(await completeStep(database, t, 2)).toEqual({ ok: true, problems: [] });
    expect(await completeStep(database, t, 3, { flows: [] })).toEqual({ ok: false, problems: ["wizard.problem.noFlow"] });
    expect((await completeStep(database, t, 3, { flows: ["orders"] })).ok).toBe(true);
    expect((await completeStep(database, t, 4)).problems).toEqual(["wizard.problem.noStartDate", "wizard.problem.noDefaultDebtor"]);
    await saveOrderSettings(database, t, { startDate: "2026-03-01" });
    await saveMapping(database, t, "default_debtor", "default", { postingAccountNumber: 10001, name: "Laufkundschaft" });
    expect((await completeStep(database, t, 4)).ok).toBe(true);
    const state = await getWizardState(database, t);
    expect(state.current).toBe(5);
    expect(state.steps.map((s) => s.reachable)).toEqual([true, true, true, true, true, false, false]);
    await expect(goLive(database, t, "test")).rejects.toThrow(/step 5, 6/);
  });

  it("re-opens a step whose precondition broke (BB disconnected) and goes live once everything holds", async () => {
    const t = await onboardingTenant();
    for (const s of [1, 2]) await completeStep(database, t, s);
    await completeStep(database, t, 3, { flows: ["orders"] });
    await saveOrderSettings(database, t, { startDate: "2026-03-01" });
    await saveMapping(database, t, "default_debtor", "default", { postingAccountNumber: 10001, name: "Laufkundschaft" });
    await completeStep(database, t, 4);
    for (const rate of ["19", "7", "0"] as const) await saveMapping(database, t, "tax_rate", rate, { account: 8400, vat: rate === "19" ? "19_vat" : rate === "7" ? "7_vat" : "0_none" });
    expect((await completeStep(database, t, 5)).problems).toEqual(["wizard.problem.paymentsUnmapped"]);
    await saveMapping(database, t, "payment_type", "1", { kind: "tender", account: 1000 });
    expect((await completeStep(database, t, 5)).ok).toBe(true);
    expect((await completeStep(database, t, 6)).problems).toEqual(["wizard.problem.noDryRun"]);
    expect((await completeStep(database, t, 6, { dryRunDate: "2026-03-01" })).ok).toBe(true);

    await database.updateTable("connections").set({ status: "disconnected" }).where("tenant_id", "=", t).where("provider", "=", "buchhaltungsbutler").execute();
    expect((await getWizardState(database, t)).current).toBe(2);
    await database.updateTable("connections").set({ status: "connected" }).where("tenant_id", "=", t).where("provider", "=", "buchhaltungsbutler").execute();

    const live = await goLive(database, t, "user:1");
    expect(live).toEqual({ backfillFrom: "2026-03-01", flows: ["orders"] });
    const tenant = await database.selectFrom("tenants").select(["status", "onboarded_at"]).where("id", "=", t).executeTakeFirstOrThrow();
    expect(tenant.status).toBe("active");
    expect(tenant.onboarded_at).not.toBeNull();
    expect((await loadOrderSettings(database, t)).enabled).toBe(true);
    expect((await getWizardState(database, t)).onboarded).toBe(true);
    const audit = await database.selectFrom("audit_log").select("action").where("tenant_id", "=", t).execute();
    expect(audit.map((a) => a.action)).toContain("tenant.went_live");
  });
});
