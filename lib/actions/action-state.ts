import { APP_ERROR_CODES, type AppErrorCode } from "../errors/app-error";
import { fill } from "../i18n/format";
import { messages, type Locale, type MessageKey } from "../i18n/messages";

/**
 * What a server action hands back to its form. Client components import these types (and the text helpers),
 * so this module must stay free of server-only imports. Errors travel as codes, not text: the browser renders
 * them in the viewer's language, and the server never needs to know it.
 */

/** Why one field was refused; rendered next to that field. */
export type FieldErrorCode = "required" | "tooShort" | "tooLong" | "range" | "email" | "date" | "format" | "choice" | "invalid";

export interface FieldError {
  code: FieldErrorCode;
  min?: number;
  max?: number;
}

export interface ActionError {
  code: AppErrorCode;
  /** The error's own detail (as the lib raised it), shown after the localised message. */
  detail?: string;
}

export interface ActionState {
  ok: boolean;
  /** A problem with the request as a whole. */
  error?: ActionError;
  /** Problems with single fields, keyed by the form field's name. */
  fieldErrors?: Record<string, FieldError>;
  savedAt?: number;
}

export interface BbActionState extends ActionState {
  /** The BuchhaltungsButler connection check's own code (`setup.bb.error.<code>`). */
  errorCode?: string;
}

export interface MappingFormState extends ActionState {
  warnings?: string[];
}

export interface RetryState extends ActionState {
  count?: number;
}

export interface TestEmailState extends ActionState {
  to?: string;
}

export interface ErasureState extends ActionState {
  /** What was erased: activity entries, inbox items, stored booking plans. */
  erased?: { logEntries: number; notifications: number; plans: number };
}

export const INITIAL_STATE: ActionState = { ok: false };

/** The localised text of a request-level error. */
export function actionErrorText(locale: Locale, error: ActionError): string {
  const message = APP_ERROR_CODES[error.code][locale];
  return error.detail && error.code !== "INTERNAL" ? `${message} (${error.detail})` : message;
}

/**
 * A field's error text: a message written for that field (`form.error.<form>.<field>`, `form.error.<form>` for
 * a form of like fields, or `form.error.<field>`) wins over the generic one for its code, so a field can say
 * what belongs in it.
 */
export function fieldErrorText(locale: Locale, field: string, error: FieldError, form?: string): string {
  const table: Record<string, string> = messages[locale];
  const specific = (form && (table[`form.error.${form}.${field}`] ?? table[`form.error.${form}`])) || table[`form.error.${field}`];
  const generic = messages[locale][`form.error.${error.code}` satisfies MessageKey];
  return fill(specific ?? generic, { min: error.min ?? "", max: error.max ?? "" });
}
