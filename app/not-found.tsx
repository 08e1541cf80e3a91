import Link from "next/link";
import { getT } from "@/lib/i18n/server";

export default async function NotFound() {
  const { t } = await getT();
  return (
    <section className="max-w-xl rounded-[var(--radius-card)] border border-line bg-surface p-6">
      <h1 className="text-xl font-semibold">{t("notFound.title")}</h1>
      <p className="mt-2 text-ink-muted">{t("notFound.body")}</p>
      <Link href="/" className="mt-4 inline-block font-medium text-brand-strong underline">{t("nav.dashboard")}</Link>
    </section>
  );
}
