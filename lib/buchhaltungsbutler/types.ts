import type { AppError } from "../errors/app-error";
import type { Cents } from "../money";

/**
 * The public shapes of the BuchhaltungsButler client. Inside the app: camelCase, integer cents, ids as
 * strings (BB's `id_by_customer`), account numbers as numbers. The wire format lives in wire.ts only.
 */
export type BbCredentials = { apiClient: string; apiSecret: string; apiKey: string };

export type BbStoredCredentials = { mode: "partner"; apiKey: string } | { mode: "own"; apiKey: string; apiClient: string; apiSecret: string };

export const BB_VAT_CODES = [
  "0_none",
  "19_vat",
  "7_vat",
  "19_pre",
  "7_pre",
  "19_both_1",
  "19_both_506",
  "19_both_6506",
  "19_both_511",
  "19_both_6511",
  "19_both_6501",
  "19_both_2",
  "7_both",
  "19_both_1_no_pre",
  "19_both_2_no_pre",
  "7_both_no_pre",
  "19_pre_app",
  "7_pre_app",
  "19_both_app_1",
  "19_both_app_506",
  "19_both_app_511",
  "19_both_app_2",
  "7_both_app",
] as const;
export type BbVatCode = (typeof BB_VAT_CODES)[number];

export type BbReceiptType = "invoice inbound" | "invoice outbound" | "credit inbound" | "credit outbound";
export type BbDirection = "outbound" | "inbound";

export interface BbReceiptInput {
  type: BbReceiptType;
  counterparty: string;
  /** Up to 60 characters; our exactly-once key, so it should never be empty for synced records. */
  invoiceNumber: string;
  /** YYYY-MM-DD */
  date: string;
  /** Gross, non-zero; negative for reversals. */
  amount: Cents;
  currency?: string;
  /** One VAT rate in percent (19, 7, 0); leave out for mixed rates. */
  vatRate?: number;
  /** Payment account number. */
  account?: number;
  /** Debtor (outbound) or creditor (inbound) number. */
  creditorDebtor?: number;
  paymentReference?: string;
  deliveryDate?: string;
  dueDate?: string;
  linkToReceiptId?: string;
}

export interface BbReceipt {
  id: string;
  type: BbReceiptType | string;
  date: string | null;
  deliveryDate: string | null;
  counterparty: string;
  invoiceNumber: string;
  /** Gross; 0 while BB does not know the amount yet (an upload before OCR). */
  amount: Cents;
  amountPaid: Cents;
  paymentDate: string | null;
  dueDate: string | null;
  account: number | null;
  deleted: boolean;
  linkToReceiptId: string | null;
  filename: string | null;
}

export interface BbReceiptDetail extends BbReceipt {
  currency: string | null;
  vatRate: string | null;
  paymentReference: string | null;
  direction: BbDirection | null;
  fileContentBase64: string | null;
  fileType: string | null;
}

export interface BbReceiptFilter {
  direction: BbDirection;
  invoiceNumber?: string;
  counterparty?: string;
  dateFrom?: string;
  dateTo?: string;
  paymentStatus?: "paid" | "unpaid";
  /** true: only deleted receipts. BB may list deleted ones otherwise too (check `deleted`). */
  deleted?: boolean;
  dueDate?: string;
  /** "YYYY-MM-DD HH:MM:SS" */
  modifiedSince?: string;
  /** Stop after this many rows (default: all pages). */
  max?: number;
}

export interface BbUploadInput {
  file: Buffer;
  fileName: string;
  type: BbReceiptType;
  counterparty?: string;
  invoiceNumber?: string;
  date?: string;
  amount?: Cents;
  account?: number;
  creditorDebtor?: number;
  deliveryDate?: string;
  dueDate?: string;
}

export interface BbTransactionInput {
  /** Payment account number (Kasse, Bank, card clearing). */
  account: number;
  toFrom: string;
  /** Positive in, negative out; non-zero. */
  amount: Cents;
  /** "YYYY-MM-DD HH:MM:SS" (a bare date gets 00:00:00). */
  bookingDate: string;
  valueDate?: string;
  /** How a lost write is found again (with date and amount); keep it unique per payment. */
  purpose?: string;
  bookingText?: string;
  type?: string;
  accountNumber?: string;
  bankCode?: string;
  bankName?: string;
  paymentReference?: string;
  currency?: string;
}

export interface BbTransaction {
  id: string;
  toFrom: string;
  amount: Cents;
  bookingDate: string;
  valueDate: string | null;
  purpose: string;
  /** Only on the detail read (the list does not return it). */
  account?: number;
  bookingText?: string | null;
}

export interface BbTransactionFilter {
  dateFrom?: string;
  dateTo?: string;
  account?: number;
  toFrom?: string;
  idAfter?: string;
  idBefore?: string;
  modifiedSince?: string;
  max?: number;
}

export interface BbPostingLine {
  account: number;
  text: string;
  vat: BbVatCode;
  /** Gross line amount; the lines of a receipt/transaction sum to its amount. */
  amount: Cents;
  costLocation?: string;
}

export interface BbReceiptPostingInput {
  receiptId: string;
  /** The receipt's posting date (delivery date or date), if known: makes a read-back after a lost answer cheap. */
  date?: string;
  debtor?: number;
  creditor?: number;
  lines: BbPostingLine[];
}

