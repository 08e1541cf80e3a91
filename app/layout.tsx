import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { I18nProvider } from "@/components/i18n-provider";
import { getTenantContext } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { signOutAction } from "./actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Butlerbridge", template: "%s · Butlerbridge" },
  description: "Lightspeed Retail → BuchhaltungsButler",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, t } = await getT();
  const ctx = await getTenantContext();
  return (
    <html lang={locale}>
      <body className="font-sans antialiased">
        <I18nProvider locale={locale}>
          <AppShell locale={locale} t={t} tenantName={ctx ? ctx.tenantName || ctx.tenantId : null} signOut={signOutAction}>
            {children}
          </AppShell>
        </I18nProvider>
      </body>
    </html>
  );
}
