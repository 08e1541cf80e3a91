import Link from "next/link";
import type { ReactNode } from "react";
import type { Locale, MessageKey } from "@/lib/i18n/messages";
import { NavLink } from "./nav-link";
import { LocaleSwitch } from "./locale-switch";

const NAV: { href: string; label: MessageKey }[] = [
  { href: "/", label: "nav.dashboard" },
  { href: "/setup", label: "nav.setup" },
  { href: "/mappings", label: "nav.mappings" },
  { href: "/stock", label: "nav.stock" },
  { href: "/activity", label: "nav.activity" },
  { href: "/notifications", label: "nav.notifications" },
  { href: "/settings", label: "nav.settings" },
];

export function AppShell({
  locale,
  t,
  tenantName,
  signOut,
  bell,
  banner,
  children,
}: {
  locale: Locale;
  t: (k: MessageKey) => string;
  tenantName: string | null;
  signOut: () => Promise<void>;
  bell?: ReactNode;
  banner?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2">
        {t("skip.content")}
      </a>
      <header className="border-b border-line bg-surface">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/" className="flex items-baseline gap-2 font-semibold text-ink">
            <span className="text-lg">{t("app.name")}</span>
            <span className="hidden text-sm font-normal text-ink-muted sm:inline">{t("app.tagline")}</span>
          </Link>
          <nav aria-label={t("nav.main")} className="order-3 w-full overflow-x-auto sm:order-none sm:w-auto">
            <ul className="flex gap-1">
              {NAV.map((item) => (
                <li key={item.href}>
                  <NavLink href={item.href}>{t(item.label)}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-3">
            {bell}
            <LocaleSwitch locale={locale} label={t("locale.switch")} />
            {tenantName !== null && (
              <form action={signOut} className="flex items-center gap-2">
                <span className="hidden text-sm text-ink-muted md:inline">{tenantName}</span>
                <button type="submit" className="rounded-md px-2 py-1 text-sm text-ink-muted hover:bg-surface-muted hover:text-ink">
                  {t("auth.signOut")}
                </button>
              </form>
            )}
          </div>
        </div>
      </header>
      {banner}
      <main id="content" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
