import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { getT } from "@/lib/i18n/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Butlerbridge", template: "%s · Butlerbridge" },
  description: "Lightspeed Retail → BuchhaltungsButler",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, t } = await getT();
  return (
    <html lang={locale}>
      <body className="font-sans antialiased">
        <AppShell locale={locale} t={t}>
          {children}
        </AppShell>
      </body>
    </html>
  );
}
