import type { Locale } from "./messages";

const TAG: Record<Locale, string> = { de: "de-DE", en: "en-GB" };
const TZ = "Europe/Berlin";

/** Integer cents as money in the merchant's locale ("1.234,56 €" / "€1,234.56"). */
export function formatMoney(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(TAG[locale], { style: "currency", currency: "EUR" }).format(cents / 100);
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(TAG[locale]).format(n);
}

/** A business date (YYYY-MM-DD) as a local date, without time-zone shifts. */
export function formatDate(isoDate: string, locale: Locale): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(TAG[locale], { dateStyle: "medium", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatDateTime(instant: Date | string, locale: Locale): string {
  return new Intl.DateTimeFormat(TAG[locale], { dateStyle: "medium", timeStyle: "short", timeZone: TZ }).format(new Date(instant));
}

/** "in 40 s", "in 3 min" — for the rate-limit budget and ETAs. */
export function formatDuration(seconds: number, locale: Locale): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return new Intl.NumberFormat(TAG[locale], { style: "unit", unit: "second", unitDisplay: "short" }).format(s);
  if (s < 5400) return new Intl.NumberFormat(TAG[locale], { style: "unit", unit: "minute", unitDisplay: "short" }).format(Math.round(s / 60));
  return new Intl.NumberFormat(TAG[locale], { style: "unit", unit: "hour", unitDisplay: "short", maximumFractionDigits: 1 }).format(s / 3600);
}

/** Fills {name} placeholders of a message. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
