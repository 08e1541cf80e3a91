"use client";

import { useActionState } from "react";
import { actionErrorText, type TestEmailState } from "@/lib/actions/action-state";
import { fill } from "@/lib/i18n/format";
import { useT } from "./i18n-provider";

const INITIAL: TestEmailState = { ok: false };

export function TestEmailButton({ action, disabled }: { action: (prev: TestEmailState) => Promise<TestEmailState>; disabled: boolean }) {
  const { t, locale } = useT();
  const [state, formAction, pending] = useActionState(action, INITIAL);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <button type="submit" disabled={pending || disabled} className="rounded-md border border-line px-3 py-1.5 text-sm font-medium hover:bg-surface-muted disabled:opacity-50">
        {pending ? t("settings.testEmail.sending") : t("settings.testEmail")}
      </button>
      <span aria-live="polite" className="text-sm">
        {state.ok && <span className="text-ok">{fill(t("settings.testEmail.sent"), { to: state.to ?? "" })}</span>}
        {state.error && <span className="text-danger">{actionErrorText(locale, state.error)}</span>}
      </span>
    </form>
  );
}
