import type { NextRequest } from "next/server";
import { cookieHeader, pendingLaunchCookieName, sessionCookie } from "@/lib/auth/cookies";
import { sessionTenant } from "@/lib/auth/launch-switch";
import { openLaunchSession } from "@/lib/auth/open-launch-session";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { htmlPage } from "@/lib/http/html-page";
import { negotiateLocale, translate } from "@/lib/i18n/messages";
import { verifyLaunchUrl } from "@/lib/lightspeed";
import { logger } from "@/lib/log";

export const dynamic = "force-dynamic";

/**
 * Custom Menu Button entry point: verify the signed launch (once: a link opens one session), open a short session,
 * show the right page. Signed in to another account already → ask first (see /launch/switch).
 */
export async function GET(req: NextRequest) {
  const lang = negotiateLocale(req.headers.get("accept-language"));
  // The signature covers the URL Lightspeed opened, i.e. our public URL, not whatever host a proxy forwarded.
  const raw = new URL(req.url);
  const publicUrl = `${env().APP_URL.replace(/\/$/, "")}${raw.pathname}${raw.search}`;
  try {
    const launch = await verifyLaunchUrl(publicUrl);
    const session = await openLaunchSession(db(), { ...launch, signature: launch.params.signature, exp: launch.exp });
    const current = await sessionTenant(db(), req.cookies.get(sessionCookie().name)?.value);
    if (current && current.tenantId !== session.tenantId) {
      const de = lang === "de";
      return htmlPage({
        status: 200,
        lang,
        title: de ? "Zu einem anderen Konto wechseln?" : "Switch to another account?",
        body: de
          ? `Sie sind in Butlerbridge mit „${current.tenantName}“ angemeldet. Dieser Link öffnet „${session.tenantName}“. Wechseln Sie nur, wenn Sie den Link selbst in Lightspeed geöffnet haben.`
          : `You are signed in to Butlerbridge for “${current.tenantName}”. This link opens “${session.tenantName}”. Switch only if you opened the link yourself in Lightspeed.`,
        form: {
          action: "/launch/switch",
          hidden: { target: session.target },
          buttons: [
            { name: "decision", value: "switch", label: de ? `Zu „${session.tenantName}“ wechseln` : `Switch to “${session.tenantName}”` },
            { name: "decision", value: "stay", label: de ? `Bei „${current.tenantName}“ bleiben` : `Stay with “${current.tenantName}”` },
          ],
        },
        headers: { "set-cookie": cookieHeader(pendingLaunchCookieName(), session.sessionToken, session.expires) },
      });
    }
    const res = new Response(null, { status: 303, headers: { location: session.target } });
    res.headers.append("set-cookie", cookieHeader(sessionCookie().name, session.sessionToken, session.expires));
    return res;
  } catch (e) {
    if (!isAppError(e)) logger().error({ err: e }, "launch failed");
    else logger().warn({ code: e.code, detail: e.detail }, "launch rejected");
    // A valid launch by someone the merchant gives no access (staff access "none", locked-out employee).
    if (isAppError(e) && e.code === "FORBIDDEN") {
      return htmlPage({ status: 403, lang, title: translate(lang, "launch.forbidden.title"), body: translate(lang, "launch.forbidden.body") });
    }
    const notInstalled = isAppError(e) && /not installed/.test(e.detail ?? "");
    const used = isAppError(e) && /already used/.test(e.detail ?? "");
    return htmlPage({
      status: 401,
      lang,
      title: lang === "de" ? "Anmeldung aus Lightspeed fehlgeschlagen" : "Could not sign you in from Lightspeed",
      body: notInstalled
        ? lang === "de"
          ? "Dieses Lightspeed-Konto hat Butlerbridge noch nicht installiert. Installieren Sie die App zuerst."
          : "This Lightspeed account has not installed Butlerbridge yet. Install the app first."
        : used
          ? lang === "de"
            ? "Dieser Link aus Lightspeed wurde schon benutzt. Jeder Link öffnet Butlerbridge nur einmal: Öffnen Sie Butlerbridge bitte erneut über die Schaltfläche in Lightspeed."
            : "This link from Lightspeed was already used. Each link opens Butlerbridge once only: please open Butlerbridge again with the button in Lightspeed."
          : lang === "de"
            ? "Der Link aus dem Lightspeed-Backoffice ist ungültig oder abgelaufen. Öffnen Sie Butlerbridge bitte erneut über die Schaltfläche in Lightspeed."
            : "The link from the Lightspeed back office is invalid or has expired. Please open Butlerbridge again with the button in Lightspeed.",
      action: notInstalled ? { href: "/install", label: lang === "de" ? "Butlerbridge installieren" : "Install Butlerbridge" } : undefined,
    });
  }
}
