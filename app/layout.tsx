import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { FatalBanner } from "@/components/fatal-banner";
import { NotificationBell } from "@/components/notification-bell";
import { Providers } from "@/components/providers";
import { db } from "@/lib/db";
import { countUnread, listFatalProblems } from "@/lib/notifications/list-notifications";
import { I18nProvider } from "@/components/i18n-provider";
import { getTenantContext } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { UnavailableNotice } from "@/components/unavailable-notice";
import { isAppError } from "@/lib/errors/app-error";
import { signOutAction } from "./actions";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Butlerbridge", template: "%s · Butlerbridge" },
  description: "Lightspeed Retail → BuchhaltungsButler",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, t } = await getT();
  const ctx = await getTenantContext().catch((e: unknown) => {
    if (isAppError(e) && e.code === "DATABASE_UNAVAILABLE") return "unavailable" as const;
    throw e;
  });
  if (ctx === "unavailable") {
    return (
      <html lang={locale}>
        <body className="font-sans antialiased">
          <I18nProvider locale={locale}>
            <UnavailableNotice />
          </I18nProvider>
        </body>
      </html>
    );
  }
  const [unread, fatal] = ctx ? await Promise.all([countUnread(db(), ctx.tenantId), listFatalProblems(db(), ctx.tenantId)]) : [0, []];
  return (
    <html lang={locale}>
      <body className="font-sans antialiased">
        <I18nProvider locale={locale}>
          <Providers>
            <AppShell
              locale={locale}
              t={t}
              tenantName={ctx ? ctx.tenantName || ctx.tenantId : null}
              signOut={signOutAction}
              bell={ctx ? <NotificationBell initialUnread={unread} /> : null}
              banner={<FatalBanner problems={fatal} locale={locale} t={t} />}
            >
              {children}
            </AppShell>
          </Providers>
        </I18nProvider>
      </body>
    </html>
  );
}
