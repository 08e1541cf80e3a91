"use client";

import { useState, useTransition } from "react";
import { useT } from "@/components/i18n-provider";
import { useLiveStatus } from "@/components/use-live-status";
import type { LiveStatus } from "@/lib/dashboard/live-status";
import { fill, formatDateTime, formatDuration, formatNumber } from "@/lib/i18n/format";
import type { MessageKey } from "@/lib/i18n/messages";

const LIGHT: Record<string, { dot: string; key: MessageKey }> = {
  running: { dot: "bg-ok", key: "dash.light.running" },
  attention: { dot: "bg-warn", key: "dash.light.attention" },
  paused: { dot: "bg-ink-muted", key: "dash.light.paused" },
};

export function ProgressBar({ done, total, etaSeconds, label }: { done: number; total: number | null; etaSeconds: number | null; label: string }) {
  const { locale, t } = useT();
  const pct = total ? Math.min(100, Math.round((done / Math.max(total, 1)) * 100)) : 0;
  return (
    <div className="space-y-1">
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total ?? undefined} aria-valuenow={done} className="h-2.5 w-full overflow-hidden rounded-full bg-line">
        <div className="h-full rounded-full bg-brand transition-[width]" style={{ width: `${total ? pct : 5}%` }} />
      </div>
      <p data-testid="progress-text" className="text-sm text-ink-muted">
        {fill(t("dash.progress"), { done: formatNumber(done, locale), total: total === null ? "?" : formatNumber(total, locale) })}
        {etaSeconds !== null && etaSeconds > 0 && ` · ${fill(t("dash.eta"), { eta: formatDuration(etaSeconds, locale) })}`}
      </p>
    </div>
  );
}

export function FlowCards({ initial, syncNow }: { initial: LiveStatus; syncNow: (flow: string) => Promise<{ ok: boolean }> }) {
  const { locale, t } = useT();
  const [pending, start] = useTransition();
  const [requested, setRequested] = useState<string | null>(null);
  // Just after "sync now" the run may not have started yet: poll fast until it shows up and ends.
  const { data = initial, isError, refetch } = useLiveStatus(initial, true, requested !== null);
  const budget = data.budget;
  return (
    <section aria-labelledby="flows-title" className="space-y-4">
      <h2 id="flows-title" className="text-lg font-semibold">
        {t("dash.flows")}
      </h2>
      {isError && (
        <p role="alert" className="rounded-md bg-warn-soft p-3 text-sm">
          {t("dash.statusError")}
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        {data.flows.map((f) => {
          const light = LIGHT[f.light]!;
          const run = f.activeRun ?? f.lastRun;
          return (
            <article key={f.flow} data-testid={`flow-${f.flow}`} className="rounded-[var(--radius-card)] border border-line bg-surface p-4">
              <div className="flex items-center justify-between gap-2">
                <h3 className="font-semibold">{t(`flow.${f.flow}` as MessageKey)}</h3>
                <span className="inline-flex items-center gap-2 text-sm">
                  <span aria-hidden="true" className={`h-3 w-3 rounded-full ${light.dot}`} />
                  <span data-testid="flow-light">{t(light.key)}</span>
                </span>
              </div>
              {f.reason && <p className="mt-1 text-sm text-ink-muted">{t(`dash.reason.${f.reason}` as MessageKey)}</p>}
              {f.activeRun?.progress && <div className="mt-3"><ProgressBar {...f.activeRun.progress} label={t(`flow.${f.flow}` as MessageKey)} /></div>}
              {/* Label and value side by side where they fit, stacked where they don't (phones, three cards a row). */}
              <dl className="mt-3 space-y-1 text-sm">
                <div className="flex flex-wrap justify-between gap-x-3">
                  <dt className="text-ink-muted">{t("dash.lastRun")}</dt>
                  <dd>{f.lastRun ? formatDateTime(f.lastRun.finishedAt ?? f.lastRun.startedAt, locale) : t("dash.never")}</dd>
                </div>
                <div className="flex flex-wrap justify-between gap-x-3">
                  <dt className="text-ink-muted">{t("dash.nextRun")}</dt>
                  <dd>{f.nextRunAt ? formatDateTime(f.nextRunAt, locale) : "–"}</dd>
                </div>
                {run && (
                  <div className="flex flex-wrap justify-between gap-x-3">
                    <dt className="min-w-0 break-words text-ink-muted">{t("dash.counts")}</dt>
                    <dd>
                      {fill(t("dash.countsValue"), {
                        created: formatNumber(run.counts.created + run.counts.updated, locale),
                        skipped: formatNumber(run.counts.skipped, locale),
                        failed: formatNumber(run.counts.failed, locale),
                      })}
                    </dd>
                  </div>
                )}
              </dl>
              <button
                type="button"
                disabled={pending || !f.enabled || f.activeRun !== null}
                onClick={() =>
                  start(async () => {
                    await syncNow(f.flow);
                    setRequested(f.flow);
                    await refetch();
                  })
                }
                className="mt-3 rounded-md border border-line px-3 py-1.5 text-sm font-medium hover:bg-surface-muted disabled:opacity-50"
              >
                {f.activeRun ? t("dash.syncing") : t("dash.syncNow")}
              </button>
              <span aria-live="polite" className="ml-2 text-sm text-ok">{requested === f.flow ? t("dash.syncRequested") : ""}</span>
            </article>
          );
        })}
      </div>
      <p data-testid="rate-budget" className="text-sm text-ink-muted">
        {!budget
          ? t("dash.budget.idle")
          : budget.nextSendInMs > 1000
            ? fill(t("dash.budget.throttled"), { wait: formatDuration(budget.nextSendInMs / 1000, locale) })
            : fill(t("dash.budget.ok"), { pct: formatNumber(Math.round((1 - budget.level / Math.max(budget.size, 1)) * 100), locale) })}
      </p>
    </section>
  );
}
