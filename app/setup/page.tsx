import { EmptyState, PageHeader } from "@/components/empty-state";
import { getT } from "@/lib/i18n/server";

export default async function SetupPage() {
  const { t } = await getT();
  return (
    <>
      <PageHeader title={t("page.setup.title")} />
      <EmptyState>{t("page.setup.empty")}</EmptyState>
    </>
  );
}
