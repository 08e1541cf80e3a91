import Link from "next/link";
import { PageHeader } from "@/components/empty-state";
import { OrderMappingForm } from "@/components/mappings/order-mapping-form";
import { BbConnectForm } from "@/components/setup/bb-connect-form";
import { BbConnectionActions } from "@/components/setup/bb-connection-actions";
import { UninstallButton } from "@/components/setup/uninstall-button";
import { SignInRequired } from "@/components/sign-in-required";
import { DryRunTables } from "@/components/wizard/dry-run-table";
import { GoLivePanel } from "@/components/wizard/go-live-panel";
import { getTenantContext } from "@/lib/auth/session";
import { partnerModeAvailable } from "@/lib/connections/connect-buchhaltungsbutler";
import { getConnectionStatus, type ConnectionStatusView } from "@/lib/connections/get-connection-status";
import { db } from "@/lib/db";
import { toUserFacing } from "@/lib/errors/app-error";
import { fill } from "@/lib/i18n/format";
import { bbErrorKey, type Locale, type MessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { createLightspeedClient } from "@/lib/lightspeed";
import { loadOrderMappings } from "@/lib/mapping/order-mappings";
import { listDebtorChoices, loadMappingContext } from "@/lib/onboarding/mapping-context";
import { getWizardState, WIZARD_STEPS } from "@/lib/onboarding/wizard-state";
import { dryRunDay } from "@/lib/sync/orders/dry-run-day";
import { loadOrderSettings } from "@/lib/sync/orders/order-settings";
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

type T = (k: MessageKey) => string;
const card = "rounded-[var(--radius-card)] border border-line bg-surface p-6";
const primary = "rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-brand-strong disabled:opacity-60";

export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale, t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  const sp = await searchParams;
  const state = await getWizardState(db(), ctx.tenantId);
  const asked = Number(sp.step);
  const reachable = state.steps.filter((s) => s.reachable).map((s) => s.n);
  const step = Number.isInteger(asked) && reachable.includes(asked) ? asked : state.onboarded && !sp.step ? 7 : state.current;
  const problems = typeof sp.problem === "string" ? sp.problem.split(",").filter((p) => p.startsWith("wizard.problem.")) : [];
  const status = await getConnectionStatus(db(), ctx.tenantId);

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
        {step === 1 && <StepLightspeed status={status} t={t} />}
        {step === 2 && <StepBb status={status} t={t} locale={locale} />}
        {step === 3 && <StepFlows flows={state.progress.flows ?? ["orders"]} t={t} />}
        {step === 4 && <StepSettings tenantId={ctx.tenantId} t={t} locale={locale} />}
        {step === 5 && <StepMappings tenantId={ctx.tenantId} t={t} locale={locale} />}
        {step === 6 && <StepDryRun tenantId={ctx.tenantId} date={typeof sp.date === "string" ? sp.date : undefined} t={t} locale={locale} />}
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

function NextButton({ step, t }: { step: number; t: T }) {
  return (
    <form action={completeStepAction} className="mt-6">
      <input type="hidden" name="step" value={step} />
      <button type="submit" className={primary}>{t("wizard.next")}</button>
    </form>
  );
}

function StepLightspeed({ status, t }: { status: ConnectionStatusView; t: T }) {
  if (status.lightspeed.status !== "connected") {
    return (
      <div role="alert" className="rounded-md bg-warn-soft p-3 text-sm">
        <p>{t("setup.ls.needsReauth")}</p>
        <a href="/install" className="mt-2 inline-block font-medium text-brand-strong underline">{t("setup.ls.reconnect")}</a>
      </div>
    );
  }
  return (
    <>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-ink-muted">{t("setup.ls.connected")}</dt>
        <dd data-testid="ls-account-name" className="font-medium">{status.lightspeed.accountName}</dd>
        <dt className="text-ink-muted">{t("setup.ls.account")}</dt>
        <dd>{status.lightspeed.accountId}</dd>
        <dt className="text-ink-muted">{t("setup.ls.shops")}</dt>
        <dd>
          <ul data-testid="ls-shops">
            {status.lightspeed.shops.map((s) => <li key={s.shopId}>{s.name} <span className="text-ink-muted">({s.timeZone})</span></li>)}
          </ul>
        </dd>
      </dl>
      <NextButton step={1} t={t} />
    </>
  );
}

function StepBb({ status, t, locale }: { status: ConnectionStatusView; t: T; locale: Locale }) {
  const bb = status.buchhaltungsbutler;
  const connected = bb.status === "connected" || bb.status === "error";
  if (!connected) return <BbConnectForm action={connectBbAction} partnerAvailable={partnerModeAvailable()} />;
  return (
    <div className="space-y-3">
      <p data-testid="bb-status" className={`font-medium ${bb.status === "connected" ? "text-ok" : "text-danger"}`}>
        {t(bb.status === "connected" ? "setup.bb.status.connected" : "setup.bb.status.error")}
        {bb.lastError && <span className="ml-2 font-normal">{t(bbErrorKey(bb.lastError.code))}</span>}
      </p>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-ink-muted">{t("setup.bb.chart")}</dt>
        <dd data-testid="bb-chart" className="font-medium">{bb.chart && bb.chart !== "unknown" ? bb.chart : t("setup.bb.chart.unknown")}</dd>
        <dt className="text-ink-muted">{t("setup.bb.debtorMode")}</dt>
        <dd className={bb.debtorMode === "off" ? "text-danger" : undefined}>
          {t(bb.debtorMode === "usable" ? "setup.bb.debtorMode.usable" : bb.debtorMode === "off" ? "setup.bb.debtorMode.off" : "setup.bb.debtorMode.unknown")}
        </dd>
        <dt className="text-ink-muted">{t("setup.bb.paymentAccounts")}</dt>
        <dd><ul>{bb.paymentAccounts.map((a) => <li key={a.number}>{a.number} · {a.name}</li>)}</ul></dd>
      </dl>
      {bb.problems.length > 0 && (
        <ul className="list-disc rounded-md bg-warn-soft p-3 pl-8 text-sm">
          {bb.problems.map((p) => <li key={p.code}>{locale === "de" ? p.message_de : p.message_en}</li>)}
        </ul>
      )}
      <BbConnectionActions test={testBbAction} disconnect={disconnectBbAction} />
      <NextButton step={2} t={t} />
    </div>
  );
}

function StepFlows({ flows, t }: { flows: string[]; t: T }) {
  return (
    <form action={saveFlowsAction} className="space-y-4">
      <fieldset className="space-y-3">
        <legend className="sr-only">{t("wizard.step.flows")}</legend>
        {(["orders", "products", "stock"] as const).map((f) => (
          <label key={f} className="flex gap-3 rounded-md border border-line p-3">
            <input type="checkbox" name="flows" value={f} defaultChecked={flows.includes(f)} className="mt-1" />
            <span>
              <span className="block font-medium">{t(`flow.${f}` as MessageKey)}</span>
              <span className="block text-sm text-ink-muted">{t(`wizard.flows.${f}` as MessageKey)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className={primary}>{t("wizard.saveContinue")}</button>
    </form>
  );
}

async function StepSettings({ tenantId, t }: { tenantId: string; t: T; locale: Locale }) {
  const [{ settings }, mappings] = await Promise.all([loadOrderSettings(db(), tenantId), loadOrderMappings(db(), tenantId)]);
  let debtors: { number: number; name: string }[] = [];
  let debtorError: string | null = null;
  try {
    debtors = await listDebtorChoices(db(), tenantId);
  } catch (e) {
    debtorError = toUserFacing(e).message;
  }
  const current = mappings.defaultDebtor;
  if (current && !debtors.some((d) => d.number === current.postingAccountNumber)) debtors.unshift({ number: current.postingAccountNumber, name: current.name });
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date());
  const input = "mt-1 rounded-md border border-line bg-surface px-3 py-2 text-sm";
  return (
    <div className="space-y-6">
      <form action={saveSettingsStepAction} id="settings-step" className="grid gap-5 sm:grid-cols-2">
        <fieldset className="sm:col-span-2">
          <legend className="text-sm font-medium">{t("settings.postingMode")}</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {(["per_sale", "daily_summary"] as const).map((m) => (
              <label key={m} className="flex gap-3 rounded-md border border-line p-3">
                <input type="radio" name="postingMode" value={m} defaultChecked={settings.postingMode === m} className="mt-1" />
                <span>
                  <span className="block font-medium">{t(`settings.postingMode.${m}` as MessageKey)}</span>
                  <span className="block text-sm text-ink-muted">{t(`settings.postingMode.${m}.help` as MessageKey)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor="startDate" className="block text-sm font-medium">{t("settings.startDate")}</label>
          <input id="startDate" name="startDate" type="date" required max={today} defaultValue={settings.startDate ?? today} className={input} aria-describedby="startDate-help" />
          <p id="startDate-help" className="mt-1 text-sm text-ink-muted">{t("settings.startDate.help")}</p>
        </div>
        <div>
          <label htmlFor="cutoffHour" className="block text-sm font-medium">{t("settings.cutoff")}</label>
          <select id="cutoffHour" name="cutoffHour" defaultValue={settings.cutoffHour} className={input} aria-describedby="cutoff-help">
            {Array.from({ length: 13 }, (_, h) => <option key={h} value={h}>{String(h).padStart(2, "0")}:00</option>)}
          </select>
          <p id="cutoff-help" className="mt-1 text-sm text-ink-muted">{t("settings.cutoff.help")}</p>
        </div>
        <div>
          <label htmlFor="defaultDebtor" className="block text-sm font-medium">{t("settings.defaultDebtor")}</label>
          <select id="defaultDebtor" name="defaultDebtor" defaultValue={current ? `${current.postingAccountNumber}|${current.name}` : ""} className={`${input} w-full`} aria-describedby="debtor-help">
            <option value="">{t("settings.defaultDebtor.choose")}</option>
            {debtors.map((d) => <option key={d.number} value={`${d.number}|${d.name}`}>{d.number} · {d.name}</option>)}
          </select>
          <p id="debtor-help" className="mt-1 text-sm text-ink-muted">{debtorError ?? t("settings.defaultDebtor.help")}</p>
        </div>
        <label className="flex items-start gap-3 self-end rounded-md border border-line p-3">
          <input type="checkbox" name="updateExistingDebtors" defaultChecked={settings.updateExistingDebtors} className="mt-1" />
          <span>
            <span className="block text-sm font-medium">{t("settings.updateDebtors")}</span>
            <span className="block text-sm text-ink-muted">{t("settings.updateDebtors.help")}</span>
          </span>
        </label>
      </form>
      <form action={createWalkInDebtorAction}>
        <button type="submit" className="rounded-md border border-line px-3 py-2 text-sm font-medium hover:bg-surface-muted">{t("settings.createWalkIn")}</button>
      </form>
      <button type="submit" form="settings-step" className={primary}>{t("wizard.saveContinue")}</button>
    </div>
  );
}

async function StepMappings({ tenantId, t, locale }: { tenantId: string; t: T; locale: Locale }) {
  const loaded = await loadMappingContext(db(), tenantId).then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, message: toUserFacing(e, locale).message }),
  );
  if (!loaded.ok) return <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{loaded.message}</p>;
  const mc = loaded.v;
  return (
    <>
      <p className="mb-4 rounded-md bg-brand-soft p-3 text-sm">{fill(t("wizard.mappings.chart"), { chart: mc.mappings.chart ?? "?" })}</p>
      <OrderMappingForm
        initial={mc.values}
        paymentTypes={mc.paymentTypes.map((p) => ({ id: p.paymentTypeId, name: p.name, kind: p.kind }))}
        accounts={mc.accounts}
        action={saveOrderMappingsAction}
        formId="wizard-mappings"
        wizard
      />
    </>
  );
}

async function StepDryRun({ tenantId, date, t, locale }: { tenantId: string; date?: string; t: T; locale: Locale }) {
  const { settings } = await loadOrderSettings(db(), tenantId);
  const day = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : (settings.startDate ?? new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date()));
  const ls = createLightspeedClient({ database: db(), tenantId });
  const outcome = await Promise.all([dryRunDay(db(), ls, tenantId, day), ls.listPaymentTypes()]).then(
    ([result, types]) => ({ ok: true as const, result, names: Object.fromEntries(types.map((p) => [p.paymentTypeId, p.name])) }),
    (e: unknown) => ({ ok: false as const, message: toUserFacing(e, locale).detail ?? toUserFacing(e, locale).message }),
  );
  const body = outcome.ok ? (
    <DryRunTables result={outcome.result} paymentTypeNames={outcome.names} locale={locale} t={t} />
  ) : (
    <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{outcome.message}</p>
  );
  return (
    <div className="space-y-6">
      <form method="get" className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="step" value="6" />
        <div>
          <label htmlFor="dry-date" className="block text-sm font-medium">{t("wizard.dry.date")}</label>
          <input id="dry-date" name="date" type="date" defaultValue={day} className="mt-1 rounded-md border border-line bg-surface px-3 py-2 text-sm" />
        </div>
        <button type="submit" className="rounded-md border border-line px-3 py-2 text-sm font-medium hover:bg-surface-muted">{t("wizard.dry.show")}</button>
      </form>
      <p className="rounded-md bg-brand-soft p-3 text-sm">{t("wizard.dry.nothingSent")}</p>
      {body}
      <form action={confirmDryRunAction}>
        <input type="hidden" name="date" value={day} />
        <button type="submit" className={primary}>{t("wizard.dry.confirm")}</button>
      </form>
    </div>
  );
}
