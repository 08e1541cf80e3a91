import { EmptyState, PageHeader } from "@/components/empty-state";
import { getT } from "@/lib/i18n/server";

export default async function ActivityPage() {
  const { t } = await getT();
  return (
    <>
      <PageHeader title={t("page.activity.title")} />
      <EmptyState>{t("page.activity.empty")}</EmptyState>
    </>
  );
}
