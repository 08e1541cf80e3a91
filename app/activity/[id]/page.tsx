import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/empty-state";
import { ResyncButton } from "@/components/resync-button";
import { SignInRequired } from "@/components/sign-in-required";
import { getActivityEntry } from "@/lib/activity/get-activity-entry";
import { getTenantContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatDateTime } from "@/lib/i18n/format";
import type { MessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { resyncEntryAction } from "../actions";

function Json({ value, label, empty }: { value: unknown; label: string; empty: string }) {
  return (
    <section aria-label={label} className="min-w-0 rounded-[var(--radius-card)] border border-line bg-surface">
      <h2 className="border-b border-line px-3 py-2 text-sm font-semibold">{label}</h2>
      {value === null || value === undefined ? (
        <p className="p-3 text-sm text-ink-muted">{empty}</p>
      ) : (
        <pre tabIndex={0} className="max-h-[32rem] overflow-auto p-3 text-xs leading-relaxed">{JSON.stringify(value, null, 2)}</pre>
      )}
    </section>
  );
}

export default async function ActivityEntryPage({ params }: { params: Promise<{ id: string }> }) {
  const { locale, t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  const { id } = await params;
  if (!/^\d{1,15}$/.test(id)) notFound();
  const entry = await getActivityEntry(db(), ctx.tenantId, Number(id));
  if (!entry) notFound();
  return (
    <>
      <p className="mb-2 text-sm"><Link href="/activity" className="text-brand-strong underline">← {t("page.activity.title")}</Link></p>
      <PageHeader title={`${t(`flow.${entry.flow}` as MessageKey)} · ${entry.reference ?? entry.sourceId ?? `#${entry.id}`}`}>
        {entry.resyncable && ctx.role === "admin" && <ResyncButton id={entry.id} action={resyncEntryAction} />}
      </PageHeader>
      <dl className="mb-6 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-ink-muted">{t("activity.time")}</dt>
        <dd>{formatDateTime(entry.createdAt, locale)}</dd>
        <dt className="text-ink-muted">{t("activity.result")}</dt>
        <dd data-testid="entry-result">{t(`result.${entry.result}` as MessageKey)}{entry.errorCode ? ` (${entry.errorCode})` : ""}</dd>
        <dt className="text-ink-muted">{t("activity.message")}</dt>
        <dd>{entry.message}</dd>
        {entry.link && (
          <>
            <dt className="text-ink-muted">{t("activity.currentState")}</dt>
            <dd data-testid="entry-link-status">{t(`link.${entry.link.status}` as MessageKey)}{entry.link.lastError?.fixHint ? ` — ${entry.link.lastError.fixHint}` : ""}</dd>
          </>
        )}
      </dl>
      <div className="grid gap-4 lg:grid-cols-3">
        <Json value={entry.sourcePayload} label={t("activity.fromLs")} empty={t("activity.nothing")} />
        <Json value={entry.transformedPayload} label={t("activity.sentToBb")} empty={t("activity.nothing")} />
        <Json value={entry.targetResponse} label={t("activity.bbAnswer")} empty={t("activity.nothing")} />
      </div>
    </>
  );
}
