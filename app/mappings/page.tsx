import { EmptyState, PageHeader } from "@/components/empty-state";
import { SignInRequired } from "@/components/sign-in-required";
import { getTenantContext } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";

export default async function MappingsPage() {
  const { t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  return (
    <>
      <PageHeader title={t("page.mappings.title")} />
      <EmptyState>{t("page.mappings.empty")}</EmptyState>
    </>
  );
}
