import type { NextRequest } from "next/server";
import { sessionCookie } from "@/lib/auth/cookies";
import { openLaunchSession } from "@/lib/auth/open-launch-session";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { htmlPage } from "@/lib/http/html-page";
import { negotiateLocale } from "@/lib/i18n/messages";
import { verifyLaunchUrl } from "@/lib/lightspeed";
import { logger } from "@/lib/log";

export const dynamic = "force-dynamic";

/** Custom Menu Button entry point: verify the signed launch, open a short session, show the right page. */
export async function GET(req: NextRequest) {
  const lang = negotiateLocale(req.headers.get("accept-language"));
  // The signature covers the URL Lightspeed opened, i.e. our public URL, not whatever host a proxy forwarded.
  const raw = new URL(req.url);
  const publicUrl = `${env().APP_URL.replace(/\/$/, "")}${raw.pathname}${raw.search}`;
  try {
    const launch = await verifyLaunchUrl(publicUrl);
    const session = await openLaunchSession(db(), launch);
    const cookie = sessionCookie();
    const res = new Response(null, { status: 303, headers: { location: session.target } });
    const parts = [`${cookie.name}=${session.sessionToken}`, "Path=/", "HttpOnly", `Expires=${session.expires.toUTCString()}`, `SameSite=${cookie.options.sameSite === "none" ? "None" : "Lax"}`];
    if (cookie.options.secure) parts.push("Secure");
    if ("partitioned" in cookie.options) parts.push("Partitioned");
    res.headers.append("set-cookie", parts.join("; "));
    return res;
  } catch (e) {
    if (!isAppError(e)) logger().error({ err: e }, "launch failed");
    else logger().warn({ code: e.code, detail: e.detail }, "launch rejected");
    const notInstalled = isAppError(e) && /not installed/.test(e.detail ?? "");
    return htmlPage({
      status: 401,
      lang,
      title: lang === "de" ? "Anmeldung aus Lightspeed fehlgeschlagen" : "Could not sign you in from Lightspeed",
      body: notInstalled
        ? lang === "de"
          ? "Dieses Lightspeed-Konto hat Butlerbridge noch nicht installiert. Installieren Sie die App zuerst."
          : "This Lightspeed account has not installed Butlerbridge yet. Install the app first."
        : lang === "de"
          ? "Der Link aus dem Lightspeed-Backoffice ist ungültig oder abgelaufen. Öffnen Sie Butlerbridge bitte erneut über die Schaltfläche in Lightspeed."
          : "The link from the Lightspeed back office is invalid or has expired. Please open Butlerbridge again with the button in Lightspeed.",
      action: notInstalled ? { href: "/install", label: lang === "de" ? "Butlerbridge installieren" : "Install Butlerbridge" } : undefined,
    });
  }
}
