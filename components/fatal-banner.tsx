import type { NotificationView } from "@/lib/notifications/list-notifications";
import { APP_ERROR_CODES, type AppErrorCode } from "@/lib/errors/app-error";
import type { Locale, MessageKey } from "@/lib/i18n/messages";

/** Tenant-fatal problems stay on every page until they are fixed (they resolve themselves then). */
export function FatalBanner({ problems, locale, t }: { problems: NotificationView[]; locale: Locale; t: (k: MessageKey) => string }) {
  if (problems.length === 0) return null;
  return (
    <div role="alert" className="border-b border-danger/30 bg-danger-soft">
      <div className="mx-auto max-w-6xl space-y-2 px-4 py-3 text-sm">
        {problems.map((p) => {
          const spec = APP_ERROR_CODES[p.code as AppErrorCode];
          return (
            <p key={p.id} className="text-danger">
              <strong className="font-semibold">{t("banner.paused")}</strong> {spec ? spec[locale] : p.title}{" "}
              {/* A full page load: the fix may be a new OAuth round (/install), which must not be prefetched. A problem
                  with no screen to fix it (a currency we cannot book) still leads somewhere: its inbox item says what to do. */}
              <a href={p.link ?? "/notifications"} className="font-medium underline">
                {t(p.link ? "banner.fix" : "banner.details")}
              </a>
            </p>
          );
        })}
      </div>
    </div>
  );
}
