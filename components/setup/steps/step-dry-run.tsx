import { actionErrorText } from "@/lib/actions/action-state";
import type { Locale } from "@/lib/i18n/messages";
import type { DryRunStepData } from "@/lib/onboarding/setup-steps";
import { DryRunTables } from "../../wizard/dry-run-table";
import { primary } from "./styles";
import type { FormAction, T } from "./types";

/** Step 6: how one business day would be booked; nothing is sent. */
export function StepDryRun({ data, confirm, t, locale }: { data: DryRunStepData; confirm: FormAction; t: T; locale: Locale }) {
  const { day, outcome } = data;
  const body = outcome.ok ? (
    <DryRunTables result={outcome.value.result} paymentTypeNames={outcome.value.paymentTypeNames} locale={locale} t={t} />
  ) : (
    <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{actionErrorText(locale, outcome.error)}</p>
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
      <form action={confirm}>
        <input type="hidden" name="date" value={day} />
        <button type="submit" className={primary}>{t("wizard.dry.confirm")}</button>
      </form>
    </div>
  );
}
