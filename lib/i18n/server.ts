import { cookies, headers } from "next/headers";
import { LOCALES, negotiateLocale, translate, type Locale, type MessageKey } from "./messages";

export const LOCALE_COOKIE = "bb_locale";

/** The user's choice (cookie) wins; otherwise the browser's languages. */
export async function getLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (chosen && (LOCALES as string[]).includes(chosen)) return chosen as Locale;
  return negotiateLocale((await headers()).get("accept-language"));
}

export async function getT(): Promise<{ locale: Locale; t: (key: MessageKey) => string }> {
  const locale = await getLocale();
  return { locale, t: (key) => translate(locale, key) };
}
