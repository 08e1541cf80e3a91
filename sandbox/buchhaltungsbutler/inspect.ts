import { personRow } from "./endpoints/settings";
import { receiptListItem } from "./endpoints/receipts";
import { accountName, paidIndex, trialBalance } from "./ledger";
import type { SbTenant } from "./model";
import { money } from "./params";

/** Everything a test, the demo or a human needs to see of one tenant, as plain JSON. */
export function inspectTenant(tenant: SbTenant) {
  const tb = trialBalance(tenant);
  const index = paidIndex(tenant);
  return {
    name: tenant.name,
    apiKey: tenant.apiKey,
    chart: tenant.chart,
    debtorMode: tenant.debtorMode,
    creditorMode: tenant.creditorMode,
    active: tenant.active,
    fixedUntil: tenant.fixedUntil,
    paymentAccounts: [...tenant.paymentAccounts.values()],
    costLocations: [...tenant.costLocations.entries()].map(([code, name]) => ({ code, name })),
    debtors: [...tenant.debtors.values()].sort((a, b) => a.number - b.number).map((d) => personRow(d, "debtor")),
    creditors: [...tenant.creditors.values()].sort((a, b) => a.number - b.number).map((c) => personRow(c, "creditor")),
    receipts: tenant.receipts.map((r) => ({ ...receiptListItem(tenant, r, index), creditor_debtor: r.creditorDebtor, comments: r.comments })),
    transactions: tenant.transactions.map((t) => ({
      id: t.id,
      account: t.account,
      to_from: t.toFrom,
      amount: money(t.amount),
      booking_date: t.bookingDate,
      purpose: t.purpose,
      booking_text: t.bookingText,
      assigned_receipts: [...(tenant.assignments.get(t.id) ?? [])],
      comments: t.comments,
    })),
    postings: tenant.postings.map((p) => ({
      id: p.id,
      kind: p.kind,
      date: p.date,
      text: p.text,
      amount: money(p.amount),
      vat: p.vat,
      debit: p.debit,
      credit: p.credit,
      receipt: p.receiptId,
      transaction: p.transactionId,
      clears: p.assignedReceiptIds,
      cancelled: p.cancelled,
      reversal_of: p.reversalOf,
      fixed: tenant.fixedUntil !== null && p.date <= tenant.fixedUntil,
    })),
    trialBalance: {
      rows: tb.rows.map((r) => ({ ...r, debit: money(r.debit), credit: money(r.credit), balance: money(r.balance) })),
      totalDebit: money(tb.totalDebit),
      totalCredit: money(tb.totalCredit),
    },
  };
}

const esc = (v: unknown) =>
  String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function table(title: string, rows: Record<string, unknown>[], columns: string[]): string {
  const head = columns.map((c) => `<th>${esc(c)}</th>`).join("");
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${esc(typeof r[c] === "object" && r[c] !== null ? JSON.stringify(r[c]) : r[c])}</td>`).join("")}</tr>`).join("");
  return `<h2>${esc(title)} <small>(${rows.length})</small></h2><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function tenantPage(tenant: SbTenant): string {
  const v = inspectTenant(tenant);
  const tb = trialBalance(tenant);
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${esc(v.name)} · BB sandbox</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin-bottom:1.5rem}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left}th{background:#f3f3f3}td{font-variant-numeric:tabular-nums}small{color:#777}</style></head>
<body><p><a href="/__sandbox">All tenants</a> · <a href="/__sandbox/tenants/${esc(encodeURIComponent(tenant.apiKey))}">JSON</a></p>
<h1>${esc(v.name)}</h1><p>${esc(v.chart)} · Debitoren: ${esc(v.debtorMode)} · ${v.active ? "aktiv" : "inaktiv"} · festgeschrieben bis: ${esc(v.fixedUntil ?? "—")}</p>
${table("Saldenliste (trial balance)", tb.rows.map((r) => ({ konto: r.account, name: accountName(tenant, r.account), soll: money(r.debit), haben: money(r.credit), saldo: money(r.balance) })), ["konto", "name", "soll", "haben", "saldo"])}
<p>Summe Soll ${esc(v.trialBalance.totalDebit)} · Summe Haben ${esc(v.trialBalance.totalCredit)}</p>
${table("Debitoren", v.debtors, ["postingaccount_number", "name", "contact_person_name", "email", "customer_number", "city", "country"])}
${table("Belege (receipts)", v.receipts, ["id_by_customer", "type", "date", "invoicenumber", "counterparty", "amount", "amount_paid", "creditor_debtor", "deleted"])}
${table("Zahlungen (transactions)", v.transactions, ["id", "account", "booking_date", "to_from", "amount", "purpose", "assigned_receipts"])}
${table("Buchungen (postings)", v.postings, ["id", "kind", "date", "text", "amount", "vat", "debit", "credit", "receipt", "transaction", "clears", "cancelled", "reversal_of", "fixed"])}
</body></html>`;
}

export function indexPage(tenants: SbTenant[]): string {
  const rows = tenants
    .map((t) => `<li><a href="/__sandbox/tenants/${esc(encodeURIComponent(t.apiKey))}/page">${esc(t.name)}</a> — ${esc(t.chart)}, Debitoren ${esc(t.debtorMode)}, ${t.receipts.length} Belege, ${t.postings.filter((p) => !p.cancelled).length} Buchungen</li>`)
    .join("");
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>BuchhaltungsButler sandbox</title></head><body style="font:14px system-ui,sans-serif;margin:2rem"><h1>BuchhaltungsButler sandbox</h1><ul>${rows}</ul></body></html>`;
}
