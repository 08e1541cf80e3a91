import type { NextRequest } from "next/server";
import { cookieHeader, pendingLaunchCookieName, sessionCookie } from "@/lib/auth/cookies";
import { discardSession, safeTarget, sessionTenant } from "@/lib/auth/launch-switch";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { htmlPage } from "@/lib/http/html-page";
import { negotiateLocale, translate } from "@/lib/i18n/messages";

export const dynamic = "force-dynamic";

/**
 * The answer to "switch to another account?": only from our own page (same origin) and only with the launch
 * session that page parked in this browser's cookie, so a third party can neither answer for the merchant nor
 * bring its own session along.
 */
export async function POST(req: NextRequest) {
  const lang = negotiateLocale(req.headers.get("accept-language"));
  const pendingName = pendingLaunchCookieName();
  const pending = req.cookies.get(pendingName)?.value;
  const sameOrigin = req.headers.get("origin") === new URL(env().APP_URL).origin;
  const form = await req.formData().catch(() => null);
  const decision = form?.get("decision");
  if (!sameOrigin || !pending || (decision !== "switch" && decision !== "stay")) {
    return htmlPage({
      status: 401,
      lang,
      title: translate(lang, "launch.failed.title"),
      body: translate(lang, "launch.failed.switchRefused"),
    });
  }
  const clearPending = cookieHeader(pendingName, null, new Date(0));
  if (decision === "stay") {
    await discardSession(db(), pending);
    return new Response(null, { status: 303, headers: { location: "/", "set-cookie": clearPending } });
  }
  const launched = await sessionTenant(db(), pending);
  if (!launched) return new Response(null, { status: 303, headers: { location: "/", "set-cookie": clearPending } });
  const res = new Response(null, { status: 303, headers: { location: safeTarget(typeof form?.get("target") === "string" ? String(form.get("target")) : null) } });
  res.headers.append("set-cookie", clearPending);
  res.headers.append("set-cookie", cookieHeader(sessionCookie().name, pending, launched.expires));
  return res;
}
