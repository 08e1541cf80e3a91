import { randomBytes } from "node:crypto";
import { CHARTS, DEBTOR_RANGE, type Chart, type ChartAccount, type DebtorMode, type PaymentAccountType, type VatCode } from "./charts";

/**
 * The sandbox's in-memory state: one object per BuchhaltungsButler tenant ("Mandant"). Amounts are integer
 * cents; ids are per-tenant counters (BB's `id_by_customer`).
 */
export interface SbPerson {
  number: number;
  name: string;
  contactPersonName: string | null;
  street: string | null;
  additionalAddressLine: string | null;
  zip: string | null;
  city: string | null;
  country: string | null;
  customerNumber: string | null;
  salesTaxId: string | null;
  email: string | null;
  iban: string | null;
  bic: string | null;
  dueInDays: number | null;
}

export interface SbPaymentAccount {
  number: number;
  name: string;
  type: PaymentAccountType;
  receiptCreatesTransaction: boolean;
  revisionSafe: boolean;
}

export type ReceiptType = "invoice inbound" | "invoice outbound" | "credit inbound" | "credit outbound";

export interface SbReceipt {
  id: number;
  type: ReceiptType;
  counterparty: string;
  invoiceNumber: string;
  date: string | null;
  amount: number | null;
  currency: string;
  vatRate: string | null;
  account: number | null;
  creditorDebtor: number | null;
  paymentReference: string | null;
  dateDelivery: string | null;
  datePaymentDue: string | null;
  linkTo: number | null;
  deleted: boolean;
  filename: string;
  uploadedAt: string;
  updatedAt: number;
  file: { content: string; type: "pdf" | "xml" | "jpeg" | "png" | "bmp" | "tiff" } | null;
  comments: string[];
}

export interface SbTransaction {
  id: number;
  account: number;
  toFrom: string;
  amount: number;
  bookingDate: string;
  valueDate: string;
  accountNumber: string | null;
  bankCode: string | null;
  bankName: string | null;
  purpose: string;
  type: string | null;
  bookingText: string;
  paymentReference: string | null;
  currency: string;
  updatedAt: number;
  comments: string[];
}

export type PostingKind = "receipt" | "transaction" | "free" | "reversal";

export interface SbPosting {
  id: number;
  kind: PostingKind;
  date: string;
  text: string;
  /** Gross, always positive: the sign of a split line is expressed by swapping debit and credit. */
  amount: number;
  vat: VatCode;
  debit: number;
  credit: number;
  /** The side of the posting that carries the tax (the Sachkonto), if any. */
  taxSide: "debit" | "credit" | null;
  receiptId: number | null;
  transactionId: number | null;
  /** Open-item receipts a transaction posting clears, or a receipt assigned to a free posting. */
  assignedReceiptIds: number[];
  costLocation: string | null;
  costLocationTwo: string | null;
  bookingNumber: number;
  createdAt: number;
  lastActionAt: number;
  cancelled: boolean;
  reversalOf: number | null;
}

export interface SbTenant {
  name: string;
  apiClient: string;
  apiSecret: string;
  apiKey: string;
  /** Partner client id → the API key BB shows the merchant for that partner (the partner was "activated"). */
  partnerKeys: Record<string, string>;
  chart: Chart;
  debtorMode: DebtorMode;
  creditorMode: DebtorMode;
  active: boolean;
  /** Postings dated on or before this day are fixed (festgeschrieben). */
  fixedUntil: string | null;
  /** Uploads left in the plan (null = unlimited); 403/12 when used up. */
  uploadQuota: number | null;
  accounts: Map<number, ChartAccount>;
  paymentAccounts: Map<number, SbPaymentAccount>;
  debtors: Map<number, SbPerson>;
  creditors: Map<number, SbPerson>;
  receipts: SbReceipt[];
  transactions: SbTransaction[];
  postings: SbPosting[];
  /** Postings by the receipt / transaction they book (kept by addPosting; lookups stay O(1) in big books). */
  postingsByReceipt: Map<number, SbPosting[]>;
  postingsByTransaction: Map<number, SbPosting[]>;
  /** transaction id → receipt ids (m:n). */
  assignments: Map<number, Set<number>>;
  /** The same relation the other way: receipt id → transaction ids. */
  receiptAssignments: Map<number, Set<number>>;
  costLocations: Map<string, string>;
  nextPostingId: number;
  nextBookingNumber: number;
}

