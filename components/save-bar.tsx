"use client";

import { useEffect } from "react";
import { useT } from "./i18n-provider";

/** Asks before leaving the page (reload, close, or an in-app link) while there are unsaved changes. */
export function useUnsavedChangesGuard(dirty: boolean) {
  const { t } = useT();
  useEffect(() => {
    if (!dirty) return;
    const message = t("save.leaveConfirm");
    const beforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = message;
      return message;
    };
    const click = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!a || a.target === "_blank" || a.hasAttribute("download")) return;
      const url = new URL(a.href, window.location.href);
      if (url.pathname === window.location.pathname && url.search === window.location.search) return;
      if (!window.confirm(message)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", beforeUnload);
    document.addEventListener("click", click, true);
    return () => {
      window.removeEventListener("beforeunload", beforeUnload);
      document.removeEventListener("click", click, true);
    };
  }, [dirty, t]);
}

/** The contextual save bar: appears when a form has unsaved changes. */
export function SaveBar({ dirty, saving, onDiscard, formId, status }: { dirty: boolean; saving: boolean; onDiscard: () => void; formId: string; status?: string | null }) {
  const { t } = useT();
  useUnsavedChangesGuard(dirty);
  if (!dirty && !status) return null;
  return (
    <div role="region" aria-label={t("save.region")} className="sticky bottom-0 z-20 -mx-4 mt-6 border-t border-line bg-ink/95 px-4 py-3 text-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3">
        <p aria-live="polite" className="mr-auto text-sm">
          {dirty ? t("save.unsaved") : status}
        </p>
        {dirty && (
          <>
            <button type="button" onClick={onDiscard} className="rounded-md border border-white/40 px-3 py-1.5 text-sm font-medium hover:bg-white/10">
              {t("save.discard")}
            </button>
            <button type="submit" form={formId} disabled={saving} className="rounded-md bg-surface px-3 py-1.5 text-sm font-semibold text-ink hover:bg-brand-soft disabled:opacity-60">
              {saving ? t("save.saving") : t("save.save")}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
