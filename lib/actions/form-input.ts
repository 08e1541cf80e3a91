import * as z from "zod";
import type { FieldError, FieldErrorCode } from "./action-state";

/* Form-field building blocks for the form schemas in lib/ (client-safe: no server imports). */

/** FormData as plain values; a name sent more than once (checkbox groups) becomes an array. */
export function formInput(form: FormData | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!form) return out;
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key).map(String);
    out[key] = all.length > 1 ? all : all[0]!;
  }
  return out;
}

/** A checkbox group: absent, one value or several all parse as an array. */
export function formArray<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || v === "" ? [] : [v].flat()), z.array(item));
}

/** A checkbox: "on" when ticked, absent otherwise. */
export const formCheckbox = z.literal("on").optional().transform((v) => v === "on");


/** A number field: empty means missing (not 0), anything else must satisfy the lib's own number schema. */
export function formNumber<T extends z.ZodType<number>>(schema: T) {
  return z.preprocess((v) => (v === undefined || v === "" ? undefined : Number(v)), schema);
}

function fieldErrorOf(issue: z.core.$ZodIssue): FieldError {
  const bound = (n: number | bigint) => Number(n);
  switch (issue.code) {
    case "invalid_type":
      return { code: issue.input === undefined || issue.input === "" ? "required" : "invalid" };
    case "too_small":
      if (issue.origin === "string") return { code: bound(issue.minimum) <= 1 ? "required" : "tooShort", min: bound(issue.minimum) };
      return { code: "range", min: bound(issue.minimum) };
    case "too_big":
      if (issue.origin === "string") return { code: "tooLong", max: bound(issue.maximum) };
      return { code: "range", max: bound(issue.maximum) };
    case "invalid_format": {
      const format: Partial<Record<string, FieldErrorCode>> = { email: "email", date: "date" };
      return { code: format[issue.format] ?? "format" };
    }
    case "invalid_union": {
      // "An e-mail or empty": what the first alternative wanted says more than "none matched".
      const first = issue.errors[0]?.[0];
      return first ? fieldErrorOf(first) : { code: "choice" };
    }
    case "invalid_value":
      return { code: "choice" };
    default:
      return { code: "invalid" };
  }
}

/** Zod's issues as one error per form field (the first one wins; the rest would repeat it). */
export function fieldErrorsOf(error: z.ZodError): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.map(String).join(".") : "form";
    out[field] ??= fieldErrorOf(issue);
  }
  return out;
}
