import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { FlowCards } from "@/components/dashboard/flow-cards";
import { OpenItems } from "@/components/dashboard/open-items";
import { Reconciliation } from "@/components/dashboard/reconciliation";
import { RecordsChart } from "@/components/dashboard/records-chart";
import { PageHeader } from "@/components/empty-state";
import { ViewerLock } from "@/components/read-only";
import { SignInRequired } from "@/components/sign-in-required";
import { getTenantContext } from "@/lib/auth/session";
import { getLiveStatus } from "@/lib/dashboard/live-status";
import { loadOpenItems } from "@/lib/dashboard/open-items";
import { loadReconciliation } from "@/lib/dashboard/reconciliation";
import { recordsPerDay } from "@/lib/dashboard/records-per-day";
import { db } from "@/lib/db";
import { getT } from "@/lib/i18n/server";
import { syncNowAction } from "./actions";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale, t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  if (ctx.tenantStatus === "onboarding") redirect("/setup");
  // Started now, awaited inside the Suspense boundary: both APIs are slow and the rest should not wait.
  const reconciliation = loadReconciliation(db(), ctx.tenantId);
  // Reads every sale since the start date: only when the merchant asks for it.
  const openItems = (await searchParams).openItems === "1" ? loadOpenItems(db(), ctx.tenantId) : null;
  const [status, days] = await Promise.all([getLiveStatus(db(), ctx.tenantId), recordsPerDay(db(), ctx.tenantId, { days: 14 })]);
  return (
    <>
      <PageHeader title={t("page.dashboard.title")} />
      <div className="space-y-8">
        <ViewerLock role={ctx.role} t={t}>
          <FlowCards initial={status} syncNow={syncNowAction} />
        </ViewerLock>
        <RecordsChart days={days} locale={locale} t={t} />
        <section aria-labelledby="recon-title" className="space-y-3">
          <h2 id="recon-title" className="text-lg font-semibold">{t("dash.recon.title")}</h2>
          <p className="text-sm text-ink-muted">{t("dash.recon.intro")}</p>
          <Suspense fallback={<p className="text-sm text-ink-muted" aria-busy="true">{t("common.loading")}</p>}>
            <Reconciliation view={reconciliation} locale={locale} t={t} />
          </Suspense>
        </section>
        <section aria-labelledby="open-items-title" className="space-y-3">
          <h2 id="open-items-title" className="text-lg font-semibold">{t("dash.openItems.title")}</h2>
          <p className="text-sm text-ink-muted">{t("dash.openItems.intro")}</p>
          {openItems ? (
            <Suspense fallback={<p className="text-sm text-ink-muted" aria-busy="true">{t("common.loading")}</p>}>
              <OpenItems view={openItems} locale={locale} t={t} />
            </Suspense>
          ) : (
            <Link className="text-brand-strong underline" href="/?openItems=1#open-items-title">{t("dash.openItems.run")}</Link>
          )}
        </section>
      </div>
    </>
  );
}