export interface SbPartner {
  apiClient: string;
  apiSecret: string;
  name: string;
}

export interface TenantSeed {
  name: string;
  apiClient?: string;
  apiSecret?: string;
  apiKey?: string;
  chart?: Chart;
  debtorMode?: DebtorMode;
  creditorMode?: DebtorMode;
  active?: boolean;
  fixedUntil?: string | null;
  uploadQuota?: number | null;
  /** Partners the merchant activated: client id → API key (generated when empty). */
  partners?: Record<string, string | undefined>;
  paymentAccounts?: { number: number; name: string; type: PaymentAccountType; revisionSafe?: boolean; receiptCreatesTransaction?: boolean }[];
  debtors?: (Partial<Omit<SbPerson, "number" | "name">> & { name: string; number?: number })[];
  costLocations?: { code: string; name: string }[];
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

export function emptyPerson(number: number, name: string): SbPerson {
  return {
    number,
    name,
    contactPersonName: null,
    street: null,
    additionalAddressLine: null,
    zip: null,
    city: null,
    country: null,
    customerNumber: null,
    salesTaxId: null,
    email: null,
    iban: null,
    bic: null,
    dueInDays: null,
  };
}

/** A fresh tenant: the chart's accounts, a Kasse and a Bank unless other payment accounts are given. */
export function createTenant(seed: TenantSeed): SbTenant {
  const chart = seed.chart ?? "SKR03";
  const spec = CHARTS[chart];
  const tenant: SbTenant = {
    name: seed.name,
    apiClient: seed.apiClient ?? `client-${randomToken(6)}`,
    apiSecret: seed.apiSecret ?? randomToken(16),
    apiKey: seed.apiKey ?? randomToken(16),
    partnerKeys: {},
    chart,
    debtorMode: seed.debtorMode ?? "selective",
    creditorMode: seed.creditorMode ?? "selective",
    active: seed.active ?? true,
    fixedUntil: seed.fixedUntil ?? null,
    uploadQuota: seed.uploadQuota ?? null,
    accounts: new Map(spec.accounts.map((acc) => [acc.number, { ...acc }])),
    paymentAccounts: new Map(),
    debtors: new Map(),
    creditors: new Map(),
    receipts: [],
    transactions: [],
    postings: [],
    postingsByReceipt: new Map(),
    postingsByTransaction: new Map(),
    assignments: new Map(),
    receiptAssignments: new Map(),
    costLocations: new Map((seed.costLocations ?? []).map((c) => [c.code, c.name])),
    nextPostingId: 1,
    nextBookingNumber: 1,
  };
  for (const [client, key] of Object.entries(seed.partners ?? {})) tenant.partnerKeys[client] = key ?? randomToken(16);
  const payment =
    seed.paymentAccounts ??
    (chart === "SKR03"
      ? [
          { number: 1000, name: "Kasse", type: "cash" as const, revisionSafe: true },
          { number: 1200, name: "Bank", type: "bank/institution" as const },
        ]
      : [
          { number: 1600, name: "Kasse", type: "cash" as const, revisionSafe: true },
          { number: 1800, name: "Bank", type: "bank/institution" as const },
        ]);
  for (const p of payment) {
    tenant.paymentAccounts.set(p.number, {
      number: p.number,
      name: p.name,
      type: p.type,
      revisionSafe: p.revisionSafe ?? false,
      receiptCreatesTransaction: p.receiptCreatesTransaction ?? false,
    });
  }
  for (const d of seed.debtors ?? []) {
    const number = d.number ?? nextPersonNumber(tenant.debtors, DEBTOR_RANGE.from + 1);
    tenant.debtors.set(number, { ...emptyPerson(number, d.name), ...d, number });
  }
  return tenant;
}

export function nextPersonNumber(existing: Map<number, SbPerson>, from: number): number {
  let n = from;
  while (existing.has(n)) n++;
  return n;
}

export function isFixed(tenant: SbTenant, date: string | null): boolean {
  return tenant.fixedUntil !== null && date !== null && date.slice(0, 10) <= tenant.fixedUntil;
}

/** Outbound receipts book against debtors, inbound ones against creditors. */
export function isOutbound(type: ReceiptType): boolean {
  return type.endsWith("outbound");
}
