"use client";

import { startTransition, type FormEvent } from "react";

/**
 * An onSubmit that runs a form action without React's reset of uncontrolled fields afterwards (it resets after
 * any `<form action>`, failed or not), so a refused value stays on screen to be corrected. Keep the form's
 * `action` as well: it is what a browser without JavaScript submits to.
 */
export function useSubmitKeepingValues(formAction: (data: FormData) => void): (e: FormEvent<HTMLFormElement>) => void {
  return (e) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  };
}
