import type { BbActionState } from "@/lib/actions/action-state";
import type { ConnectionStatusView } from "@/lib/connections/get-connection-status";
import { bbErrorKey, type Locale } from "@/lib/i18n/messages";
import { BbConnectForm } from "../bb-connect-form";
import { BbConnectionActions } from "../bb-connection-actions";
import { NextButton } from "./next-button";
import type { FormAction, T } from "./types";

export interface StepBbActions {
  connect: (prev: BbActionState, form: FormData) => Promise<BbActionState>;
  test: () => Promise<BbActionState>;
  disconnect: () => Promise<void>;
  next: FormAction;
}

/** Step 2: connect BuchhaltungsButler, then show what the check found. */
export function StepBb({ status, partnerAvailable, actions, t, locale }: { status: ConnectionStatusView; partnerAvailable: boolean; actions: StepBbActions; t: T; locale: Locale }) {
  const bb = status.buchhaltungsbutler;
  const connected = bb.status === "connected" || bb.status === "error";
  if (!connected) return <BbConnectForm action={actions.connect} partnerAvailable={partnerAvailable} />;
  return (
    <div className="space-y-3">
      <p data-testid="bb-status" className={`font-medium ${bb.status === "connected" ? "text-ok" : "text-danger"}`}>
        {t(bb.status === "connected" ? "setup.bb.status.connected" : "setup.bb.status.error")}
        {bb.lastError && <span className="ml-2 font-normal">{t(bbErrorKey(bb.lastError.code))}</span>}
      </p>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-ink-muted">{t("setup.bb.chart")}</dt>
        <dd data-testid="bb-chart" className="font-medium">{bb.chart && bb.chart !== "unknown" ? bb.chart : t("setup.bb.chart.unknown")}</dd>
        <dt className="text-ink-muted">{t("setup.bb.debtorMode")}</dt>
        <dd className={bb.debtorMode === "off" ? "text-danger" : undefined}>
          {t(bb.debtorMode === "usable" ? "setup.bb.debtorMode.usable" : bb.debtorMode === "off" ? "setup.bb.debtorMode.off" : "setup.bb.debtorMode.unknown")}
        </dd>
        <dt className="text-ink-muted">{t("setup.bb.paymentAccounts")}</dt>
        <dd><ul>{bb.paymentAccounts.map((a) => <li key={a.number}>{a.number} · {a.name}</li>)}</ul></dd>
      </dl>
      {bb.problems.length > 0 && (
        <ul className="list-disc rounded-md bg-warn-soft p-3 pl-8 text-sm">
          {bb.problems.map((p) => <li key={p.code}>{locale === "de" ? p.message_de : p.message_en}</li>)}
        </ul>
      )}
      <BbConnectionActions test={actions.test} disconnect={actions.disconnect} />
      <NextButton step={2} action={actions.next} t={t} />
    </div>
  );
}
