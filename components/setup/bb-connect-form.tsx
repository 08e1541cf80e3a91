"use client";

import { useActionState, useState } from "react";
import { useT } from "@/components/i18n-provider";
import { useSubmitKeepingValues } from "@/components/use-submit-keeping-values";
import { bbErrorKey, type MessageKey } from "@/lib/i18n/messages";
import { FieldError } from "@/components/field-error";
import type { BbActionState } from "@/lib/actions/action-state";

export function BbConnectForm({
  action,
  partnerAvailable,
}: {
  action: (prev: BbActionState, form: FormData) => Promise<BbActionState>;
  partnerAvailable: boolean;
}) {
  const { t } = useT();
  const [mode, setMode] = useState<"partner" | "own">(partnerAvailable ? "partner" : "own");
  const [state, formAction, pending] = useActionState<BbActionState, FormData>(action, { ok: false });
  const submit = useSubmitKeepingValues(formAction);
  const field = (name: string, label: MessageKey, type = "text") => (
    <div>
      <label htmlFor={`bb-${name}`} className="block text-sm font-medium text-ink">
        {t(label)}
      </label>
      <input
        id={`bb-${name}`}
        name={name}
        type={type}
        autoComplete="off"
        spellCheck={false}
        required
        aria-invalid={state.fieldErrors?.[name] ? true : undefined}
        aria-describedby={state.fieldErrors?.[name] ? `bb-${name}-error` : undefined}
        className="mt-1 w-full rounded-md border border-line bg-surface px-3 py-2 font-mono text-sm"
      />
      <FieldError state={state} name={name} id={`bb-${name}-error`} />
    </div>
  );
  return (
    <form action={formAction} onSubmit={submit} className="space-y-4">
      <fieldset>
        <legend className="text-sm font-medium text-ink">{t("setup.bb.mode")}</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {(partnerAvailable ? (["partner", "own"] as const) : (["own"] as const)).map((m) => (
            <label key={m} className={`flex cursor-pointer gap-3 rounded-md border p-3 ${mode === m ? "border-brand bg-brand-soft" : "border-line"}`}>
              <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} className="mt-1" />
              <span>
                <span className="block font-medium">{t(m === "partner" ? "setup.bb.mode.partner" : "setup.bb.mode.own")}</span>
                <span className="mt-1 block text-sm text-ink-muted">{t(m === "partner" ? "setup.bb.mode.partner.help" : "setup.bb.mode.own.help")}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {mode === "own" && (
        <div className="grid gap-4 sm:grid-cols-2">
          {field("apiClient", "setup.bb.apiClient")}
          {field("apiSecret", "setup.bb.apiSecret", "password")}
        </div>
      )}
      {field("apiKey", "setup.bb.apiKey", mode === "own" ? "password" : "text")}
      <div aria-live="polite">
        {state.errorCode && (
          <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
            {t(bbErrorKey(state.errorCode))}
          </p>
        )}
        {state.ok && <p className="rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">{t("setup.bb.saved")}</p>}
      </div>
      <button type="submit" disabled={pending} className="rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-brand-strong disabled:opacity-60">
        {pending ? t("setup.bb.connecting") : t("setup.bb.connect")}
      </button>
    </form>
  );
}
