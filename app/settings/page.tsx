import { CheckboxField } from "@/components/checkbox-field";
import { PageHeader } from "@/components/empty-state";
import { ViewerLock } from "@/components/read-only";
import { BbConnectionActions } from "@/components/setup/bb-connection-actions";
import { UninstallButton } from "@/components/setup/uninstall-button";
import { SignInRequired } from "@/components/sign-in-required";
import { FieldErrorText, SimpleForm } from "@/components/simple-form";
import { EraseCustomerForm } from "@/components/settings/erase-customer-form";
import { TestEmailButton } from "@/components/test-email-button";
import { getTenantContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { MessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { mailConfigured } from "@/lib/notifications/mailer";
import { loadFlowSwitches, SCHEDULE_CHOICES } from "@/lib/settings/flow-switches";
import { CUTOFF_HOURS } from "@/lib/settings/settings-form";
import { loadOrderSettings } from "@/lib/sync/orders/order-settings";
import { getTenantSettings } from "@/lib/tenants/tenant-settings";
import { disconnectBbAction, testBbAction, uninstallAction } from "../setup/actions";
import { eraseCustomerAction, saveSettingsAction, testEmailAction } from "./actions";

const card = "rounded-[var(--radius-card)] border border-line bg-surface p-6";
const input = "mt-1 rounded-md border border-line bg-surface px-3 py-2 text-sm";

export default async function SettingsPage() {
  const { t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  const [flows, tenantSettings, { settings: orders }] = await Promise.all([loadFlowSwitches(db(), ctx.tenantId), getTenantSettings(db(), ctx.tenantId), loadOrderSettings(db(), ctx.tenantId)]);
  const retention = tenantSettings.logRetentionDays ?? env().DEFAULT_LOG_RETENTION_DAYS;
  const admin = ctx.role === "admin";
  return (
    <>
      <PageHeader title={t("nav.settings")} />
      <ViewerLock role={ctx.role} t={t}>
      <div className="space-y-6">
        <SimpleForm id="settings-form" action={saveSettingsAction}>
          <section aria-labelledby="flows-title" className={card}>
            <h2 id="flows-title" className="text-lg font-semibold">{t("settings.flows")}</h2>
            <div className="mt-3 grid gap-3 md:grid-cols-3">
              {flows.map((f) => (
                <fieldset key={f.flow} className="rounded-md border border-line p-3">
                  <legend className="px-1 font-medium">{t(`flow.${f.flow}` as MessageKey)}</legend>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name={`${f.flow}.enabled`} defaultChecked={f.enabled} />
                    {t("settings.flowOn")}
                  </label>
                  <label htmlFor={`${f.flow}-schedule`} className="mt-2 block text-sm text-ink-muted">{t("settings.schedule")}</label>
                  <select id={`${f.flow}-schedule`} name={`${f.flow}.schedule`} defaultValue={f.schedule ?? ""} className={input}>
                    <option value="">{t("settings.schedule.default")}</option>
                    {SCHEDULE_CHOICES.map((s) => <option key={s} value={s}>{t(`settings.schedule.${s}` as MessageKey)}</option>)}
                  </select>
                </fieldset>
              ))}
            </div>
          </section>
          <section aria-labelledby="orders-title" className={card}>
            <h2 id="orders-title" className="text-lg font-semibold">{t("settings.orders")}</h2>
            <div className="mt-3 grid gap-4 sm:grid-cols-2">
              <div>
                <label htmlFor="s-postingMode" className="block text-sm font-medium">{t("settings.postingMode")}</label>
                <select id="s-postingMode" name="postingMode" defaultValue={orders.postingMode} className={`${input} max-w-full`} aria-describedby="postingMode-help">
                  <option value="per_sale">{t("settings.postingMode.per_sale")}</option>
                  <option value="daily_summary">{t("settings.postingMode.daily_summary")}</option>
                </select>
                <p id="postingMode-help" className="mt-1 text-sm text-ink-muted">
                  {t("settings.postingMode.per_sale")}: {t("settings.postingMode.per_sale.help")} {t("settings.postingMode.daily_summary")}: {t("settings.postingMode.daily_summary.help")}
                </p>
              </div>
              <div>
                <label htmlFor="s-cutoff" className="block text-sm font-medium">{t("settings.cutoff")}</label>
                <select id="s-cutoff" name="cutoffHour" defaultValue={orders.cutoffHour} className={input} aria-describedby="cutoff-help">
                  {CUTOFF_HOURS.map((h) => <option key={h} value={h}>{String(h).padStart(2, "0")}:00</option>)}
                </select>
                <p id="cutoff-help" className="mt-1 text-sm text-ink-muted">{t("settings.cutoff.help")}</p>
              </div>
              <div>
                <label htmlFor="s-edits" className="block text-sm font-medium">{t("settings.edits")}</label>
                <select id="s-edits" name="editsAfterSync" defaultValue={orders.editsAfterSync} className={`${input} max-w-full`} aria-describedby="edits-help">
                  <option value="repost">{t("settings.edits.repost")}</option>
                  <option value="ignore">{t("settings.edits.ignore")}</option>
                </select>
                <p id="edits-help" className="mt-1 text-sm text-ink-muted">{t("settings.edits.help")}</p>
              </div>
              <CheckboxField name="updateExistingDebtors" defaultChecked={orders.updateExistingDebtors} label={t("settings.updateDebtors")} help={t("settings.updateDebtors.help")} className="gap-2 self-start" />
            </div>
          </section>
          <section aria-labelledby="privacy-title" className={card}>
            <h2 id="privacy-title" className="text-lg font-semibold">{t("settings.privacy")}</h2>
            <div className="mt-3 grid gap-4 sm:grid-cols-2">
              <div>
                <label htmlFor="s-retention" className="block text-sm font-medium">{t("settings.retention")}</label>
                <input id="s-retention" name="logRetentionDays" type="number" min={1} max={3650} defaultValue={retention} className={input} aria-describedby="retention-help" />
                <p id="retention-help" className="mt-1 text-sm text-ink-muted">{t("settings.retention.help")}</p>
                <FieldErrorText name="logRetentionDays" />
              </div>
              <CheckboxField name="redactPii" defaultChecked={tenantSettings.redactPii} label={t("settings.redact")} help={t("settings.redact.help")} className="gap-2 self-center" />
            </div>
          </section>
          <section aria-labelledby="mail-title" className={card}>
            <h2 id="mail-title" className="text-lg font-semibold">{t("settings.email")}</h2>
            <label htmlFor="s-email" className="mt-3 block text-sm font-medium">{t("settings.email.address")}</label>
            <input id="s-email" name="notificationEmail" type="email" autoComplete="email" defaultValue={tenantSettings.notificationEmail ?? ""} className={`${input} w-full max-w-md`} aria-describedby="email-help" />
            <p id="email-help" className="mt-1 text-sm text-ink-muted">{mailConfigured() ? t("settings.email.help") : t("settings.email.notConfigured")}</p>
            <FieldErrorText name="notificationEmail" />
          </section>
          <section aria-labelledby="access-title" className={card}>
            <h2 id="access-title" className="text-lg font-semibold">{t("settings.access")}</h2>
            <label htmlFor="s-staffAccess" className="mt-3 block text-sm font-medium">{t("settings.staffAccess")}</label>
            <select id="s-staffAccess" name="staffAccess" defaultValue={tenantSettings.staffAccess} className={`${input} max-w-full`} aria-describedby="staff-access-help">
              <option value="read_only">{t("settings.staffAccess.read_only")}</option>
              <option value="none">{t("settings.staffAccess.none")}</option>
            </select>
            <p id="staff-access-help" className="mt-1 max-w-2xl text-sm text-ink-muted">{t("settings.staffAccess.help")}</p>
          </section>
        </SimpleForm>
        {admin && (
        <>
        <section aria-labelledby="erase-title" className={card}>
          <h2 id="erase-title" className="text-lg font-semibold">{t("settings.erase.title")}</h2>
          <EraseCustomerForm action={eraseCustomerAction} />
        </section>
        <section aria-labelledby="testmail-title" className={card}>
          <h2 id="testmail-title" className="text-lg font-semibold">{t("settings.testEmail")}</h2>
          <p className="mt-1 mb-3 text-sm text-ink-muted">{t("settings.testEmail.help")}</p>
          <TestEmailButton action={testEmailAction} disabled={!mailConfigured() || !tenantSettings.notificationEmail} />
        </section>
        <section aria-labelledby="conn-title" className={card}>
          <h2 id="conn-title" className="text-lg font-semibold">{t("settings.connections")}</h2>
          <p className="mt-1 mb-3 text-sm text-ink-muted">{t("setup.bb.intro")}</p>
          <BbConnectionActions test={testBbAction} disconnect={disconnectBbAction} />
        </section>
        <section aria-labelledby="danger-title" className={`${card} border-danger/40`}>
          <h2 id="danger-title" className="text-lg font-semibold text-danger">{t("setup.danger.title")}</h2>
          <p className="mt-1 max-w-2xl text-sm text-ink-muted">{t("setup.danger.body")}</p>
          <div className="mt-4"><UninstallButton action={uninstallAction} /></div>
        </section>
        </>
        )}
      </div>
      </ViewerLock>
    </>
  );
}
