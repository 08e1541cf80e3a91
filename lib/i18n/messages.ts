/** UI strings. German is the default: the merchants and their tax advisors are German. */
export const messages = {
  de: {
    "app.name": "Butlerbridge",
    "app.tagline": "Lightspeed → BuchhaltungsButler",
    "nav.dashboard": "Übersicht",
    "nav.setup": "Einrichtung",
    "nav.mappings": "Zuordnungen",
    "nav.activity": "Aktivität",
    "nav.notifications": "Benachrichtigungen",
    "nav.main": "Hauptnavigation",
    "locale.switch": "Sprache",
    "page.dashboard.title": "Übersicht",
    "page.dashboard.empty": "Noch nichts synchronisiert. Richten Sie zuerst die Verbindungen ein.",
    "page.setup.title": "Einrichtung",
    "page.setup.empty": "Verbinden Sie Lightspeed und BuchhaltungsButler, um zu beginnen.",
    "page.mappings.title": "Zuordnungen",
    "page.mappings.empty": "Zuordnungen stehen bereit, sobald beide Verbindungen eingerichtet sind.",
    "page.activity.title": "Aktivität",
    "page.activity.empty": "Noch keine Aktivität.",
    "page.notifications.title": "Benachrichtigungen",
    "page.notifications.empty": "Keine Benachrichtigungen. Alles in Ordnung.",
    "skip.content": "Zum Inhalt springen",
  },
  en: {
    "app.name": "Butlerbridge",
    "app.tagline": "Lightspeed → BuchhaltungsButler",
    "nav.dashboard": "Dashboard",
    "nav.setup": "Setup",
    "nav.mappings": "Mappings",
    "nav.activity": "Activity",
    "nav.notifications": "Notifications",
    "nav.main": "Main navigation",
    "locale.switch": "Language",
    "page.dashboard.title": "Dashboard",
    "page.dashboard.empty": "Nothing synced yet. Set up the connections first.",
    "page.setup.title": "Setup",
    "page.setup.empty": "Connect Lightspeed and BuchhaltungsButler to get started.",
    "page.mappings.title": "Mappings",
    "page.mappings.empty": "Mappings become available once both connections are set up.",
    "page.activity.title": "Activity",
    "page.activity.empty": "No activity yet.",
    "page.notifications.title": "Notifications",
    "page.notifications.empty": "No notifications. Everything is fine.",
    "skip.content": "Skip to content",
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)["de"];
export const LOCALES: Locale[] = ["de", "en"];

export function translate(locale: Locale, key: MessageKey): string {
  return messages[locale][key] ?? messages.de[key];
}

/** Picks the first supported language from an Accept-Language header. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim().toLowerCase() ?? "";
    const base = tag.split("-")[0];
    if (base === "de" || base === "en") return base;
  }
  return "de";
}
