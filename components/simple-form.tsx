"use client";

import { useActionState, useRef, useState, type ReactNode } from "react";
import { useT } from "./i18n-provider";
import { SaveBar } from "./save-bar";

interface State {
  ok: boolean;
  error?: string;
  savedAt?: number;
}

/** A server-rendered form with the contextual save bar: any edit marks it dirty until saved or discarded. */
export function SimpleForm({ id, action, children }: { id: string; action: (prev: State, form: FormData) => Promise<State>; children: ReactNode }) {
  const { t } = useT();
  const [dirty, setDirty] = useState(false);
  const [state, formAction, pending] = useActionState(async (prev: State, form: FormData) => {
    const result = await action(prev, form);
    if (result.ok) setDirty(false);
    return result;
  }, { ok: false });
  const ref = useRef<HTMLFormElement>(null);
  return (
    <form id={id} ref={ref} action={formAction} onChange={() => setDirty(true)} className="space-y-3">
      {children}
      {state.error && <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{state.error}</p>}
      <SaveBar
        dirty={dirty}
        saving={pending}
        formId={id}
        status={state.ok && state.savedAt ? t("save.saved") : null}
        onDiscard={() => {
          ref.current?.reset();
          setDirty(false);
        }}
      />
    </form>
  );
}
