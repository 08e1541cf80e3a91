import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { translate, type MessageKey } from "@/lib/i18n/messages";
import type { NotificationView } from "@/lib/notifications/list-notifications";
import { FatalBanner } from "./fatal-banner";

function problem(over: Partial<NotificationView>): NotificationView {
  const at = new Date("2026-12-01T08:00:00Z");
  return { id: "p1", severity: "fatal", code: "LS_CURRENCY_UNSUPPORTED", title: "", body: "", fixHint: null, message: null, link: null, flow: null, entity: null, sourceId: null, dedupeKey: "k", occurrences: 1, read: false, resolvedAt: null, createdAt: at, updatedAt: at, ...over };
}

const render = (p: NotificationView, locale: "de" | "en") =>
  renderToStaticMarkup(createElement(FatalBanner, { problems: [p], locale, t: (k: MessageKey) => translate(locale, k) }));

describe("the banner of a paused tenant", () => {
  it("leads to the fix when there is a screen for it, and to the inbox item that says what to do when there is none", () => {
    expect(render(problem({ link: "/settings/connection" }), "en")).toMatch(/<a href="\/settings\/connection"[^>]*>Fix it now<\/a>/);
    expect(render(problem({ link: null }), "en")).toMatch(/<a href="\/notifications"[^>]*>What to do<\/a>/);
    expect(render(problem({ link: null }), "de")).toMatch(/<a href="\/notifications"[^>]*>Was zu tun ist<\/a>/);
  });
});
