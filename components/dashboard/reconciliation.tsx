import Link from "next/link";
import { createBbClient } from "@/lib/buchhaltungsbutler";
import { db } from "@/lib/db";
import { toUserFacing } from "@/lib/errors/app-error";
import { fill, formatDate, formatMoney } from "@/lib/i18n/format";
import type { Locale, MessageKey } from "@/lib/i18n/messages";
import { createLightspeedClient } from "@/lib/lightspeed";
import { loadOrderSettings } from "@/lib/sync/orders/order-settings";
import { reconcileDays, type DayReconciliation } from "@/lib/sync/orders/reconcile-days";
import { addDays } from "@/lib/time";

const VAT_LABEL: Record<string, string> = { "19_vat": "19 %", "7_vat": "7 %", "0_none": "0 %" };

/** Lightspeed vs BuchhaltungsButler for the last few business days, each day expandable to its differences. */
export async function Reconciliation({ tenantId, locale, t, days = 3 }: { tenantId: string; locale: Locale; t: (k: MessageKey) => string; days?: number }) {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date());
  const { settings } = await loadOrderSettings(db(), tenantId);
  // Days before the first synced business day are not ours to reconcile (nothing was meant to be in BB).
  const first = addDays(today, -(days - 1));
  const from = settings.startDate && settings.startDate > first ? settings.startDate : first;
  if (from > today) return <p className="text-sm text-ink-muted">{t("dash.recon.none")}</p>;
  let result: DayReconciliation[];
  try {
    const database = db();
    result = await reconcileDays(database, { ls: createLightspeedClient({ database, tenantId }), bb: createBbClient({ database, tenantId }) }, tenantId, { from, to: today });
  } catch (e) {
    return (
      <p role="alert" className="rounded-md bg-warn-soft p-3 text-sm">
        {t("dash.recon.error")} {toUserFacing(e, locale).message}
      </p>
    );
  }
  return (
    <ul className="space-y-2">
      {result.reverse().map((d) => (
        <li key={d.date} data-testid={`recon-${d.date}`} className="rounded-md border border-line bg-surface">
          <details>
            <summary className="flex cursor-pointer flex-wrap items-center gap-3 px-3 py-2">
              <span className="font-medium">{formatDate(d.date, locale)}</span>
              <span className={d.ok ? "text-ok" : "text-danger"}>{d.ok ? t("dash.recon.ok") : fill(t("dash.recon.diff"), { n: d.differences.length })}</span>
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
