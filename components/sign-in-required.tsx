import type { MessageKey } from "@/lib/i18n/messages";

export function SignInRequired({ t }: { t: (k: MessageKey) => string }) {
  return (
    <section aria-labelledby="signin-title" className="mx-auto max-w-xl rounded-[var(--radius-card)] border border-line bg-surface p-8 text-center">
      <h1 id="signin-title" className="text-xl font-semibold">
        {t("auth.signInRequired.title")}
      </h1>
      <p className="mt-3 text-ink-muted">{t("auth.signInRequired.body")}</p>
      <a href="/install" className="mt-6 inline-block rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-brand-strong">
        {t("auth.install")}
      </a>
    </section>
  );
}
