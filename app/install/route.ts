import type { NextRequest } from "next/server";
import { signIn } from "@/lib/auth";
import { htmlPage } from "@/lib/http/html-page";
import { negotiateLocale } from "@/lib/i18n/messages";

export const dynamic = "force-dynamic";

/**
 * The install URL for the Lightspeed integrations listing. OAuth must run top-level (Lightspeed's consent page
 * refuses to be framed, and partitioned cookies would lose the state): inside a frame we offer a break-out link.
 */
export async function GET(req: NextRequest) {
  if (req.headers.get("sec-fetch-dest") === "iframe") {
    const lang = negotiateLocale(req.headers.get("accept-language"));
    const res = htmlPage({
      status: 200,
      lang,
      title: lang === "de" ? "Mit Lightspeed verbinden" : "Connect with Lightspeed",
      body: lang === "de" ? "Die Anmeldung bei Lightspeed öffnet sich im ganzen Fenster." : "Signing in with Lightspeed opens in the full window.",
      action: { href: "/install", label: lang === "de" ? "Weiter zu Lightspeed" : "Continue to Lightspeed" },
    });
    // A plain link would stay in the frame; target=_top breaks out.
    const html = (await res.text()).replace('<a href="/install">', '<a href="/install" target="_top">');
    return new Response(html, { status: 200, headers: res.headers });
  }
  return signIn("lightspeed", { redirectTo: "/" });
}
