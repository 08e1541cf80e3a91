import { EmptyState, PageHeader } from "@/components/empty-state";
import { getT } from "@/lib/i18n/server";

export default async function MappingsPage() {
  const { t } = await getT();
  return (
    <>
      <PageHeader title={t("page.mappings.title")} />
      <EmptyState>{t("page.mappings.empty")}</EmptyState>
    </>
  );
}
