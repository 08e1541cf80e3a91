"use client";

import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import type { RetryState } from "@/lib/actions/action-state";
import { fill } from "@/lib/i18n/format";
import { useT } from "./i18n-provider";

export function RetryAllButton({ id, count, action }: { id: string; count: number; action: (prev: RetryState, form: FormData) => Promise<RetryState> }) {
  const { t } = useT();
  const router = useRouter();
  const [state, formAction, pending] = useActionState<RetryState, FormData>(action, { ok: false });
  useEffect(() => {
    if (!state.ok) return;
    // The retries run in the background: refresh a few times so a fixed problem disappears from the inbox.
    const timers = [2_000, 5_000, 10_000].map((ms) => setTimeout(() => router.refresh(), ms));
    return () => timers.forEach(clearTimeout);
  }, [state, router]);
  return (
    <form action={formAction} className="inline-flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} className="rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-strong disabled:opacity-60">
        {count > 1 ? fill(t("inbox.retryAll"), { n: count }) : t("inbox.retry")}
      </button>
      <span aria-live="polite" className="text-sm text-ok">{state.ok ? (state.count === 1 ? t("inbox.retryQueued.one") : fill(t("inbox.retryQueued"), { n: state.count ?? 0 })) : ""}</span>
    </form>
  );
}
