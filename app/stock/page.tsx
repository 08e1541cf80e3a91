import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { ViewerLock } from "@/components/read-only";
import { SignInRequired } from "@/components/sign-in-required";
import { FieldErrorText, SimpleForm } from "@/components/simple-form";
import { getTenantContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { fill, formatDate, formatMoney, formatNumber } from "@/lib/i18n/format";
import type { MessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { AVAILABLE_FORMULAS } from "@/lib/sync/stock/available-stock";
import { loadStockPage } from "@/lib/sync/stock/load-stock-page";
import { saveStockSettingsAction } from "./actions";

const card = "rounded-[var(--radius-card)] border border-line bg-surface p-6";
const input = "mt-1 w-full rounded-md border border-line bg-surface px-3 py-2 text-sm";
const num = "px-3 py-2 text-right tabular-nums";

export default async function StockPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale, t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  const sp = await searchParams;
  const str = (k: string) => (typeof sp[k] === "string" ? sp[k] : undefined);
  const data = await loadStockPage(db(), ctx.tenantId, { shopId: str("shop"), search: str("q"), page: Number(str("page") ?? 1) || 1 });
  const { settings } = data;
  const href = (page: number) => {
    const p = new URLSearchParams();
    if (data.shopId) p.set("shop", data.shopId);
    if (data.search) p.set("q", data.search);
    if (page > 1) p.set("page", String(page));
    const qs = p.toString();
    return qs ? `/stock?${qs}` : "/stock";
  };
  const accountPlaceholder = (n: number | undefined) => (n === undefined ? t("stock.settings.account.noChart") : fill(t("stock.settings.account.default"), { account: n }));

  return (
    <>
      <PageHeader title={t("page.stock.title")}>
        {/* The list can be 50 rows long: the settings and valuations below it stay one click away. */}
        <nav aria-label={t("stock.jump")} className="flex gap-3 text-sm">
          <a href="#stock-settings-title" className="underline">{t("stock.settings.title")}</a>
          <a href="#valuations-title" className="underline">{t("stock.valuations.title")}</a>
        </nav>
      </PageHeader>
      <div className="space-y-6">
        {!data.enabled && <p className="rounded-md bg-warn-soft p-3 text-sm">{t("stock.flowOff")}</p>}
        <form method="get" role="search" aria-label={t("stock.filters")} className="grid gap-3 rounded-[var(--radius-card)] border border-line bg-surface p-4 sm:grid-cols-[1fr_2fr_auto] sm:items-end">
          <div>
            <label htmlFor="st-shop" className="block text-sm text-ink-muted">{t("stock.shop")}</label>
            <select id="st-shop" name="shop" defaultValue={data.shopId ?? ""} className={input}>
              <option value="">{t("stock.shop.all")}</option>
              {data.shops.map((s) => <option key={s.shopId} value={s.shopId}>{s.name}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="st-q" className="block text-sm text-ink-muted">{t("stock.search")}</label>
            <input id="st-q" name="q" type="search" defaultValue={data.search} placeholder={t("stock.search.placeholder")} className={input} />
          </div>
          <button type="submit" className="rounded-md bg-brand px-4 py-2 text-sm font-medium text-white hover:bg-brand-strong">{t("stock.filter")}</button>
        </form>

        <section aria-labelledby="stock-list-title">
          <h2 id="stock-list-title" className="mb-1 text-lg font-semibold">
            {fill(t("stock.list.title"), { shop: data.shopId ? (data.shops.find((s) => s.shopId === data.shopId)?.name ?? data.shopId) : t("stock.shop.all") })}
          </h2>
          <p className="mb-3 text-sm text-ink-muted">
            {fill(t("stock.list.formula"), { formula: t(`stock.formula.${settings.availableFormula}` as MessageKey) })} · {fill(t("stock.list.count"), { n: formatNumber(data.total, locale) })}
          </p>
          {data.rows.length === 0 ? (
            <EmptyState>{data.search ? t("stock.list.noMatch") : t("stock.list.empty")}</EmptyState>
          ) : (
            <div className="overflow-x-auto rounded-[var(--radius-card)] border border-line bg-surface">
              <table className="w-full text-sm">
                <caption className="sr-only">{t("page.stock.title")}</caption>
                <thead className="bg-surface-muted text-left">
                  <tr>
                    <th scope="col" className="px-3 py-2 font-medium">{t("stock.col.item")}</th>
                    <th scope="col" className={`${num} font-medium`}>{t("stock.col.available")}</th>
                    <th scope="col" className={`${num} font-medium`}>{t("stock.col.onHand")}</th>
                    <th scope="col" className={`${num} font-medium`}>{t("stock.col.layaway")}</th>
                    <th scope="col" className={`${num} font-medium`}>{t("stock.col.specialOrder")}</th>
                    <th scope="col" className={`${num} font-medium`}>{t("stock.col.workOrder")}</th>
                    <th scope="col" className={`${num} font-medium`}>{t("stock.col.incoming")}</th>
                    <th scope="col" className={`${num} font-medium`}>{t("stock.col.value")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={r.itemId} className="border-t border-line">
                      <th scope="row" className="px-3 py-2 text-left font-normal">
                        <span className="block font-mono text-xs">{r.sku ?? r.itemId}</span>
                        <span className="block">{r.description ?? "—"}{r.variant ? ` · ${t("stock.variant")}` : ""}</span>
                      </th>
                      <td className={`${num} font-semibold`}>{formatNumber(r.available, locale)}</td>
                      <td className={`${num} ${r.onHand < 0 ? "text-danger" : ""}`}>{formatNumber(r.onHand, locale)}</td>
                      <td className={num}>{formatNumber(r.onLayaway, locale)}</td>
                      <td className={num}>{formatNumber(r.onSpecialOrder, locale)}</td>
                      <td className={num}>{formatNumber(r.onWorkOrder, locale)}</td>
                      <td className={num}>{formatNumber(r.incoming, locale)}</td>
                      <td className={num}>
                        {formatMoney(r.valueCents, locale)}
                        {r.costMissing && <span className="block text-xs text-warn">{t("stock.noCost")}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {data.pageCount > 1 && (
            <nav aria-label={t("stock.pages")} className="mt-3 flex items-center gap-3 text-sm">
              {data.page > 1 && <Link href={href(data.page - 1)} className="rounded-md border border-line px-3 py-1.5">{t("stock.prev")}</Link>}
              <span>{fill(t("stock.pageOf"), { page: data.page, pages: data.pageCount })}</span>
              {data.page < data.pageCount && <Link href={href(data.page + 1)} className="rounded-md border border-line px-3 py-1.5">{t("stock.next")}</Link>}
            </nav>
          )}
        </section>

        <ViewerLock role={ctx.role} t={t}>
          <SimpleForm id="stock-settings" action={saveStockSettingsAction}>
            <section aria-labelledby="stock-settings-title" className={card}>
              <h2 id="stock-settings-title" className="text-lg font-semibold">{t("stock.settings.title")}</h2>
              <div className="mt-3 grid gap-4 sm:grid-cols-2">
                <div className="sm:col-span-2">
                  <label htmlFor="st-formula" className="block text-sm font-medium">{t("stock.settings.formula")}</label>
                  <select id="st-formula" name="availableFormula" defaultValue={settings.availableFormula} className={input} aria-describedby="st-formula-help">
                    {AVAILABLE_FORMULAS.map((f) => <option key={f} value={f}>{t(`stock.formula.${f}` as MessageKey)}</option>)}
                  </select>
                  <p id="st-formula-help" className="mt-1 text-sm text-ink-muted">{t("stock.settings.formula.help")}</p>
                  <FieldErrorText name="availableFormula" />
                </div>
                <label className="flex items-start gap-2 text-sm sm:col-span-2">
                  <input type="checkbox" name="managedInBb" defaultChecked={settings.managedInBb} className="mt-1" />
                  <span>
                    <span className="block font-medium">{t("stock.settings.managed")}</span>
                    <span className="block text-ink-muted">{t("stock.settings.managed.help")}</span>
                  </span>
                </label>
                <div>
                  <label htmlFor="st-stockAccount" className="block text-sm font-medium">{t("stock.settings.stockAccount")}</label>
                  <input id="st-stockAccount" name="stockAccount" inputMode="numeric" defaultValue={settings.stockAccount ?? ""} placeholder={accountPlaceholder(data.defaultAccounts?.stock)} className={input} />
                  <FieldErrorText name="stockAccount" />
                </div>
                <div>
                  <label htmlFor="st-stockChangeAccount" className="block text-sm font-medium">{t("stock.settings.stockChangeAccount")}</label>
                  <input id="st-stockChangeAccount" name="stockChangeAccount" inputMode="numeric" defaultValue={settings.stockChangeAccount ?? ""} placeholder={accountPlaceholder(data.defaultAccounts?.stockChange)} className={input} />
                  <FieldErrorText name="stockChangeAccount" />
                </div>
                <div>
                  <label htmlFor="st-frequency" className="block text-sm font-medium">{t("stock.settings.frequency")}</label>
                  <select id="st-frequency" name="valuationFrequency" defaultValue={settings.valuationFrequency} className={input}>
                    {(["month", "quarter", "year"] as const).map((f) => <option key={f} value={f}>{t(`stock.frequency.${f}`)}</option>)}
                  </select>
                  <FieldErrorText name="valuationFrequency" />
                </div>
                <div>
                  <label htmlFor="st-first" className="block text-sm font-medium">{t("stock.settings.first")}</label>
                  <select id="st-first" name="firstValuation" defaultValue={settings.firstValuation} className={input}>
                    <option value="baseline">{t("stock.first.baseline")}</option>
                    <option value="post_full_value">{t("stock.first.post_full_value")}</option>
                  </select>
                  <FieldErrorText name="firstValuation" />
                </div>
                <p className="text-sm text-ink-muted sm:col-span-2">{t("stock.settings.accounts.help")}</p>
              </div>
            </section>
          </SimpleForm>
        </ViewerLock>

        <section aria-labelledby="valuations-title" className={card}>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="valuations-title" className="text-lg font-semibold">{t("stock.valuations.title")}</h2>
            <Link href="/activity?flow=stock&q=Bestandsbewertung" className="text-sm underline">{t("stock.valuations.log")}</Link>
          </div>
          {data.valuations.length === 0 ? (
            <p className="mt-2 text-sm text-ink-muted">{settings.managedInBb ? t("stock.valuations.none") : t("stock.valuations.off")}</p>
          ) : (
            <div className="mt-3 overflow-x-auto">
              <table className="w-full text-sm">
                <thead className="text-left">
                  <tr>
                    <th scope="col" className="px-3 py-2 font-medium">{t("stock.valuations.period")}</th>
                    <th scope="col" className="px-3 py-2 font-medium">{t("stock.valuations.status")}</th>
                    <th scope="col" className={`${num} font-medium`}>{t("stock.valuations.value")}</th>
                    <th scope="col" className={`${num} font-medium`}>{t("stock.valuations.posted")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.valuations.map((v) => (
                    <tr key={v.period} className="border-t border-line">
                      <th scope="row" className="px-3 py-2 text-left font-normal">{v.period} <span className="text-ink-muted">({formatDate(v.periodEndDate, locale)})</span></th>
                      <td className="px-3 py-2">{t(`stock.valuation.${v.status}` as MessageKey)}</td>
                      <td className={num}>{formatMoney(v.valueCents, locale)}</td>
                      <td className={num}>{formatMoney(v.postedCents, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </>
  );
}
