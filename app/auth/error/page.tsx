import { PageHeader } from "@/components/empty-state";
import { getT } from "@/lib/i18n/server";

const MESSAGES: Record<string, { de: string; en: string }> = {
  AccessDenied: {
    de: "Die Verbindung wurde in Lightspeed abgelehnt oder konnte nicht bestätigt werden. Es wurde nichts eingerichtet.",
    en: "The connection was denied in Lightspeed or could not be confirmed. Nothing was set up.",
  },
  OAuthCallbackError: {
    de: "Lightspeed hat die Anmeldung abgebrochen (zum Beispiel mit „Ablehnen“). Es wurde nichts eingerichtet.",
    en: "Lightspeed cancelled the sign-in (for example with “Deny”). Nothing was set up.",
  },
  InvalidCheck: {
    de: "Die Anmeldung war abgelaufen oder wurde in einem anderen Fenster gestartet. Bitte starten Sie sie erneut.",
    en: "The sign-in had expired or was started in another window. Please start it again.",
  },
  CallbackRouteError: {
    de: "Lightspeed hat den Anmeldecode nicht angenommen (abgelaufen oder bereits verwendet). Bitte starten Sie die Installation erneut.",
    en: "Lightspeed did not accept the sign-in code (expired or already used). Please start the installation again.",
  },
  Configuration: {
    de: "Die Anmeldung konnte nicht abgeschlossen werden. Bitte starten Sie sie erneut; bleibt der Fehler, kontaktieren Sie uns.",
    en: "The sign-in could not be completed. Please start it again; if it keeps failing, contact us.",
  },
};

export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { locale } = await getT();
  const { error } = await searchParams;
  const message = MESSAGES[error ?? ""] ?? MESSAGES.Configuration!;
  return (
    <div role="alert" className="max-w-xl rounded-[var(--radius-card)] border border-danger/30 bg-surface p-6">
      <PageHeader title={locale === "de" ? "Verbindung mit Lightspeed fehlgeschlagen" : "Connecting to Lightspeed failed"} />
      <p className="text-ink">{message[locale]}</p>
      <p className="mt-4 text-sm text-ink-muted">{locale === "de" ? "Fehlercode" : "Error code"}: {error ?? "unknown"}</p>
      <a href="/install" className="mt-6 inline-block rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-brand-strong">
        {locale === "de" ? "Erneut mit Lightspeed verbinden" : "Connect with Lightspeed again"}
      </a>
    </div>
  );
}
