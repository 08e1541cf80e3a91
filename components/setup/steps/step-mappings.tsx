import type { MappingFormState } from "@/lib/actions/action-state";
import { APP_ERROR_CODES } from "@/lib/errors/app-error";
import { fill } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/messages";
import type { MappingContext } from "@/lib/onboarding/mapping-context";
import type { Loaded } from "@/lib/onboarding/setup-steps";
import { OrderMappingForm } from "../../mappings/order-mapping-form";
import type { T } from "./types";

/** Step 5: payment types and tax rates → BB accounts, proposed for the chart of accounts. */
export function StepMappings({ loaded, save, t, locale }: { loaded: Loaded<MappingContext>; save: (prev: MappingFormState, form: FormData) => Promise<MappingFormState>; t: T; locale: Locale }) {
  if (!loaded.ok) return <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{APP_ERROR_CODES[loaded.error.code][locale]}</p>;
  const mc = loaded.value;
  return (
    <>
      <p className="mb-4 rounded-md bg-brand-soft p-3 text-sm">{fill(t("wizard.mappings.chart"), { chart: mc.mappings.chart ?? "?" })}</p>
      <OrderMappingForm
        initial={mc.values}
        paymentTypes={mc.paymentTypes.map((p) => ({ id: p.paymentTypeId, name: p.name, kind: p.kind }))}
        accounts={mc.accounts}
        action={save}
        formId="wizard-mappings"
        wizard
      />
    </>
  );
}
