import { getT } from "@/lib/i18n/server";

/** Shown while a page's server data loads (navigation keeps the shell; this fills the content area). */
export default async function Loading() {
  const { t } = await getT();
  return (
    <div aria-busy="true" aria-live="polite" className="space-y-4">
      <p className="sr-only">{t("common.loading")}</p>
      <div className="h-8 w-48 animate-pulse rounded bg-line" />
      <div className="h-32 animate-pulse rounded-[var(--radius-card)] bg-line/60" />
      <div className="h-32 animate-pulse rounded-[var(--radius-card)] bg-line/60" />
    </div>
  );
}
