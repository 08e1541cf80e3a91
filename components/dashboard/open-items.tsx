import type { OpenItemsView } from "@/lib/dashboard/open-items";
import { APP_ERROR_CODES } from "@/lib/errors/app-error";
import { fill, formatMoney } from "@/lib/i18n/format";
import type { Locale, MessageKey } from "@/lib/i18n/messages";

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
      <p className={c.ok ? "text-ok" : "text-danger"}>{c.ok ? fill(t("dash.openItems.ok"), { n: c.rows.length }) : fill(t("dash.openItems.diff"), { n: c.differences })}</p>
      {c.rows.length > 0 && (
        <div className="overflow-x-auto rounded-md border border-line bg-surface">
          <table className="w-full text-left">
            <caption className="sr-only">{t("dash.openItems.title")}</caption>
            <thead className="text-ink-muted">
              <tr>
                <th scope="col" className="px-3 py-1 font-medium">{t("dash.openItems.customer")}</th>
                <th scope="col" className="px-3 py-1 font-medium">{t("dash.openItems.debtor")}</th>
                <th scope="col" className="px-3 py-1 text-right font-medium">{t("dash.openItems.lightspeed")}</th>
                <th scope="col" className="px-3 py-1 text-right font-medium">{t("dash.openItems.bb")}</th>
              </tr>
            </thead>
            <tbody>
              {c.rows.map((r) => (
                <tr key={`${r.customerId ?? ""}|${r.debtor ?? ""}`} className={r.lightspeed !== r.bb ? "text-danger" : undefined}>
                  <th scope="row" className="px-3 py-1 font-normal">{r.name}</th>
                  <td className="px-3 py-1 tabular-nums">{r.debtor ?? t("dash.openItems.noDebtor")}</td>
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
