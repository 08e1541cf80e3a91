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
  // Auth.js sends sign-in errors (e.g. a denied consent) back to its sign-in page, which is this route: show
  // the error page instead of starting OAuth again (that would loop straight back to Lightspeed's consent).
  const error = req.nextUrl.searchParams.get("error");
  if (error) {
    const target = new URL("/auth/error", req.nextUrl.origin);
    target.searchParams.set("error", error.replace(/[^A-Za-z]/g, "").slice(0, 60));
    return Response.redirect(target, 303);
  }
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