export interface BbTransactionPostingInput {
  transactionId: string;
  /** The payment's booking day, if known (cheaper read-back). */
  date?: string;
  lines: BbPostingLine[];
  /** Per line: the open-item receipt it clears, or null. Defaults to null for every line. */
  openItemReceiptIds?: (string | null)[];
}

export interface BbFreePostingInput {
  date: string;
  text: string;
  /** Positive. */
  amount: Cents;
  debitAccount: number;
  creditAccount: number;
  vat: BbVatCode;
  costLocation?: string;
}

export interface BbPostingFilter {
  dateFrom: string;
  dateTo: string;
  /** Payment accounts or "all" | "all financial accounts" | "free booking". */
  account?: (number | "all" | "all financial accounts" | "free booking")[];
  postingAccount?: (number | "all" | "all postingaccounts" | "all debtors" | "all creditors")[];
  status?: "all" | "fixed" | "unfixed";
  costLocation?: string;
  lastActionFrom?: string;
  lastActionTo?: string;
}

export interface BbPosting {
  id: string;
  /** YYYY-MM-DD */
  date: string;
  text: string;
  /** Gross, positive (direction is debit → credit). */
  amount: Cents;
  vatRate: string | null;
  debitAccount: number;
  creditAccount: number;
  taxKey: string | null;
  fixed: boolean;
  receiptId: string | null;
  transactionId: string | null;
  /** Receipts the posting is assigned to (open items it clears). */
  assignedReceiptIds: string[];
  costLocation: string | null;
  bookingNumber: string | null;
}

export interface BbDebtorInput {
  name: string;
  postingAccountNumber?: number;
  contactPersonName?: string;
  customerNumber?: string;
  email?: string;
  street?: string;
  additionalAddressLine?: string;
  zip?: string;
  city?: string;
  /** ISO 3166 alpha-2 */
  country?: string;
  salesTaxId?: string;
  iban?: string;
  bic?: string;
}

export type BbDebtorUpdate = Partial<Omit<BbDebtorInput, "postingAccountNumber">> & { postingAccountNumber: number };

export interface BbDebtor {
  postingAccountNumber: number;
  name: string;
  contactPersonName: string | null;
  customerNumber: string | null;
  email: string | null;
  street: string | null;
  additionalAddressLine: string | null;
  zip: string | null;
  city: string | null;
  country: string | null;
  salesTaxId: string | null;
  iban: string | null;
  bic: string | null;
}

export type BbCreditorInput = Omit<BbDebtorInput, "customerNumber"> & { dueInDays?: number };
export type BbCreditorUpdate = Partial<Omit<BbCreditorInput, "postingAccountNumber">> & { postingAccountNumber: number };
export type BbCreditor = Omit<BbDebtor, "customerNumber">;

/** A row of our debtor index: the debtor as BB has it, plus when we last saw it. */
export interface IndexedDebtor extends BbDebtor {
  seenAt: Date;
}

export interface BbPostingAccount {
  number: number;
  name: string;
  /** postingaccount | account | debtor | debtor collective | creditor | creditor collective */
  type: string;
  /** default | cash | bank/institution | other | null */
  subtype: string | null;
  parentNumber: number | null;
}

export interface BbPaymentAccount {
  number: number;
  name: string;
}

export interface BbPaymentAccountInput {
  type: "cash" | "bank/institution" | "other";
  name: string;
  number: number;
  receiptCreatesTransaction?: boolean;
  /** Cash only: entries can only be reversed (GoBD Kassenbuch). */
  revisionSafe?: boolean;
}

export interface BbCostLocation {
  code: string;
  name: string;
}

export type BbCommentInput = { receiptId: string; text: string } | { transactionId: string; text: string };

export type BatchItemResult<T> = { ok: true; value: T; recovered: boolean } | { ok: false; error: AppError };

/** One result per input item, in input order. */
export interface BatchOutcome<T> {
  results: BatchItemResult<T>[];
  succeeded: number;
  failed: number;
}

export interface BbProblem {
  code: string;
  message_en: string;
  message_de: string;
}

export interface BbConnectionCheck {
  /** Credentials work, the chart is known and debtor posting is not known to be off. */
  ok: boolean;
  chart: "SKR03" | "SKR04" | "unknown";
  paymentAccounts: { number: number; name: string; kind: "cash" | "bank" | "other" | "unknown" }[];
  /** The revenue accounts of the chart that exist in this tenant (null when missing). */
  revenueAccounts: { "19_vat": number | null; "7_vat": number | null; "0_none": number | null };
  debtorMode: "usable" | "off" | "unknown";
  problems: BbProblem[];
  postingAccountCount: number;
}

export interface BbClientStats {
  /** HTTP requests sent. */
  calls: number;
  byPath: Record<string, number>;
  /** Answers that said "slow down" (403/15 or 429). */
  throttled: number;
  /** Requests sent again after a failure. */
  retries: number;
  /** Writes found by a read-back after an uncertain failure (not written twice). */
  recovered: number;
  /**
   * Writes whose answer was lost and that a read-back did not find, so they were sent again (or given up). BB may
   * still commit the lost one later (a late commit): the sync looks for duplicates wherever this happened.
   */
  unconfirmed: number;
  /** Clock ms spent waiting for the rate limiter. */
  waitedMs: number;
}
