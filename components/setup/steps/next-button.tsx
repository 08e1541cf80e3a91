import { primary } from "./styles";
import type { FormAction, T } from "./types";

/** "Next" on a step without a form of its own: the server validates the step before moving on. */
export function NextButton({ step, action, t }: { step: number; action: FormAction; t: T }) {
  return (
    <form action={action} className="mt-6">
      <input type="hidden" name="step" value={step} />
      <button type="submit" className={primary}>{t("wizard.next")}</button>
    </form>
  );
}
