"use client";

import { useActionState } from "react";
import { actionErrorText, type ErasureState } from "@/lib/actions/action-state";
import { fill } from "@/lib/i18n/format";
import { FieldError } from "../field-error";
import { useT } from "../i18n-provider";

const INITIAL: ErasureState = { ok: false };

/** Settings → Privacy: a customer's erasure request, by e-mail or Lightspeed customer number. */
export function EraseCustomerForm({ action }: { action: (prev: ErasureState, form: FormData) => Promise<ErasureState> }) {
  const { t, locale } = useT();
  const [state, formAction, pending] = useActionState(action, INITIAL);
  return (
    <form action={formAction} className="mt-3 space-y-2">
      <label htmlFor="erase-customer" className="block text-sm font-medium">{t("settings.erase.label")}</label>
      <div className="flex flex-wrap items-start gap-3">
        <input
          id="erase-customer"
          name="customer"
          required
          autoComplete="off"
          aria-describedby="erase-help erase-customer-error"
          className="w-full max-w-md rounded-md border border-line bg-surface px-3 py-2 text-sm"
        />
        <button type="submit" disabled={pending} className="rounded-md border border-danger/60 px-3 py-2 text-sm font-medium text-danger hover:bg-danger-soft disabled:opacity-50">
          {pending ? t("settings.erase.working") : t("settings.erase.button")}
        </button>
      </div>
      <FieldError state={state} name="customer" id="erase-customer-error" form="erase" />
      <p id="erase-help" className="text-sm text-ink-muted">{t("settings.erase.help")}</p>
      <p aria-live="polite" className="text-sm">
        {state.ok && state.erased && <span className="text-ok">{fill(t("settings.erase.done"), { log: state.erased.logEntries, inbox: state.erased.notifications, plans: state.erased.plans })}</span>}
        {state.error && <span className="text-danger">{state.error.code === "NOT_FOUND" ? t("settings.erase.notFound") : actionErrorText(locale, state.error)}</span>}
      </p>
    </form>
  );
}
