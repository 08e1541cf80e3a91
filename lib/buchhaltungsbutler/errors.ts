import { AppError } from "../errors/app-error";

/**
 * BuchhaltungsButler's error codes mean something different on every endpoint, so they are keyed on
 * (path, error_code). Codes shared by all endpoints are handled first; the rest become a record-level
 * rejection whose detail names the field and what BB expects, so a merchant can fix the record.
 */
interface FieldHint {
  field: string;
  expects: string;
}

const h = (field: string, expects: string): FieldHint => ({ field, expects });

const RECEIPT_HINTS: Record<number, FieldHint> = {
  8: h("type", "one of invoice inbound, invoice outbound, credit inbound, credit outbound"),
  9: h("account", "the number of an existing payment account"),
  10: h("account", "a payment account that exists in BuchhaltungsButler"),
  17: h("counterparty", "a non-empty name (at most 100 characters)"),
  18: h("invoice number", "at most 60 characters"),
  19: h("date", "a date as YYYY-MM-DD"),
  20: h("amount", "a non-zero amount with at most two decimals"),
  21: h("currency", "a supported ISO currency code such as EUR"),
  22: h("VAT rate", "one of 0, 5, 7, 16 or 19"),
  24: h("debtor/creditor", "the number of an existing debtor (outbound) or creditor (inbound)"),
  25: h("debtor/creditor", "a debtor/creditor that exists in BuchhaltungsButler"),
  26: h("debtor/creditor", "a debtor number (outbound receipts cannot go to a creditor)"),
  27: h("creditor", "creditor posting to be switched on in BuchhaltungsButler"),
  28: h("debtor/creditor", "a creditor number (inbound receipts cannot go to a debtor)"),
  34: h("payment reference", "a non-empty reference of at most 100 characters"),
  35: h("delivery date", "a date as YYYY-MM-DD that is not after the receipt date"),
  36: h("due date", "a date as YYYY-MM-DD"),
  37: h("linked receipt", "the id of an existing receipt"),
  12: h("upload", "a BuchhaltungsButler plan with uploads left this period"),
  5: h("file", "a file"),
  6: h("file", "a PDF, XML, JPEG, PNG, BMP or TIFF file"),
  7: h("file", "a smaller file"),
  31: h("file", "a PDF that is not password-protected"),
  32: h("file", "a readable receipt (OCR failed)"),
  33: h("file name", "a file name for base64 uploads"),
};

const TRANSACTION_HINTS: Record<number, FieldHint> = {
  5: h("payment account", "a payment account number"),
  6: h("payment account", "a whole payment account number"),
  7: h("payment account", "a payment account that exists in BuchhaltungsButler (create it under Einstellungen → Basiskonten)"),
  8: h("payer/payee", "a name"),
  9: h("payer/payee", "a non-empty name (at most 100 characters)"),
  10: h("amount", "an amount"),
  13: h("amount", "a non-zero amount with at most two decimals"),
  14: h("booking date", "a booking date"),
  16: h("booking date", "YYYY-MM-DD HH:MM:SS in a period that is not locked (festgeschrieben)"),
  17: h("value date", "YYYY-MM-DD HH:MM:SS"),
  18: h("account number", "an IBAN or account number"),
  19: h("bank code", "a BIC or German bank code"),
  20: h("bank name", "a non-empty bank name"),
  21: h("purpose", "at most 255 characters"),
  22: h("type", "a non-empty type"),
  24: h("booking text", "at most 255 characters"),
  25: h("payment reference", "a non-empty reference"),
  26: h("currency", "a supported ISO currency code such as EUR"),
};

