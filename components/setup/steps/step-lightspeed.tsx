import type { ConnectionStatusView } from "@/lib/connections/get-connection-status";
import { NextButton } from "./next-button";
import type { FormAction, T } from "./types";

/** Step 1: which Lightspeed account and shops are connected. */
export function StepLightspeed({ status, next, t }: { status: ConnectionStatusView; next: FormAction; t: T }) {
  if (status.lightspeed.status !== "connected") {
    return (
      <div role="alert" className="rounded-md bg-warn-soft p-3 text-sm">
        <p>{t("setup.ls.needsReauth")}</p>
        <a href="/install" className="mt-2 inline-block font-medium text-brand-strong underline">{t("setup.ls.reconnect")}</a>
      </div>
    );
  }
  return (
    <>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-ink-muted">{t("setup.ls.connected")}</dt>
        <dd data-testid="ls-account-name" className="font-medium">{status.lightspeed.accountName}</dd>
        <dt className="text-ink-muted">{t("setup.ls.account")}</dt>
        <dd>{status.lightspeed.accountId}</dd>
        <dt className="text-ink-muted">{t("setup.ls.shops")}</dt>
        <dd>
          <ul data-testid="ls-shops">
            {status.lightspeed.shops.map((s) => <li key={s.shopId}>{s.name} <span className="text-ink-muted">({s.timeZone})</span></li>)}
          </ul>
        </dd>
      </dl>
      <NextButton step={1} action={next} t={t} />
    </>
  );
}
