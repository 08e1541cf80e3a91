import { redirect } from "next/navigation";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { SignInRequired } from "@/components/sign-in-required";
import { getTenantContext } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";

export default async function DashboardPage() {
  const { t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  if (ctx.tenantStatus === "onboarding") redirect("/setup");
  return (
    <>
      <PageHeader title={t("page.dashboard.title")} />
      <EmptyState>{t("page.dashboard.empty")}</EmptyState>
    </>
  );
}
