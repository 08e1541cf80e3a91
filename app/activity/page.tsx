import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { SignInRequired } from "@/components/sign-in-required";
import { activityFilterSchema, listActivity } from "@/lib/activity/list-activity";
import { getTenantContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { toUserFacing } from "@/lib/errors/app-error";
import { formatDateTime } from "@/lib/i18n/format";
import type { MessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";

const RESULT_STYLE: Record<string, string> = {
  created: "bg-ok-soft text-ok",
  updated: "bg-brand-soft text-brand-strong",
  skipped: "bg-surface-muted text-ink-muted",
  failed: "bg-danger-soft text-danger",
  info: "bg-surface-muted text-ink-muted",
};

export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale, t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  const sp = await searchParams;
  const raw = Object.fromEntries(Object.entries(sp).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const filter = activityFilterSchema.parse(raw);
  const after = typeof sp.after === "string" ? sp.after : null;
  let page;
  let error: string | null = null;
  try {
    page = await listActivity(db(), ctx.tenantId, filter, { after, limit: 50 });
  } catch (e) {
    error = toUserFacing(e, locale).detail ?? toUserFacing(e, locale).message;
  }
  const qs = (extra: Record<string, string>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filter, ...extra })) if (v) p.set(k, String(v));
    return p.toString();
  };
  const input = "mt-1 w-full rounded-md border border-line bg-surface px-2 py-1.5 text-sm";
  const filtered = Object.values(filter).some(Boolean);

  return (
    <>
      <PageHeader title={t("page.activity.title")}>
        {ctx.role === "admin" && (
          <a href={`/api/activity/export?${qs({})}`} download className="rounded-md border border-line bg-surface px-3 py-2 text-sm font-medium hover:bg-surface-muted">
            {t("activity.export")}
          </a>
        )}
      </PageHeader>
      <form method="get" role="search" aria-label={t("activity.filters")} className="mb-4 grid gap-3 rounded-[var(--radius-card)] border border-line bg-surface p-4 sm:grid-cols-2 lg:grid-cols-6">
        <div className="lg:col-span-2">
          <label htmlFor="f-q" className="block text-sm text-ink-muted">{t("activity.search")}</label>
          <input id="f-q" name="q" type="search" defaultValue={filter.q ?? ""} placeholder={t("activity.search.placeholder")} className={input} />
        </div>
        <div>
          <label htmlFor="f-flow" className="block text-sm text-ink-muted">{t("activity.flow")}</label>
          <select id="f-flow" name="flow" defaultValue={filter.flow ?? ""} className={input}>
            <option value="">{t("activity.all")}</option>
            {(["orders", "products", "stock", "system"] as const).map((f) => <option key={f} value={f}>{t(`flow.${f}` as MessageKey)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-result" className="block text-sm text-ink-muted">{t("activity.result")}</label>
          <select id="f-result" name="result" defaultValue={filter.result ?? ""} className={input}>
            <option value="">{t("activity.all")}</option>
            {(["created", "updated", "skipped", "failed", "info"] as const).map((r) => <option key={r} value={r}>{t(`result.${r}` as MessageKey)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-from" className="block text-sm text-ink-muted">{t("activity.from")}</label>
          <input id="f-from" name="from" type="date" defaultValue={filter.from ?? ""} className={input} />
        </div>
        <div>
          <label htmlFor="f-to" className="block text-sm text-ink-muted">{t("activity.to")}</label>
          <input id="f-to" name="to" type="date" defaultValue={filter.to ?? ""} className={input} />
        </div>
        <div className="flex items-end gap-2 lg:col-span-6">
          <button type="submit" className="rounded-md bg-brand px-4 py-2 text-sm font-medium text-white hover:bg-brand-strong">{t("activity.apply")}</button>
          {filtered && <Link href="/activity" className="rounded-md px-3 py-2 text-sm text-ink-muted underline">{t("activity.reset")}</Link>}
        </div>
      </form>
      {error && <p role="alert" className="mb-4 rounded-md bg-danger-soft p-3 text-sm text-danger">{error}</p>}
      {page && page.rows.length === 0 && <EmptyState>{filtered ? t("activity.noMatch") : t("page.activity.empty")}</EmptyState>}
      {page && page.rows.length > 0 && (
        <div className="overflow-x-auto rounded-[var(--radius-card)] border border-line bg-surface">
          <table className="w-full text-left text-sm" data-testid="activity-table">
            <caption className="sr-only">{t("page.activity.title")}</caption>
            <thead className="bg-surface-muted text-ink-muted">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">{t("activity.time")}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("activity.flow")}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("activity.reference")}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("activity.result")}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("activity.message")}</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id} className="border-t border-line align-top">
                  <td className="whitespace-nowrap px-3 py-2">{formatDateTime(r.createdAt, locale)}</td>
                  <td className="px-3 py-2">{t(`flow.${r.flow}` as MessageKey)}</td>
                  <td className="px-3 py-2">
                    <Link href={`/activity/${r.id}`} className="font-medium text-brand-strong underline">{r.reference ?? r.sourceId ?? `#${r.id}`}</Link>
                  </td>
                  <td className="px-3 py-2"><span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${RESULT_STYLE[r.result]}`}>{t(`result.${r.result}` as MessageKey)}</span></td>
                  <td className="px-3 py-2 break-words">{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && (after || page.next) && (
        <nav aria-label={t("activity.pages")} className="mt-4 flex gap-3">
          {after && <Link href={`/activity?${qs({})}`} className="rounded-md border border-line bg-surface px-3 py-2 text-sm">{t("activity.newest")}</Link>}
          {page.next && <Link href={`/activity?${qs({ after: page.next })}`} className="rounded-md border border-line bg-surface px-3 py-2 text-sm">{t("activity.older")}</Link>}
        </nav>
      )}
    </>
  );
}
