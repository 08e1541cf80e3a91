import type { NextRequest } from "next/server";
import { cookieHeader, pendingLaunchCookieName, sessionCookie } from "@/lib/auth/cookies";
import { sessionTenant } from "@/lib/auth/launch-switch";
import { openLaunchSession } from "@/lib/auth/open-launch-session";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { htmlPage } from "@/lib/http/html-page";
import { fill } from "@/lib/i18n/format";
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
      const names = { current: current.tenantName, target: session.tenantName };
      return htmlPage({
        status: 200,
        lang,
        title: translate(lang, "launch.switch.title"),
        body: fill(translate(lang, "launch.switch.body"), names),
        form: {
          action: "/launch/switch",
          hidden: { target: session.target },
          buttons: [
            { name: "decision", value: "switch", label: fill(translate(lang, "launch.switch.go"), names) },
            { name: "decision", value: "stay", label: fill(translate(lang, "launch.switch.stay"), names) },
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
    const reason = isAppError(e) ? e.context?.reason : undefined;
    return htmlPage({
      status: 401,
      lang,
      title: translate(lang, "launch.failed.title"),
      body: translate(lang, reason === "not_installed" ? "launch.failed.notInstalled" : reason === "link_used" ? "launch.failed.used" : "launch.failed.invalid"),
      action: reason === "not_installed" ? { href: "/install", label: translate(lang, "launch.install") } : undefined,
    });
  }
}
