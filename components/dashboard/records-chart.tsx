import type { DayCount } from "@/lib/dashboard/records-per-day";
import { fill, formatDate, formatNumber } from "@/lib/i18n/format";
import type { Locale, MessageKey } from "@/lib/i18n/messages";

/** Records synced and failed per day as an SVG bar chart, with the same numbers as a table for screen readers. */
export function RecordsChart({ days, locale, t }: { days: DayCount[]; locale: Locale; t: (k: MessageKey) => string }) {
  const max = Math.max(1, ...days.map((d) => d.synced + d.failed));
  const w = 28;
  const h = 140;
  const total = days.reduce((a, d) => a + d.synced + d.failed, 0);
  return (
    <figure className="rounded-[var(--radius-card)] border border-line bg-surface p-4">
      <figcaption className="font-semibold">{t("dash.chart.title")}</figcaption>
      {total === 0 ? (
        <p className="mt-3 text-sm text-ink-muted">{t("dash.chart.empty")}</p>
      ) : (
        <>
          <svg role="img" aria-label={t("dash.chart.title")} viewBox={`0 0 ${days.length * w} ${h + 20}`} className="mt-3 h-44 w-full" preserveAspectRatio="none">
            {days.map((d, i) => {
              const sh = (d.synced / max) * h;
              const fh = (d.failed / max) * h;
              return (
                <g key={d.date}>
                  <title>{fill(t("dash.chart.bar"), { date: formatDate(d.date, locale), synced: formatNumber(d.synced, locale), failed: formatNumber(d.failed, locale) })}</title>
                  <rect x={i * w + 4} y={h - sh - fh} width={w - 8} height={sh} className="fill-brand" />
                  <rect x={i * w + 4} y={h - fh} width={w - 8} height={fh} className="fill-danger" />
                </g>
              );
            })}
          </svg>
          <div className="mt-2 flex gap-4 text-xs text-ink-muted">
            <span className="inline-flex items-center gap-1"><span aria-hidden="true" className="h-2 w-2 bg-brand" />{t("dash.chart.synced")}</span>
            <span className="inline-flex items-center gap-1"><span aria-hidden="true" className="h-2 w-2 bg-danger" />{t("dash.chart.failed")}</span>
          </div>
          <div className="sr-only">
          <table>
            <caption>{t("dash.chart.title")}</caption>
            <thead>
              <tr><th scope="col">{t("common.date")}</th><th scope="col">{t("dash.chart.synced")}</th><th scope="col">{t("dash.chart.failed")}</th></tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}><td>{formatDate(d.date, locale)}</td><td>{d.synced}</td><td>{d.failed}</td></tr>
              ))}
            </tbody>
          </table>
          </div>
        </>
      )}
    </figure>
  );
}
