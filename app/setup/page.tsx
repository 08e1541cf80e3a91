import Link from "next/link";
import { PageHeader } from "@/components/empty-state";
import { BbConnectForm } from "@/components/setup/bb-connect-form";
import { BbConnectionActions } from "@/components/setup/bb-connection-actions";
import { UninstallButton } from "@/components/setup/uninstall-button";
import { SignInRequired } from "@/components/sign-in-required";
import { getTenantContext } from "@/lib/auth/session";
import { partnerModeAvailable } from "@/lib/connections/connect-buchhaltungsbutler";
import { getConnectionStatus } from "@/lib/connections/get-connection-status";
import { db } from "@/lib/db";
import { getT } from "@/lib/i18n/server";
import { bbErrorKey } from "@/lib/i18n/messages";
import { connectBbAction, disconnectBbAction, testBbAction, uninstallAction } from "./actions";

export default async function SetupPage() {
  const { t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  const status = await getConnectionStatus(db(), ctx.tenantId);
  const bb = status.buchhaltungsbutler;
  const bbConnected = bb.status === "connected" || bb.status === "error";
  const card = "rounded-[var(--radius-card)] border border-line bg-surface p-6";

  return (
    <>
      <PageHeader title={t("page.setup.title")} />
      <div className="grid gap-6">
        <section aria-labelledby="ls-title" className={card}>
          <h2 id="ls-title" className="text-lg font-semibold">
            {t("setup.ls.title")}
          </h2>
          {status.lightspeed.status === "connected" ? (
            <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="text-ink-muted">{t("setup.ls.connected")}</dt>
              <dd data-testid="ls-account-name" className="font-medium">
                {status.lightspeed.accountName}
              </dd>
              <dt className="text-ink-muted">{t("setup.ls.account")}</dt>
              <dd>{status.lightspeed.accountId}</dd>
              <dt className="text-ink-muted">{t("setup.ls.shops")}</dt>
              <dd>
                <ul>
                  {status.lightspeed.shops.map((s) => (
                    <li key={s.shopId}>
                      {s.name} <span className="text-ink-muted">({s.timeZone})</span>
                    </li>
                  ))}
                </ul>
              </dd>
            </dl>
          ) : (
            <div role="alert" className="mt-3 rounded-md bg-warn-soft p-3 text-sm">
              <p>{t("setup.ls.needsReauth")}</p>
              <Link href="/install" className="mt-2 inline-block font-medium text-brand-strong underline">
                {t("setup.ls.reconnect")}
              </Link>
            </div>
          )}
        </section>

        <section aria-labelledby="bb-title" className={card}>
          <h2 id="bb-title" className="text-lg font-semibold">
            {t("setup.bb.title")}
          </h2>
          <p className="mt-1 text-sm text-ink-muted">{t("setup.bb.intro")}</p>
          {bbConnected && (
            <div className="mt-4 space-y-3">
              <p data-testid="bb-status" className={`font-medium ${bb.status === "connected" ? "text-ok" : "text-danger"}`}>
                {t(bb.status === "connected" ? "setup.bb.status.connected" : "setup.bb.status.error")}
                {bb.lastError && <span className="ml-2 font-normal">{t(bbErrorKey(bb.lastError.code))}</span>}
              </p>
              <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
                <dt className="text-ink-muted">{t("setup.bb.chart")}</dt>
                <dd data-testid="bb-chart" className="font-medium">
                  {bb.chart && bb.chart !== "unknown" ? bb.chart : t("setup.bb.chart.unknown")}
                </dd>
                <dt className="text-ink-muted">{t("setup.bb.debtorMode")}</dt>
                <dd className={bb.debtorMode === "off" ? "text-danger" : undefined}>
                  {t(bb.debtorMode === "usable" ? "setup.bb.debtorMode.usable" : bb.debtorMode === "off" ? "setup.bb.debtorMode.off" : "setup.bb.debtorMode.unknown")}
                </dd>
                <dt className="text-ink-muted">{t("setup.bb.paymentAccounts")}</dt>
                <dd>
                  <ul>
                    {bb.paymentAccounts.map((a) => (
                      <li key={a.number}>
                        {a.number} · {a.name}
                      </li>
                    ))}
                  </ul>
                </dd>
              </dl>
              <BbConnectionActions test={testBbAction} disconnect={disconnectBbAction} />
            </div>
          )}
          {!bbConnected && (
            <div className="mt-4">
              <BbConnectForm action={connectBbAction} partnerAvailable={partnerModeAvailable()} />
            </div>
          )}
        </section>

        <section aria-labelledby="danger-title" className={`${card} border-danger/40`}>
          <h2 id="danger-title" className="text-lg font-semibold text-danger">
            {t("setup.danger.title")}
          </h2>
          <p className="mt-1 max-w-2xl text-sm text-ink-muted">{t("setup.danger.body")}</p>
          <div className="mt-4">
            <UninstallButton action={uninstallAction} />
          </div>
        </section>
      </div>
    </>
  );
}
