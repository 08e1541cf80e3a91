import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { MarkReadOnView } from "@/components/mark-read-on-view";
import { ReadOnlyNote } from "@/components/read-only";
import { RetryAllButton } from "@/components/retry-all-button";
import { SignInRequired } from "@/components/sign-in-required";
import { getTenantContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { fill, formatDateTime } from "@/lib/i18n/format";
import type { MessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { listNotifications } from "@/lib/notifications/list-notifications";
import { renderNotice } from "@/lib/notifications/notice-message";
import { listFailedRecords } from "@/lib/sync/list-failed-records";
import type { LinkEntity } from "@/lib/sync/links";
import { dismissAction, markAllReadAction, retryAllAction } from "./actions";

const SEVERITY: Record<string, string> = { fatal: "border-danger bg-danger-soft", error: "border-danger/40", warning: "border-warn/50", info: "border-line" };

export default async function NotificationsPage() {
  const { locale, t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  const items = await listNotifications(db(), ctx.tenantId, { include: "open" });
  const counts = await Promise.all(items.map((n) => (n.entity ? listFailedRecords(db(), ctx.tenantId, { entity: n.entity as LinkEntity, dedupeKey: n.dedupeKey, limit: 500 }).then((r) => r.length) : Promise.resolve(0))));
  const unread = items.filter((n) => !n.read).length;
  // Read, dismissed and retried are the tenant's shared state: a viewer looking at the inbox changes none of it.
  const admin = ctx.role === "admin";
  return (
    <>
      <PageHeader title={t("page.notifications.title")}>
        {admin && unread > 0 && (
          <form action={markAllReadAction}>
            <button type="submit" className="rounded-md border border-line bg-surface px-3 py-2 text-sm">{t("inbox.markAllRead")}</button>
          </form>
        )}
      </PageHeader>
      {admin ? <MarkReadOnView action={markAllReadAction} unread={unread} /> : <ReadOnlyNote t={t} />}
      {items.length === 0 ? (
        <EmptyState>{t("page.notifications.empty")}</EmptyState>
      ) : (
        <ul className="space-y-3" data-testid="inbox">
          {items.map((n, i) => {
            const shown = renderNotice(n, locale);
            return (
              <li key={n.id} data-testid="inbox-item" className={`rounded-[var(--radius-card)] border bg-surface p-4 ${SEVERITY[n.severity]}`}>
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="font-semibold">
                      {!n.read && <span className="mr-2 rounded bg-brand px-1.5 py-0.5 text-xs text-white">{t("inbox.new")}</span>}
                      {shown.headline}
                    </p>
                    <p className="mt-1 break-words text-sm" data-testid="inbox-detail">{shown.text}</p>
                    {shown.fixHint && <p className="mt-1 text-sm"><span className="font-medium">{t("inbox.fix")}</span> {shown.fixHint}</p>}
                    <p className="mt-1 text-xs text-ink-muted">
                      {formatDateTime(n.updatedAt, locale)}
                      {n.occurrences > 1 && ` · ${fill(t("inbox.occurrences"), { n: n.occurrences })}`}
                    </p>
                  </div>
                  <div className="flex flex-wrap items-center gap-2">
                    {n.link && <Link href={n.link} prefetch={false} className="rounded-md border border-line px-3 py-1.5 text-sm">{t(n.link.startsWith("/activity") ? "inbox.openRecord" : "inbox.openSetting" as MessageKey)}</Link>}
                    {admin && n.severity !== "fatal" && n.entity && <RetryAllButton id={n.id} count={counts[i] ?? 0} action={retryAllAction} />}
                    {admin && n.severity !== "fatal" && (
                      <form action={dismissAction}>
                        <input type="hidden" name="id" value={n.id} />
                        <button type="submit" className="rounded-md px-3 py-1.5 text-sm text-ink-muted hover:bg-surface-muted">{t("inbox.dismiss")}</button>
                      </form>
                    )}
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
