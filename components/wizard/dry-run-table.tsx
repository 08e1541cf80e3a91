import type { DryRunResult } from "@/lib/sync/orders/dry-run-day";
import { fill, formatMoney } from "@/lib/i18n/format";
import type { Locale, MessageKey } from "@/lib/i18n/messages";

const VAT: Record<string, string> = { "19_vat": "19 %", "7_vat": "7 %", "0_none": "0 %" };

/** The dry run as readable tables: totals per VAT rate and payment type, then each receipt with its postings. */
export function DryRunTables({ result, paymentTypeNames, locale, t }: { result: DryRunResult; paymentTypeNames: Record<string, string>; locale: Locale; t: (k: MessageKey) => string }) {
  const th = "py-1.5 pr-3 text-left font-medium text-ink-muted";
  const num = "py-1.5 pr-3 text-right tabular-nums";
  return (
    <div className="space-y-6">
      <p data-testid="dryrun-summary">{fill(t("wizard.dry.summary"), { sales: result.totals.sales, receipts: result.plans.length, gross: formatMoney(result.totals.gross, locale), failed: result.failures.length })}</p>
      <div className="grid gap-6 md:grid-cols-2">
        <table className="w-full text-sm">
          <caption className="mb-1 text-left font-semibold">{t("wizard.dry.byVat")}</caption>
          <thead><tr><th scope="col" className={th}>{t("wizard.dry.rate")}</th><th scope="col" className={`${th} text-right`}>{t("wizard.dry.gross")}</th></tr></thead>
          <tbody>
            {Object.entries(result.totals.byVat).map(([v, c]) => (
              <tr key={v} className="border-t border-line"><td className="py-1.5 pr-3">{VAT[v] ?? v}</td><td className={num}>{formatMoney(c ?? 0, locale)}</td></tr>
            ))}
          </tbody>
        </table>
        <table className="w-full text-sm">
          <caption className="mb-1 text-left font-semibold">{t("wizard.dry.byPayment")}</caption>
          <thead><tr><th scope="col" className={th}>{t("wizard.dry.paymentType")}</th><th scope="col" className={`${th} text-right`}>{t("wizard.dry.amount")}</th></tr></thead>
          <tbody>
            {Object.entries(result.totals.byPaymentType).map(([id, c]) => (
              <tr key={id} className="border-t border-line"><td className="py-1.5 pr-3">{paymentTypeNames[id] ?? `#${id}`}</td><td className={num}>{formatMoney(c, locale)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.failures.length > 0 && (
        <div role="alert" className="rounded-md bg-danger-soft p-3 text-sm">
          <p className="font-semibold text-danger">{t("wizard.dry.failures")}</p>
          <ul className="mt-1 list-disc pl-5">
            {result.failures.map((f) => (
              <li key={f.saleId}>{f.ticketNumber}: {f.detail}{f.fixHint ? ` — ${f.fixHint}` : ""}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="mb-1 text-left font-semibold">{t("wizard.dry.receipts")}</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>{t("wizard.dry.invoice")}</th>
              <th scope="col" className={th}>{t("wizard.dry.debtor")}</th>
              <th scope="col" className={th}>{t("wizard.dry.postings")}</th>
              <th scope="col" className={th}>{t("wizard.dry.payments")}</th>
              <th scope="col" className={`${th} text-right`}>{t("wizard.dry.gross")}</th>
            </tr>
          </thead>
          <tbody>
            {result.plans.slice(0, 100).map((p) => (
              <tr key={p.invoiceNumber} className="border-t border-line align-top">
                <td className="py-1.5 pr-3 font-mono">{p.invoiceNumber}</td>
                <td className="py-1.5 pr-3">{p.debtor.number} {p.debtor.name}</td>
                <td className="py-1.5 pr-3">{(p.receipt?.lines ?? []).map((l, i) => <div key={i}>{l.account} · {VAT[l.vat]} · {formatMoney(l.amount, locale)}</div>)}</td>
                <td className="py-1.5 pr-3">{p.tenders.map((tn) => <div key={tn.key}>{tn.paymentTypeName} → {tn.account} · {formatMoney(tn.amount, locale)}</div>)}</td>
                <td className={num}>{formatMoney(p.totals.gross, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result.plans.length > 100 && <p className="mt-2 text-sm text-ink-muted">{fill(t("wizard.dry.more"), { n: result.plans.length - 100 })}</p>}
      </div>
    </div>
  );
}
