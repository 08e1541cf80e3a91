import * as z from "zod";
import { AppError } from "../errors/app-error";
import { formatAmount, toCents, type Cents } from "../money";
import type { BbDebtor, BbPosting, BbReceipt, BbReceiptDetail, BbTransaction } from "./types";

/**
 * The wire format: what we send is built strictly (optional fields left out, never ""), what we read is
 * parsed leniently (BB returns amounts as strings, booleans as "0"/"1", ids as strings or numbers, and read
 * names differ from write names).
 */

/** A JSON number token with exactly two decimals ("119.00"), which JSON.stringify cannot produce itself. */
export class WireAmount {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `\u0000AMT${this.text}\u0000`;
  }
}

export const wireAmount = (c: Cents): WireAmount => new WireAmount(formatAmount(c));

/** Posting amounts travel as "0000.00" strings. */
export const postingAmount = (c: Cents): string => formatAmount(c);

export function serializeBody(body: Record<string, unknown>): string {
  return JSON.stringify(body).replace(/"\\u0000AMT(-?\d+\.\d{2})\\u0000"/g, "$1");
}

/** Drops undefined fields so nothing optional is ever sent empty. */
export function compact<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

// --- lenient readers -------------------------------------------------------------------------------------

const nullish = (v: unknown) => v === null || v === undefined || v === "";

export const idString = z.union([z.string(), z.number()]).transform((v) => String(v));
export const optId = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (nullish(v) ? null : String(v)));
export const optStr = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (nullish(v) ? null : String(v)));
export const optInt = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v, ctx) => {
    if (nullish(v)) return null;
    const n = Number(v);
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: "custom", message: `expected a whole number, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return n;
  });
export const flag = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((v) => v === true || v === 1 || v === "1" || v === "true");
export const money = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v, ctx): Cents | null => {
    if (nullish(v)) return null;
    try {
      return toCents(String(v));
    } catch {
      ctx.addIssue({ code: "custom", message: `expected an amount, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
  });

export const errorEnvelope = z.looseObject({
  success: z.literal(false),
  error_code: z.coerce.number(),
  message: z.string().catch(""),
});

export const okEnvelope = z.looseObject({ success: z.literal(true), message: z.string().nullish() });

export const listEnvelope = z.looseObject({
  success: z.literal(true),
  rows: z.coerce.number().nullish(),
  data: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
});

const receiptRow = z.looseObject({
  id_by_customer: idString,
  type: z.string().catch(""),
  date: optStr,
  delivery_date: optStr,
  date_delivery: optStr,
  counterparty: optStr,
  invoicenumber: optStr,
  amount: money,
  amount_paid: money,
  payment_date: optStr,
  due_date: optStr,
  date_payment_due: optStr,
  account: optInt,
  deleted: flag,
  link_to_receipt_id_by_customer: optId,
  filename: optStr,
});

function toReceipt(r: z.output<typeof receiptRow>): BbReceipt {
  return {
    id: r.id_by_customer,
    type: r.type,
    date: r.date?.slice(0, 10) ?? null,
    deliveryDate: r.delivery_date ?? r.date_delivery ?? null,
    counterparty: r.counterparty ?? "",
    invoiceNumber: r.invoicenumber ?? "",
    amount: (r.amount ?? 0) as Cents,
    amountPaid: (r.amount_paid ?? 0) as Cents,
    paymentDate: r.payment_date,
    dueDate: r.due_date ?? r.date_payment_due ?? null,
    account: r.account,
    deleted: r.deleted,
    linkToReceiptId: r.link_to_receipt_id_by_customer,
    filename: r.filename,
  };
}

export const receiptFromWire = receiptRow.transform(toReceipt);

export const receiptDetailFromWire = receiptRow
  .extend({
    currency: optStr,
    vat: optStr,
    payment_reference: optStr,
    list_direction: optStr,
    file_content: optStr,
    file_type: optStr,
  })
  .transform(
    (r): BbReceiptDetail => ({
      ...toReceipt(r),
      currency: r.currency,
      vatRate: r.vat,
      paymentReference: r.payment_reference,
      direction: r.list_direction === "outbound" || r.list_direction === "inbound" ? r.list_direction : null,
      fileContentBase64: r.file_content,
      fileType: r.file_type,
    }),
  );

