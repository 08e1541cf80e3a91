import Link from "next/link";
import type { ReconciliationView } from "@/lib/dashboard/reconciliation";
import { APP_ERROR_CODES } from "@/lib/errors/app-error";
import { fill, formatDate, formatMoney } from "@/lib/i18n/format";
import type { Locale, MessageKey } from "@/lib/i18n/messages";

const VAT_LABEL: Record<string, string> = { "19_vat": "19 %", "7_vat": "7 %", "0_none": "0 %" };

/**
 * Lightspeed vs BuchhaltungsButler per business day, each day expandable to its differences. Takes the
 * loader's promise so the page can stream it behind a Suspense boundary while the rest renders.
 */
export async function Reconciliation({ view, locale, t }: { view: Promise<ReconciliationView>; locale: Locale; t: (k: MessageKey) => string }) {
  const loaded = await view;
  if (loaded.kind === "none") return <p className="text-sm text-ink-muted">{t("dash.recon.none")}</p>;
  if (loaded.kind === "failed") {
    return (
      <p role="alert" className="rounded-md bg-warn-soft p-3 text-sm">
        {t("dash.recon.error")} {APP_ERROR_CODES[loaded.code][locale]}
      </p>
    );
  }
  return (
    <ul className="space-y-2">
      {loaded.days.map((d) => (
        <li key={d.date} data-testid={`recon-${d.date}`} className="rounded-md border border-line bg-surface">
          <details>
            <summary className="flex cursor-pointer flex-wrap items-center gap-3 px-3 py-2">
              <span className="font-medium">{formatDate(d.date, locale)}</span>
              <span className={d.ok ? "text-ok" : "text-danger"}>{d.ok ? t("dash.recon.ok") : d.differences.length === 1 ? t("dash.recon.diff.one") : fill(t("dash.recon.diff"), { n: d.differences.length })}</span>
              <span className="text-sm text-ink-muted">
                {fill(t("dash.recon.summary"), { sales: d.expected.sales, expected: formatMoney(d.expected.gross, locale), actual: formatMoney(d.actual.gross, locale) })}
              </span>
            </summary>
            <div className="space-y-3 overflow-x-auto border-t border-line px-3 py-3 text-sm">
              <table className="w-full text-left">
                <caption className="sr-only">{fill(t("dash.recon.tableCaption"), { date: formatDate(d.date, locale) })}</caption>
                <thead className="text-ink-muted">
                  <tr>
                    <th scope="col" className="py-1 font-medium">{t("dash.recon.what")}</th>
                    <th scope="col" className="py-1 text-right font-medium">{t("dash.recon.expected")}</th>
                    <th scope="col" className="py-1 text-right font-medium">{t("dash.recon.actual")}</th>
                  </tr>
                </thead>
                <tbody>
                  <tr><th scope="row" className="py-1 font-normal">{t("dash.recon.gross")}</th><td className="text-right tabular-nums">{formatMoney(d.expected.gross, locale)}</td><td className="text-right tabular-nums">{formatMoney(d.actual.gross, locale)}</td></tr>
                  {["19_vat", "7_vat", "0_none"].map((v) => (
                    <tr key={v}><th scope="row" className="py-1 font-normal">{fill(t("dash.recon.vat"), { rate: VAT_LABEL[v]! })}</th><td className="text-right tabular-nums">{formatMoney(d.expected.byVat[v as "19_vat"] ?? 0, locale)}</td><td className="text-right tabular-nums">{formatMoney(d.actual.byVat[v as "19_vat"] ?? 0, locale)}</td></tr>
                  ))}
                  {Object.keys({ ...d.expected.byPaymentAccount, ...d.actual.byPaymentAccount }).map((a) => (
                    <tr key={a}><th scope="row" className="py-1 font-normal">{fill(t("dash.recon.account"), { account: a })}</th><td className="text-right tabular-nums">{formatMoney(d.expected.byPaymentAccount[a] ?? 0, locale)}</td><td className="text-right tabular-nums">{formatMoney(d.actual.byPaymentAccount[a] ?? 0, locale)}</td></tr>
                  ))}
                </tbody>
              </table>
              {d.unbookable.length > 0 && (
                <div>
                  <p className="font-medium">{t("dash.recon.unbookable")}</p>
                  <ul className="list-disc pl-5">
                    {d.unbookable.map((u) => (
                      <li key={u.saleId}>
                        <Link className="text-brand-strong underline" href={`/activity?q=${encodeURIComponent(u.ticketNumber || u.saleId)}`}>{u.ticketNumber || u.saleId}</Link>: {u.reason}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}
