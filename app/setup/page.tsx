import Link from "next/link";
import { PageHeader } from "@/components/empty-state";
import { ReadOnlyNote } from "@/components/read-only";
import { UninstallButton } from "@/components/setup/uninstall-button";
import { StepBb } from "@/components/setup/steps/step-bb";
import { StepDryRun } from "@/components/setup/steps/step-dry-run";
import { StepFlows } from "@/components/setup/steps/step-flows";
import { StepLightspeed } from "@/components/setup/steps/step-lightspeed";
import { StepMappings } from "@/components/setup/steps/step-mappings";
import { StepSettings } from "@/components/setup/steps/step-settings";
import { card } from "@/components/setup/steps/styles";
import { SignInRequired } from "@/components/sign-in-required";
import { GoLivePanel } from "@/components/wizard/go-live-panel";
import { getTenantContext } from "@/lib/auth/session";
import { partnerModeAvailable } from "@/lib/connections/connect-buchhaltungsbutler";
import { getConnectionStatus } from "@/lib/connections/get-connection-status";
import { db } from "@/lib/db";
import { fill } from "@/lib/i18n/format";
import type { MessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { getWizardState, WIZARD_STEPS } from "@/lib/onboarding/wizard-state";
import { loadDryRunStep, loadMappingsStep, loadSettingsStep } from "@/lib/onboarding/setup-steps";
import {
  completeStepAction,
  confirmDryRunAction,
  connectBbAction,
  createWalkInDebtorAction,
  disconnectBbAction,
  goLiveAction,
  saveFlowsAction,
  saveOrderMappingsAction,
  saveSettingsStepAction,
  testBbAction,
  uninstallAction,
} from "./actions";

export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale, t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  // The wizard is all changes (credentials, flows, going live): a viewer gets the reason, not the steps.
  if (ctx.role !== "admin") {
    return (
      <>
        <PageHeader title={t("page.setup.title")} />
        <ReadOnlyNote t={t} body="role.readOnly.setup" />
      </>
    );
  }
  const sp = await searchParams;
  const state = await getWizardState(db(), ctx.tenantId);
  const asked = Number(sp.step);
  const reachable = state.steps.filter((s) => s.reachable).map((s) => s.n);
  const step = Number.isInteger(asked) && reachable.includes(asked) ? asked : state.onboarded && !sp.step ? 7 : state.current;
  const problems = typeof sp.problem === "string" ? sp.problem.split(",").filter((p) => p.startsWith("wizard.problem.")) : [];
  const date = typeof sp.date === "string" ? sp.date : undefined;
  // Only the shown step's data is loaded: steps 5 and 6 call Lightspeed.
  const [status, settingsStep, mappingsStep, dryRunStep] = await Promise.all([
    getConnectionStatus(db(), ctx.tenantId),
    step === 4 ? loadSettingsStep(db(), ctx.tenantId) : null,
    step === 5 ? loadMappingsStep(db(), ctx.tenantId) : null,
    step === 6 ? loadDryRunStep(db(), ctx.tenantId, date) : null,
  ]);

  return (
    <>
      <PageHeader title={t("page.setup.title")} />
      <nav aria-label={t("wizard.progress")} className="mb-6">
        <p className="mb-2 text-sm text-ink-muted">{fill(t("wizard.stepOf"), { n: step, total: 7 })}</p>
        <ol className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7">
          {state.steps.map((s) => {
            const label = t(`wizard.step.${WIZARD_STEPS[s.n - 1]}` as MessageKey);
            const cls = `block h-full rounded-md border px-2 py-2 text-sm [overflow-wrap:anywhere] lg:text-xs ${s.n === step ? "border-brand bg-brand-soft font-semibold text-brand-strong" : s.done ? "border-ok/40 text-ink" : "border-line text-ink-muted"}`;
            const content = (
              <>
                <span aria-hidden="true">{s.done ? "✓ " : `${s.n}. `}</span>
                {label}
                {s.done && <span className="sr-only"> ({t("wizard.done")})</span>}
              </>
            );
            return (
              <li key={s.n}>
                {s.reachable ? (
                  <Link href={`/setup?step=${s.n}`} aria-current={s.n === step ? "step" : undefined} className={cls}>{content}</Link>
                ) : (
                  <span className={cls} aria-disabled="true">{content}</span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>
      {problems.length > 0 && (
        <div role="alert" className="mb-4 rounded-md bg-danger-soft p-3 text-sm text-danger">
          <p className="font-semibold">{t("wizard.problems")}</p>
          <ul className="list-disc pl-5">{problems.map((p) => <li key={p}>{t(p as MessageKey)}</li>)}</ul>
        </div>
      )}
      <section aria-labelledby="step-title" className={card}>
        <h2 id="step-title" className="text-lg font-semibold">{t(`wizard.step.${WIZARD_STEPS[step - 1]}` as MessageKey)}</h2>
        <p className="mt-1 mb-4 text-sm text-ink-muted">{t(`wizard.intro.${WIZARD_STEPS[step - 1]}` as MessageKey)}</p>
        {step === 1 && <StepLightspeed status={status} next={completeStepAction} t={t} />}
        {step === 2 && (
          <StepBb status={status} partnerAvailable={partnerModeAvailable()} actions={{ connect: connectBbAction, test: testBbAction, disconnect: disconnectBbAction, next: completeStepAction }} t={t} locale={locale} />
        )}
        {step === 3 && <StepFlows flows={state.progress.flows ?? ["orders"]} save={saveFlowsAction} t={t} />}
        {settingsStep && <StepSettings data={settingsStep} save={saveSettingsStepAction} createWalkIn={createWalkInDebtorAction} t={t} locale={locale} />}
        {mappingsStep && <StepMappings loaded={mappingsStep} save={saveOrderMappingsAction} t={t} locale={locale} />}
        {dryRunStep && <StepDryRun data={dryRunStep} confirm={confirmDryRunAction} t={t} locale={locale} />}
        {step === 7 && <GoLivePanel live={state.onboarded} goLive={goLiveAction} />}
      </section>
      {state.onboarded && (
        <section aria-labelledby="danger-title" className={`${card} mt-6 border-danger/40`}>
          <h2 id="danger-title" className="text-lg font-semibold text-danger">{t("setup.danger.title")}</h2>
          <p className="mt-1 max-w-2xl text-sm text-ink-muted">{t("setup.danger.body")}</p>
          <div className="mt-4"><UninstallButton action={uninstallAction} /></div>
        </section>
      )}
    </>
  );
}

