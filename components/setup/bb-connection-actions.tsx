"use client";

import { useActionState } from "react";
import { useT } from "@/components/i18n-provider";
import { bbErrorKey } from "@/lib/i18n/messages";
import type { BbActionState } from "@/lib/actions/action-state";

export function BbConnectionActions({ test, disconnect }: { test: () => Promise<BbActionState>; disconnect: () => Promise<void> }) {
  const { t } = useT();
  const [state, testAction, testing] = useActionState(async () => test(), { ok: false } as BbActionState);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <form action={testAction}>
        <button type="submit" disabled={testing} className="rounded-md border border-line bg-surface px-3 py-2 text-sm font-medium hover:bg-surface-muted disabled:opacity-60">
          {testing ? t("setup.bb.connecting") : t("setup.bb.test")}
        </button>
      </form>
      <form action={disconnect}>
        <button type="submit" className="rounded-md border border-line bg-surface px-3 py-2 text-sm font-medium text-danger hover:bg-danger-soft">
          {t("setup.bb.disconnect")}
        </button>
      </form>
      <span aria-live="polite" className="text-sm">
        {state.errorCode && <span className="text-danger">{t(bbErrorKey(state.errorCode))}</span>}
      </span>
    </div>
  );
}
