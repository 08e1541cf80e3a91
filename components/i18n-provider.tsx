"use client";

import { createContext, useContext, type ReactNode } from "react";
import { messages, type Locale, type MessageKey } from "@/lib/i18n/messages";

const LocaleContext = createContext<Locale>("de");

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useT(): { locale: Locale; t: (key: MessageKey) => string } {
  const locale = useContext(LocaleContext);
  return { locale, t: (key) => messages[locale][key] ?? messages.de[key] };
}
