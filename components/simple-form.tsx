"use client";

import { createContext, useActionState, useContext, useRef, useState, type ReactNode } from "react";
import { actionErrorText, INITIAL_STATE, type ActionState } from "@/lib/actions/action-state";
import { FieldError } from "./field-error";
import { useT } from "./i18n-provider";
import { useSubmitKeepingValues } from "./use-submit-keeping-values";
import { SaveBar } from "./save-bar";

const FormStateContext = createContext<{ formId: string; state: ActionState }>({ formId: "", state: INITIAL_STATE });

/**
 * A server-rendered form with the contextual save bar: any edit marks it dirty until saved or discarded.
 * A failed save keeps what the merchant typed (useSubmitKeepingValues).
 */
export function SimpleForm({ id, action, children }: { id: string; action: (prev: ActionState, form: FormData) => Promise<ActionState>; children: ReactNode }) {
  const { t, locale } = useT();
  const [dirty, setDirty] = useState(false);
  const [state, formAction, pending] = useActionState(async (prev: ActionState, form: FormData) => {
    const result = await action(prev, form);
    if (result.ok) setDirty(false);
    return result;
  }, INITIAL_STATE);
  const ref = useRef<HTMLFormElement>(null);
  const submit = useSubmitKeepingValues(formAction);
  return (
    <FormStateContext.Provider value={{ formId: id, state }}>
      <form id={id} ref={ref} action={formAction} onSubmit={submit} onChange={() => setDirty(true)} className="space-y-3">
        {children}
        {state.error && <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{actionErrorText(locale, state.error)}</p>}
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
    </FormStateContext.Provider>
  );
}

/** The error of one field of the surrounding SimpleForm, placed right under that field. */
export function FieldErrorText({ name }: { name: string }) {
  const { formId, state } = useContext(FormStateContext);
  return <FieldError state={state} name={name} id={`${formId}-${name}-error`} form={formId} />;
}
