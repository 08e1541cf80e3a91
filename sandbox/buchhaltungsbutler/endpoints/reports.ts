import type { Handler } from "../context";
import { accountName, postingEntries } from "../ledger";
import type { SbTenant } from "../model";
import { bool, date, fail, int, present, str, money, type Body } from "../params";

/**
 * The sums report ("Summen- und Saldenliste") and a posting account's ledger ("Kontenblatt"), as the spec
 * describes them: the report is generated in the background (a get before it is done answers 8, a second
 * create while one is running 12, a new one replaces the old), the ledger is computed on the fly.
 * Both bases ("date", "date_delivery_else_date") read the posting's date, which already is the delivery date
 * or else the receipt date (see the README). Values are unformatted amounts ("1234.50"), sides "S"/"H".
 */
interface SumsReport {
  id: number;
  readyAt: number;
  from: string;
  to: string;
  csv: boolean;
  pdf: boolean;
  archive: boolean;
}

const reports = new WeakMap<SbTenant, { next: number; current: SumsReport | null }>();
const stateOf = (t: SbTenant) => {
  let s = reports.get(t);
  if (!s) reports.set(t, (s = { next: 1, current: null }));
  return s;
};


const BASES = ["date", "date_delivery_else_date"];

function base(body: Body, code: number): void {
  if (present(body, "base")) str(body, "base", [code, "invalid base specified"]);
  if (present(body, "base") && !BASES.includes(String(body.base))) fail(code, "invalid base specified");
}

/** Per account: debit and credit sums before the period and within it (cents). */
function sums(tenant: SbTenant, from: string, to: string): Map<number, { beforeD: number; beforeC: number; d: number; c: number }> {
  const out = new Map<number, { beforeD: number; beforeC: number; d: number; c: number }>();
  for (const p of tenant.postings) {
    if (p.cancelled || p.date > to) continue;
    const before = p.date < from;
    for (const e of postingEntries(tenant, p)) {
      const s = out.get(e.account) ?? { beforeD: 0, beforeC: 0, d: 0, c: 0 };
      if (before) {
        s.beforeD += e.debit;
        s.beforeC += e.credit;
      } else {
        s.d += e.debit;
        s.c += e.credit;
      }
      out.set(e.account, s);
    }
  }
  return out;
}

const side = (balance: number) => (balance < 0 ? "H" : "S");

export const reportsCreateSums: Handler = (ctx) => {
  const from = date(ctx.body, "date_from", [6, "invalid date_from specified"]) ?? fail(6, "invalid date_from specified");
  const to = date(ctx.body, "date_to", [7, "invalid date_to specified"]) ?? fail(7, "invalid date_to specified");
  if (to < from) fail(7, "invalid date_to specified");
  base(ctx.body, 8);
  const pdf = bool(ctx.body, "file_pdf", [9, "invalid file_pdf specified"]) ?? false;
  const csv = bool(ctx.body, "file_csv", [10, "invalid file_csv specified"]) ?? false;
  const archive = bool(ctx.body, "archive_export", [13, "invalid archive_export specified"]) ?? false;
  const state = stateOf(ctx.tenant);
  const now = ctx.clock.now();
  if (state.current && state.current.readyAt > now) fail(12, "report generation already in progress");
  state.current = { id: state.next++, readyAt: now + ctx.limits.reportGenerationMs, from, to, csv, pdf, archive };
  return { success: true, message: "", id_by_customer: String(state.current.id) };
};

export const reportsGetSums: Handler = (ctx) => {
  if (!present(ctx.body, "report_id_by_customer")) fail(6, "invalid report_id_by_customer specified");
  const id = int(ctx.body, "report_id_by_customer", [6, "invalid report_id_by_customer specified"], { min: 1 });
  const getFiles = bool(ctx.body, "get_files", [9, "invalid get_files specified"]) ?? false;
  const r = stateOf(ctx.tenant).current;
  // Creating a report replaces the previous one, so only the latest id is found.
  if (!r || r.id !== id) return fail(7, "report was not found");
  if (r.readyAt > ctx.clock.now()) fail(8, "report generation has not been finished yet");
  const entries: Record<string, Record<string, unknown>> = {};
  const rows = [...sums(ctx.tenant, r.from, r.to).entries()].sort((a, b) => a[0] - b[0]);
  for (const [account, s] of rows) {
    const before = s.beforeD - s.beforeC;
    const after = before + s.d - s.c;
    entries[String(account)] = {
      postingaccount: { postingaccount_number: String(account), name: accountName(ctx.tenant, account) },
      postingaccount_number: String(account),
      balanceBeforeDebit: money(s.beforeD), balanceBeforeCredit: money(s.beforeC), balanceBeforeAbsolute: money(Math.abs(before)), balanceBeforeSide: side(before),
      sumPeriodDebit: money(s.d), sumPeriodCredit: money(s.c),
      balanceAfterDebit: money(s.beforeD + s.d), balanceAfterCredit: money(s.beforeC + s.c), balanceAfterAbsolute: money(Math.abs(after)), balanceAfterSide: side(after),
    };
  }
  const out: Record<string, unknown> = { success: true, message: "", report: { integrityError: false, countPostingsWithDateVatEffectiveNotConsideredInReport: 0, sums: entries } };
  if (getFiles) {
    const csv = ["Konto;Bezeichnung;Soll;Haben;Saldo", ...rows.map(([a, s]) => `${a};${accountName(ctx.tenant, a)};${money(s.beforeD + s.d)};${money(s.beforeC + s.c)};${money(s.beforeD + s.d - s.beforeC - s.c)}`)].join("\n");
    // No PDF or archive rendering: those files are "not available" (null), which the spec allows.
    out.files = { csv: r.csv ? Buffer.from(csv, "utf8").toString("base64") : null, pdf: null, csv_archive: null };
  }
  return out;
};

export const reportsGetSumsLedger: Handler = (ctx) => {
  if (!present(ctx.body, "postingaccount_number")) fail(10, "invalid postingaccount_number specified");
  const account = int(ctx.body, "postingaccount_number", [10, "invalid postingaccount_number specified"], { min: 1 })!;
  const from = date(ctx.body, "date_from", [12, "invalid date_from specified"]) ?? fail(12, "invalid date_from specified");
  const to = date(ctx.body, "date_to", [13, "invalid date_to specified"]) ?? fail(13, "invalid date_to specified");
  if (to < from) fail(13, "invalid date_to specified");
  base(ctx.body, 14);
  const t = ctx.tenant;
  const known = t.accounts.has(account) || t.paymentAccounts.has(account) || t.debtors.has(account) || t.creditors.has(account);
  if (!known) fail(16, "postingaccount was not found");
  let balance = 0;
  const ledger: Record<string, unknown>[] = [];
  const live = t.postings.filter((p) => !p.cancelled && p.date <= to).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  for (const p of live) {
    for (const e of postingEntries(t, p)) {
      if (e.account !== account) continue;
      balance += e.debit - e.credit;
      if (p.date < from) continue;
      const counter = e.debit > 0 ? p.credit : p.debit;
      ledger.push({
        date: p.date, postingtext: p.text, counter_postingaccount_number: String(counter === account ? (e.debit > 0 ? p.debit : p.credit) : counter),
        amount: money(e.debit - e.credit), vat: p.vat, balanceAfterAbsolute: money(Math.abs(balance)), balanceAfterSide: side(balance),
      });
    }
  }
  return { success: true, message: "", report_sums_postingaccount_ledger: { integrityError: false, postingaccount_number: String(account), postingaccountLedger: ledger } };
};