export const transactionFromWire = z
  .looseObject({
    id_by_customer: idString,
    to_from: optStr,
    amount: money,
    booking_date: optStr,
    value_date: optStr,
    purpose: optStr,
    account: optInt,
    booking_text: optStr,
  })
  .transform(
    (t): BbTransaction => ({
      id: t.id_by_customer,
      toFrom: t.to_from ?? "",
      amount: (t.amount ?? 0) as Cents,
      bookingDate: t.booking_date ?? "",
      valueDate: t.value_date,
      purpose: t.purpose ?? "",
      ...(t.account !== null ? { account: t.account } : {}),
      ...(t.booking_text !== null ? { bookingText: t.booking_text } : {}),
    }),
  );

const splitIds = (s: string | null) =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

export const postingFromWire = z
  .looseObject({
    id_by_customer: idString,
    date: z.string(),
    postingtext: optStr,
    amount: money,
    vat: optStr,
    debit_postingaccount_number: optInt,
    credit_postingaccount_number: optInt,
    tax_key: optStr,
    booking_number: optStr,
    cost_location: optStr,
    fixed: flag,
    receipt_id_by_customer: optId,
    transaction_id_by_customer: optId,
    receipts_assigned_ids_by_customer: optStr,
  })
  .transform(
    (p): BbPosting => ({
      id: p.id_by_customer,
      date: p.date.slice(0, 10),
      text: p.postingtext ?? "",
      amount: Math.abs(p.amount ?? 0) as Cents,
      vatRate: p.vat,
      debitAccount: p.debit_postingaccount_number ?? 0,
      creditAccount: p.credit_postingaccount_number ?? 0,
      taxKey: p.tax_key,
      fixed: p.fixed,
      receiptId: p.receipt_id_by_customer,
      transactionId: p.transaction_id_by_customer,
      assignedReceiptIds: splitIds(p.receipts_assigned_ids_by_customer),
      costLocation: p.cost_location,
      bookingNumber: p.booking_number,
    }),
  );

export const personFromWire = z
  .looseObject({
    postingaccount_number: z.union([z.string(), z.number()]).transform(Number),
    name: optStr,
    contact_person_name: optStr,
    customer_number: optStr,
    email: optStr,
    street: optStr,
    additional_addressline: optStr,
    additional_address_line: optStr,
    zip: optStr,
    city: optStr,
    country: optStr,
    sales_tax_id_eu: optStr,
    sales_tax_id: optStr,
    iban: optStr,
    bic: optStr,
  })
  .transform(
    (d): BbDebtor => ({
      postingAccountNumber: d.postingaccount_number,
      name: d.name ?? "",
      contactPersonName: d.contact_person_name,
      customerNumber: d.customer_number,
      email: d.email,
      street: d.street,
      additionalAddressLine: d.additional_addressline ?? d.additional_address_line,
      zip: d.zip,
      city: d.city,
      country: d.country,
      salesTaxId: d.sales_tax_id_eu ?? d.sales_tax_id,
      iban: d.iban,
      bic: d.bic,
    }),
  );

export const postingAccountFromWire = z
  .looseObject({
    postingaccount_number: z.union([z.string(), z.number()]).transform(Number),
    name: optStr,
    type: optStr,
    subtype: optStr,
    parent_postingaccount_number: optInt,
  })
  .transform((a) => ({ number: a.postingaccount_number, name: a.name ?? "", type: a.type ?? "", subtype: a.subtype, parentNumber: a.parent_postingaccount_number }));

/** Parses rows of a list answer; an unreadable row fails the whole read (a skipped row could hide a record). */
export function parseRows<T>(path: string, rows: unknown[], schema: z.ZodType<T>): T[] {
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      throw new AppError("UPSTREAM_UNAVAILABLE", {
        detail: `BuchhaltungsButler answered ${path} with a row we cannot read (row ${i + 1}): ${z.prettifyError(parsed.error)}`,
        context: { path, row },
      });
    }
    return parsed.data;
  });
}

export function parseOne<T>(path: string, value: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `BuchhaltungsButler answered ${path} in a shape we cannot read: ${z.prettifyError(parsed.error)}`, context: { path } });
  }
  return parsed.data;
}
