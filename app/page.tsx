import { EmptyState, PageHeader } from "@/components/empty-state";
import { getT } from "@/lib/i18n/server";

export default async function DashboardPage() {
  const { t } = await getT();
  return (
    <>
      <PageHeader title={t("page.dashboard.title")} />
      <EmptyState>{t("page.dashboard.empty")}</EmptyState>
    </>
  );
}
