import type { MessageKey } from "@/lib/i18n/messages";
import { primary } from "./styles";
import type { FormAction, T } from "./types";

/** Step 3: which flows run. */
export function StepFlows({ flows, save, t }: { flows: string[]; save: FormAction; t: T }) {
  return (
    <form action={save} className="space-y-4">
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