const RECEIPT_POSTING_HINTS: Record<number, FieldHint> = {
  6: h("receipt", "a receipt that exists in BuchhaltungsButler"),
  7: h("receipt", "a receipt that is not deleted"),
  8: h("debtor/creditor", "a debtor for outbound receipts, a creditor for inbound ones"),
  13: h("receipt", "complete receipt data and a date in a period that is not locked (festgeschrieben)"),
  14: h("receipt", "a receipt that did not create its own payment"),
  16: h("receipt", "no posting on an assigned payment for the same accounts (that would book the revenue twice)"),
  17: h("posting account", "at least one posting account"),
  18: h("posting account", "whole account numbers"),
  19: h("posting account", "accounts that exist in BuchhaltungsButler's chart (not payment or person accounts)"),
  20: h("posting account", "an account that may be booked manually (not a tax or collective account)"),
  21: h("VAT code", "one VAT code per line"),
  22: h("VAT code", "a VAT code BuchhaltungsButler knows, e.g. 19_vat, 7_vat, 0_none"),
  24: h("VAT code", "the VAT code of the Automatikkonto (e.g. 8400/4400 only with 19_vat)"),
  25: h("VAT code", "no VAT on this account"),
  26: h("VAT code", "output VAT on revenue accounts and input VAT on expense accounts"),
  31: h("posting text", "at most 128 characters"),
  32: h("cost location", "at most 10 characters"),
  33: h("cost location", "an existing alphanumeric cost location code"),
  35: h("amounts", "non-zero amounts formatted 0000.00"),
  37: h("amounts", "lines that add up exactly to the receipt amount"),
  38: h("amounts", "lines whose total is not zero"),
  39: h("receipt", "a receipt in EUR"),
  43: h("debtor", "the debtor of the receipt (an existing debtor number)"),
  46: h("request", "only the documented parameters"),
};

const TRANSACTION_POSTING_HINTS: Record<number, FieldHint> = {
  5: h("payment", "a payment in a period that is not locked (festgeschrieben)"),
  6: h("payment", "a payment that exists in BuchhaltungsButler"),
  7: h("payment", "no revenue posting on accounts its assigned receipt already booked"),
  8: h("posting account", "at least one posting account"),
  9: h("posting account", "whole account numbers"),
  10: h("posting account", "accounts that exist (debtors only with debtor posting switched on)"),
  12: h("posting account", "an account that may be booked manually (not a payment, tax or collective account)"),
  13: h("VAT code", "one VAT code per line"),
  14: h("VAT code", "a VAT code BuchhaltungsButler knows"),
  16: h("VAT code", "the VAT code of the Automatikkonto"),
  17: h("VAT code", "0_none on debtor/creditor accounts; output VAT on revenue, input VAT on expense accounts"),
  21: h("posting text", "at most 128 characters"),
  22: h("cost location", "at most 10 characters"),
  24: h("cost location", "an existing alphanumeric cost location code"),
  26: h("amounts", "non-zero amounts formatted 0000.00"),
  27: h("amounts", "lines that add up exactly to the payment amount"),
  29: h("amounts", "lines whose total is not zero"),
  34: h("open items", "one receipt id or null per line"),
  46: h("request", "only the documented parameters"),
};

const FREE_POSTING_HINTS: Record<number, FieldHint> = {
  6: h("date", "a date"),
  7: h("date", "YYYY-MM-DD in a period that is not locked (festgeschrieben)"),
  8: h("posting text", "a text"),
  9: h("posting text", "at most 128 characters"),
  10: h("debit account", "an account number"),
  12: h("debit account", "an account that exists"),
  13: h("credit account", "an account number"),
  14: h("credit account", "an account that exists"),
  16: h("cost location", "at most 10 characters"),
  17: h("cost location", "an existing alphanumeric cost location code"),
  19: h("VAT code", "a VAT code BuchhaltungsButler knows"),
  21: h("amount", "a positive amount formatted 0000.00"),
  22: h("amount", "a positive amount"),
  24: h("debit account", "an account that may be booked manually (not a payment, tax or collective account)"),
  25: h("credit account", "an account that may be booked manually (not a payment, tax or collective account)"),
  26: h("accounts", "two different accounts"),
  27: h("VAT code", "the VAT code of the Automatikkonto"),
  28: h("VAT code", "no VAT on these accounts"),
  29: h("VAT code", "output VAT on revenue, input VAT on expense accounts"),
  31: h("VAT code", "0_none when neither account carries VAT"),
};

