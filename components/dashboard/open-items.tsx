import type { OpenItemsView } from "@/lib/dashboard/open-items";
import { APP_ERROR_CODES } from "@/lib/errors/app-error";
import { fill, formatMoney } from "@/lib/i18n/format";
import type { Locale, MessageKey } from "@/lib/i18n/messages";

type Comparison = Extract<OpenItemsView, { kind: "items" }>["comparison"];

function summary(c: Comparison, t: (k: MessageKey) => string): string {
  if (c.ok) return c.rows.length === 1 ? t("dash.openItems.ok.one") : fill(t("dash.openItems.ok"), { n: c.rows.length });
  return c.differences === 1 ? t("dash.openItems.diff.one") : fill(t("dash.openItems.diff"), { n: c.differences });
}

/** Open items per customer: Lightspeed "on account" against the debtor's balance in BuchhaltungsButler. */
export async function OpenItems({ view, locale, t }: { view: Promise<OpenItemsView>; locale: Locale; t: (k: MessageKey) => string }) {
  const loaded = await view;
  if (loaded.kind === "none") return <p className="text-sm text-ink-muted">{t("dash.openItems.none")}</p>;
  if (loaded.kind === "failed") {
    return (
      <p role="alert" className="rounded-md bg-warn-soft p-3 text-sm">
        {t("dash.openItems.error")} {APP_ERROR_CODES[loaded.code][locale]}
      </p>
    );
  }
  const c = loaded.comparison;
  return (
    <div className="space-y-2 text-sm" data-testid="open-items">
      <p className={c.ok ? "text-ok" : "text-danger"}>{summary(c, t)}</p>
      {c.rows.length > 0 && (
        <div className="overflow-x-auto rounded-md border border-line bg-surface">
          <table className="w-full text-left">
            <caption className="sr-only">{t("dash.openItems.title")}</caption>
            <thead className="text-ink-muted">
              <tr>
                <th scope="col" className="px-3 py-1 font-medium">{t("dash.openItems.customer")}</th>
                <th scope="col" className="px-3 py-1 text-right font-medium">{t("dash.openItems.lightspeed")}</th>
                <th scope="col" className="px-3 py-1 text-right font-medium">{t("dash.openItems.bb")}</th>
              </tr>
            </thead>
            <tbody>
              {c.rows.map((r) => (
                <tr key={`${r.customerId ?? ""}|${r.debtor ?? ""}`} className={r.lightspeed !== r.bb ? "text-danger" : undefined}>
                  <th scope="row" className="px-3 py-1 font-normal">
                    {r.name}
                    {/* Under the name, not a column of its own: on a phone the BB balance column was pushed out of sight. */}
                    <span className="block text-xs text-ink-muted tabular-nums">{r.debtor ? `${t("dash.openItems.debtor")} ${r.debtor}` : t("dash.openItems.noDebtor")}</span>
                  </th>
                  <td className="px-3 py-1 text-right tabular-nums">{formatMoney(r.lightspeed, locale)}</td>
                  <td className="px-3 py-1 text-right tabular-nums">{formatMoney(r.bb, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
