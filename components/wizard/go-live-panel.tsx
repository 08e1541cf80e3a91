"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { ProgressBar } from "@/components/dashboard/flow-cards";
import { useT } from "@/components/i18n-provider";
import { useLiveStatus } from "@/components/use-live-status";
import { actionErrorText, type ActionState } from "@/lib/actions/action-state";

/** Step 7: start the backfill and follow it (done / total / ETA) until it finishes. */
export function GoLivePanel({ live, goLive }: { live: boolean; goLive: () => Promise<ActionState> }) {
  const { t, locale } = useT();
  const [started, setStarted] = useState(live);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [finishedOnce, setFinishedOnce] = useState(false);
  const { data } = useLiveStatus(undefined, started, started && !finishedOnce);
  const orders = data?.flows.find((f) => f.flow === "orders");
  const run = orders?.activeRun;
  const last = orders?.lastRun;
  const finished = started && !run && last?.kind === "backfill";
  if (finished && !finishedOnce) setFinishedOnce(true);
  return (
    <div className="space-y-4">
      {!started && (
        <button
          type="button"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const r = await goLive();
              if (r.ok) setStarted(true);
              else setError(r.error ? actionErrorText(locale, r.error) : t("common.error"));
            })
          }
          className="rounded-md bg-brand px-5 py-2.5 font-semibold text-white hover:bg-brand-strong disabled:opacity-60"
        >
          {pending ? t("wizard.golive.starting") : t("wizard.golive.button")}
        </button>
      )}
      {error && <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{error}</p>}
      {started && run?.progress && <ProgressBar {...run.progress} label={t("wizard.golive.progress")} />}
      {started && !run && !finished && <p aria-busy="true" className="text-sm text-ink-muted">{t("wizard.golive.waiting")}</p>}
      {finished && last && (
        <div data-testid="backfill-done" className="rounded-md bg-ok-soft p-3 text-sm">
          <p className="font-medium text-ok">{t("wizard.golive.done")}</p>
          <p className="mt-1">
            {t("dash.counts")}: {last.counts.created + last.counts.updated} / {last.counts.skipped} / {last.counts.failed}
          </p>
          <p className="mt-2 flex gap-4">
            <Link href="/" className="font-medium text-brand-strong underline">{t("nav.dashboard")}</Link>
            <Link href="/activity" className="font-medium text-brand-strong underline">{t("nav.activity")}</Link>
          </p>
        </div>
      )}
    </div>
  );
}