const PERSON_HINTS: Record<number, FieldHint> = {
  1: h("account number", "the number of an existing debtor/creditor"),
  7: h("account number", "a free number in the debtor (10001–69999) or creditor (70001–99999) range"),
  8: h("name", "a non-empty name of at most 100 characters"),
  9: h("contact person", "at most 100 characters"),
  10: h("street", "at most 100 characters"),
  12: h("additional address line", "at most 100 characters"),
  13: h("postcode", "at most 10 characters"),
  14: h("city", "at most 50 characters"),
  16: h("country", "an ISO code like DE or the German country name"),
  17: h("VAT ID", "a VAT ID like DE123456789"),
  18: h("IBAN", "a valid IBAN"),
  19: h("BIC", "a valid BIC"),
  20: h("e-mail", "a valid address of at most 100 characters"),
  21: h("customer number / due days", "at most 50 characters / 0–365 days"),
  24: h("account number", "an existing debtor/creditor"),
};

const POSTINGACCOUNT_HINTS: Record<number, FieldHint> = {
  5: h("account number", "an account number"),
  6: h("account number", "four digits"),
  7: h("account number", "a number outside the reserved ranges (payment, tax, person accounts)"),
  8: h("account number", "a number that is not taken"),
  9: h("account number", "digits only"),
  10: h("name", "a name"),
  12: h("name", "2–100 characters"),
  13: h("name", "a name not used by another account"),
  16: h("parent account", "a template account"),
  18: h("parent account", "an account of the standard chart (not one created by hand)"),
};

const PAYMENT_ACCOUNT_HINTS: Record<number, FieldHint> = {
  6: h("type", "cash, bank/institution or other"),
  8: h("name", "2–50 characters"),
  9: h("name", "a name not used by another payment account"),
  13: h("account number", "four digits"),
  14: h("account number", "a number inside the chart's range for this type (e.g. SKR03 Kasse 1000–1020, Verrechnung 1792)"),
  16: h("account number", "a number that is not taken"),
  19: h("revision-safe", "only on cash accounts"),
};

const HINTS: Record<string, Record<number, FieldHint>> = {
  "receipts/add": RECEIPT_HINTS,
  "receipts/addBatch": RECEIPT_HINTS,
  "receipts/upload": RECEIPT_HINTS,
  "transactions/add": TRANSACTION_HINTS,
  "transactions/addBatch": TRANSACTION_HINTS,
  "postings/add/receipt": RECEIPT_POSTING_HINTS,
  "postings/add-batch/receipts": RECEIPT_POSTING_HINTS,
  "postings/add/transaction": TRANSACTION_POSTING_HINTS,
  "postings/add-batch/transactions": TRANSACTION_POSTING_HINTS,
  "postings/add/free": FREE_POSTING_HINTS,
  "postings/add-batch/free": FREE_POSTING_HINTS,
  "settings/add/debtor": PERSON_HINTS,
  "settings/add-batch/debtors": PERSON_HINTS,
  "settings/update/debtor": PERSON_HINTS,
  "settings/add/creditor": PERSON_HINTS,
  "settings/add-batch/creditors": PERSON_HINTS,
  "settings/update/creditor": PERSON_HINTS,
  "settings/add/postingaccount": POSTINGACCOUNT_HINTS,
  "accounts/add": PAYMENT_ACCOUNT_HINTS,
};

/** Paths whose codes 10/12 (and receipts' 29) mean "debtor/creditor posting is switched off". */
function isDebtorModeOff(path: string, code: number): boolean {
  if (path.startsWith("postings/add/receipt") || path.startsWith("postings/add-batch/receipts")) return code === 10 || code === 12;
  if (path === "receipts/add" || path === "receipts/addBatch" || path === "receipts/upload") return code === 29;
  return false;
}

/** The path with an id placeholder normalised ("receipts/get/12" → "receipts/get/:id"). */
export function routeKey(path: string): string {
  return path.replace(/^(receipts\/get|receipts\/delete|receipts\/restore|transactions\/get)\/[^/]+$/, "$1/:id");
}

