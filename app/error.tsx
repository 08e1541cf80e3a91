"use client";

import { useT } from "@/components/i18n-provider";

/** Anything unexpected while rendering a page: a calm message and a retry; the details are in the server log. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useT();
  return (
    <section role="alert" className="max-w-xl rounded-[var(--radius-card)] border border-danger/30 bg-surface p-6">
      <h1 className="text-xl font-semibold">{t("error.title")}</h1>
      <p className="mt-2 text-ink-muted">{t("error.body")}</p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-brand-strong">
        {t("error.retry")}
      </button>
    </section>
  );
}
