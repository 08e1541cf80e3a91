import type { MessageKey } from "@/lib/i18n/messages";

export type T = (k: MessageKey) => string;
/** A server action that takes the submitted form (passed in by the page: components never import app/). */
export type FormAction = (form: FormData) => Promise<void>;
