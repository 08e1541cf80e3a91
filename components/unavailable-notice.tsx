"use client";

import { useT } from "@/components/i18n-provider";

/** Shown instead of the app while the database is down: not a sign-in page, and a retry that reloads. */
export function UnavailableNotice() {
  const { t } = useT();
  return (
    <main className="grid min-h-screen place-items-center p-4">
      <section role="alert" className="max-w-xl rounded-[var(--radius-card)] border border-danger/30 bg-surface p-6">
        <h1 className="text-xl font-semibold">{t("unavailable.title")}</h1>
        <p className="mt-2 text-ink-muted">{t("unavailable.body")}</p>
        <button type="button" onClick={() => window.location.reload()} className="mt-4 rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-brand-strong">
          {t("error.retry")}
        </button>
      </section>
    </main>
  );
}
