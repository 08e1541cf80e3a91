import { isAppError } from "../errors/app-error";
import type { BbConnectionCheck, BbPaymentAccount, BbPostingAccount, BbProblem, BbReceipt } from "./types";

/**
 * What the setup wizard shows after the merchant pasted their credentials: do they work, which chart of
 * accounts (SKR03/SKR04) the tenant uses, its payment accounts, and whether debtor posting is usable.
 *
 * BB has no call that reports the chart or the debtor mode. The chart follows from which revenue and tax
 * accounts exist; the debtor mode from a deliberately incomplete receipt posting on an existing outbound
 * receipt: "debtor posting is not activated" (10/12) means off, any other validation error means usable.
 * The probe can never book anything (it has no posting lines).
 */
export interface CheckDeps {
  listAccounts(): Promise<BbPaymentAccount[]>;
  listPostingAccounts(): Promise<BbPostingAccount[]>;
  getReceipts(f: { direction: "outbound"; max: number }): Promise<BbReceipt[]>;
  probeReceiptPosting(receiptId: string): Promise<void>;
}

const CHART_MARKERS = {
  SKR03: { revenue: { "19_vat": 8400, "7_vat": 8300, "0_none": 8200 }, tax: 1776 },
  SKR04: { revenue: { "19_vat": 4400, "7_vat": 4300, "0_none": 4200 }, tax: 3806 },
} as const;

const problem = (code: string, en: string, de: string): BbProblem => ({ code, message_en: en, message_de: de });

export async function checkConnection(deps: CheckDeps): Promise<BbConnectionCheck> {
  // Auth and inactive-account errors surface here (tenant-fatal AppErrors) before anything else is looked at.
  const accounts = await deps.listAccounts();
  const postingAccounts = await deps.listPostingAccounts();
  const numbers = new Set(postingAccounts.filter((a) => a.type === "postingaccount").map((a) => a.number));
  const problems: BbProblem[] = [];

  const chart: BbConnectionCheck["chart"] =
    numbers.has(CHART_MARKERS.SKR03.revenue["19_vat"]) && numbers.has(CHART_MARKERS.SKR03.tax)
      ? "SKR03"
      : numbers.has(CHART_MARKERS.SKR04.revenue["19_vat"]) && numbers.has(CHART_MARKERS.SKR04.tax)
        ? "SKR04"
        : "unknown";
  if (chart === "unknown") {
    problems.push(
      problem(
        "CHART_UNKNOWN",
        "We could not tell whether BuchhaltungsButler uses SKR03 or SKR04 (revenue account 8400/4400 not found). Choose the accounts by hand in the mappings.",
        "Wir konnten nicht erkennen, ob BuchhaltungsButler SKR03 oder SKR04 nutzt (Erlöskonto 8400/4400 fehlt). Bitte wählen Sie die Konten in den Zuordnungen selbst.",
      ),
    );
  }
  const revenueAccounts: BbConnectionCheck["revenueAccounts"] = { "19_vat": null, "7_vat": null, "0_none": null };
  if (chart !== "unknown") {
    for (const [vat, n] of Object.entries(CHART_MARKERS[chart].revenue) as [keyof typeof revenueAccounts, number][]) revenueAccounts[vat] = numbers.has(n) ? n : null;
    if (!revenueAccounts["19_vat"] || !revenueAccounts["7_vat"]) {
      problems.push(problem("REVENUE_ACCOUNT_MISSING", "A standard revenue account (19 % or 7 %) is missing in BuchhaltungsButler.", "Ein Standard-Erlöskonto (19 % oder 7 %) fehlt in BuchhaltungsButler."));
    }
  }

  const subtype = new Map(postingAccounts.filter((a) => a.type === "account").map((a) => [a.number, a.subtype]));
  const paymentAccounts = accounts.map((a) => {
    const s = subtype.get(a.number);
    const kind: "cash" | "bank" | "other" | "unknown" = s === "cash" ? "cash" : s === "bank/institution" ? "bank" : s === "other" ? "other" : "unknown";
    return { number: a.number, name: a.name, kind };
  });
  if (!paymentAccounts.some((a) => a.kind === "cash")) {
    problems.push(problem("NO_CASH_ACCOUNT", "There is no cash account (Kasse) in BuchhaltungsButler. Create one, preferably revision-safe.", "In BuchhaltungsButler gibt es keine Kasse. Bitte legen Sie eine an, am besten revisionssicher."));
  }
  if (!paymentAccounts.some((a) => a.kind === "other")) {
    problems.push(
      problem(
        "NO_CARD_ACCOUNT",
        "There is no clearing account for card payments (payment account of type “other”, e.g. 1792/3630). Card takings must not be booked to the cash account.",
        "Es gibt kein Verrechnungskonto für Kartenzahlungen (Basiskonto Typ „Sonstiges“, z. B. 1792/3630). Kartenumsätze dürfen nicht auf die Kasse gebucht werden.",
      ),
    );
  }

  let debtorMode: BbConnectionCheck["debtorMode"] = "unknown";
  if (postingAccounts.some((a) => a.type === "debtor collective")) debtorMode = "usable";
  else {
    const [receipt] = (await deps.getReceipts({ direction: "outbound", max: 1 })).filter((r) => !r.deleted);
    if (receipt) {
      try {
        await deps.probeReceiptPosting(receipt.id);
        debtorMode = "usable";
      } catch (e) {
        if (isAppError(e) && e.code === "BB_DEBTOR_MODE_OFF") debtorMode = "off";
        else if (isAppError(e) && e.code === "UPSTREAM_REJECTED") debtorMode = "usable";
        else throw e;
      }
    }
  }
  if (debtorMode === "off") {
    problems.push(
      problem(
        "DEBTOR_MODE_OFF",
        "Debtor posting is switched off in BuchhaltungsButler. Set Einstellungen → Buchhalterische Einstellungen → Debitoren to “Selektiv” or “Sammelkonto”.",
        "Die Debitorenbuchung ist in BuchhaltungsButler ausgeschaltet. Stellen Sie Einstellungen → Buchhalterische Einstellungen → Debitoren auf „Selektiv“ oder „Sammelkonto“.",
      ),
    );
  } else if (debtorMode === "unknown") {
    problems.push(
      problem(
        "DEBTOR_MODE_UNKNOWN",
        "We could not check whether debtor posting is switched on (there is no outbound receipt yet). Make sure Debitoren is “Selektiv” or “Sammelkonto”; the first sale will confirm it.",
        "Wir konnten nicht prüfen, ob die Debitorenbuchung eingeschaltet ist (es gibt noch keinen Ausgangsbeleg). Bitte stellen Sie Debitoren auf „Selektiv“ oder „Sammelkonto“; die erste Buchung bestätigt es.",
      ),
    );
  }

  return {
    ok: chart !== "unknown" && debtorMode !== "off",
    chart,
    paymentAccounts,
    revenueAccounts,
    debtorMode,
    problems,
    postingAccountCount: postingAccounts.length,
  };
}
