import { CheckboxField } from "@/components/checkbox-field";
import { APP_ERROR_CODES } from "@/lib/errors/app-error";
import type { Locale, MessageKey } from "@/lib/i18n/messages";
import type { SettingsStepData } from "@/lib/onboarding/setup-steps";
import { CUTOFF_HOURS } from "@/lib/settings/settings-form";
import { primary } from "./styles";
import type { FormAction, T } from "./types";

/** Step 4: the order basics every booking needs. */
export function StepSettings({ data, save, createWalkIn, t, locale }: { data: SettingsStepData; save: FormAction; createWalkIn: FormAction; t: T; locale: Locale }) {
  const { settings, today, current } = data;
  const debtors = data.debtors.ok ? data.debtors.value : [];
  const debtorError = data.debtors.ok ? null : APP_ERROR_CODES[data.debtors.error.code][locale];
  const input = "mt-1 rounded-md border border-line bg-surface px-3 py-2 text-sm";
  return (
    <div className="space-y-6">
      <form action={save} id="settings-step" className="grid gap-5 sm:grid-cols-2">
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
            {CUTOFF_HOURS.map((h) => <option key={h} value={h}>{String(h).padStart(2, "0")}:00</option>)}
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
        <CheckboxField name="updateExistingDebtors" defaultChecked={settings.updateExistingDebtors} label={t("settings.updateDebtors")} help={t("settings.updateDebtors.help")} className="gap-3 self-end rounded-md border border-line p-3" />
      </form>
      <form action={createWalkIn}>
        <button type="submit" className="rounded-md border border-line px-3 py-2 text-sm font-medium hover:bg-surface-muted">{t("settings.createWalkIn")}</button>
      </form>
      <button type="submit" form="settings-step" className={primary}>{t("wizard.saveContinue")}</button>
    </div>
  );
}