export interface BbErrorInfo {
  path: string;
  status: number;
  errorCode: number | null;
  bbMessage: string;
  /**
   * The answer was not BB's JSON (an HTML or text page from a proxy, WAF or load balancer): its status says
   * nothing about our request or credentials, and whether the request went on to BB is unknown.
   */
  foreign?: boolean;
}

/** Is this answer "the write may or may not have happened"? (5xx, 504/30, 500/0, or a page that is not BB's) */
export function isUncertain(info: BbErrorInfo): boolean {
  return info.foreign === true || info.status >= 500 || info.errorCode === 0 || info.errorCode === 30;
}

/**
 * Paths whose spec gives code 15 the meaning "temporarily restricted" (403). Elsewhere 15 means something else
 * (receipts/get: "invalid sort field") or nothing, so the code alone does not make a throttle.
 */
const THROTTLE_15_PATHS = new Set([
  "receipts/addBatch", "receipts/upload", "transactions/add", "transactions/addBatch", "transactions/assign-batch/receipt",
  "postings/add-batch/receipts", "postings/add-batch/transactions", "postings/add-batch/free", "settings/add-batch/debtors", "settings/add-batch/creditors",
]);

/**
 * Throttled: a 429 from anywhere (BB's answer on endpoints whose spec has no throttle code is unknown), or 403/15
 * where the spec says that is the throttle. A 403/15 on another path is still taken as one, since no endpoint
 * gives 403/15 another meaning; a 400/15 is a validation error.
 */
export function isThrottle(info: BbErrorInfo): boolean {
  if (info.status === 429) return true;
  if (info.errorCode !== 15) return false;
  return THROTTLE_15_PATHS.has(routeKey(info.path)) || info.status === 403;
}

/** A definite (non-transient) BB error answer → AppError. */
export function bbErrorToAppError(info: BbErrorInfo): AppError {
  const { path, status, errorCode, bbMessage } = info;
  const key = routeKey(path);
  const context = { path: key, errorCode, bbMessage, status };
  if (errorCode === 3 || errorCode === 4 || (status === 401 && !info.foreign)) {
    return new AppError("BB_CREDENTIALS_INVALID", {
      detail: errorCode === 4 ? "the API key is unknown or not enabled for this API client" : "the API client or secret is unknown",
      fixHint: "Copy the API key (and, for your own access, client and secret) again from BuchhaltungsButler → Einstellungen → Schnittstellen/API-Zugang.",
      context,
    });
  }
  if (errorCode === 11) return new AppError("BB_ACCOUNT_INACTIVE", { context });
  if (isThrottle(info)) return new AppError("RATE_LIMITED", { detail: `BuchhaltungsButler is throttling ${key}`, retryAfterSeconds: 60, context });
  if (errorCode !== null && isDebtorModeOff(key, errorCode)) {
    return new AppError("BB_DEBTOR_MODE_OFF", { detail: `BuchhaltungsButler refused ${key}: ${bbMessage}`, context });
  }
  if (info.foreign) {
    return new AppError("UPSTREAM_UNAVAILABLE", { detail: `BuchhaltungsButler could not be reached on ${key}: HTTP ${status} came with a page that is not BuchhaltungsButler's (a proxy or firewall in between?)`, context });
  }
  if (isUncertain(info)) return new AppError("UPSTREAM_UNAVAILABLE", { detail: `BuchhaltungsButler failed on ${key} (HTTP ${status}${errorCode !== null ? `, error ${errorCode}` : ""})`, context });
  const hint = errorCode !== null ? HINTS[key]?.[errorCode] : undefined;
  const detail = hint
    ? `BuchhaltungsButler rejected the ${hint.field}: it expects ${hint.expects} (error ${errorCode}: “${bbMessage}”)`
    : `BuchhaltungsButler rejected ${key}${errorCode !== null ? ` with error ${errorCode}` : ""}: “${bbMessage || `HTTP ${status}`}”`;
  return new AppError("UPSTREAM_REJECTED", {
    detail,
    fixHint: hint ? `Correct the ${hint.field} of this record (in Lightspeed or in the mapping) and retry it.` : "Check the record and the BuchhaltungsButler settings, then retry it.",
    context,
  });
}
