import { EmptyState, PageHeader } from "@/components/empty-state";
import { getT } from "@/lib/i18n/server";

export default async function NotificationsPage() {
  const { t } = await getT();
  return (
    <>
      <PageHeader title={t("page.notifications.title")} />
      <EmptyState>{t("page.notifications.empty")}</EmptyState>
    </>
  );
}
