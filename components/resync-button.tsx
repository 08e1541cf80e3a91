"use client";

import { useActionState } from "react";
import { actionErrorText, INITIAL_STATE, type ActionState } from "@/lib/actions/action-state";
import { useT } from "./i18n-provider";

export function ResyncButton({ id, action }: { id: number; action: (prev: ActionState, form: FormData) => Promise<ActionState> }) {
  const { t, locale } = useT();
  const [state, formAction, pending] = useActionState(action, INITIAL_STATE);
  return (
    <form action={formAction} className="flex items-center gap-3">
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} className="rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-strong disabled:opacity-60">
        {pending ? t("activity.resyncing") : t("activity.resync")}
      </button>
      <span aria-live="polite" className="text-sm">
        {state.ok && <span className="text-ok">{t("activity.resyncQueued")}</span>}
        {state.error && <span className="text-danger">{actionErrorText(locale, state.error)}</span>}
      </span>
    </form>
  );
}
