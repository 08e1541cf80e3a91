"use client";

import { fieldErrorText, type ActionState } from "@/lib/actions/action-state";
import { useT } from "./i18n-provider";

/** A field's error from the last submit, rendered right under that field (`id` is for its aria-describedby). */
export function FieldError({ state, name, id, form }: { state: ActionState; name: string; id: string; form?: string }) {
  const { locale } = useT();
  const error = state.fieldErrors?.[name];
  if (!error) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-sm text-danger">
      {fieldErrorText(locale, name, error, form)}
    </p>
  );
}
