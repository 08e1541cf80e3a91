import { CREDITOR_RANGE, DEBTOR_RANGE } from "../charts";
import { list, ok, today, type Ctx, type Handler } from "../context";
import { isFixed, isOutbound, type ReceiptType, type SbReceipt, type SbTenant } from "../model";
import { amount, asArray, bool, date, dateOrDateTime, fail, int, isObject, money, paging, present, str, type Body } from "../params";
import { paidIndex, postingsOf, receiptPaid, type PaidIndex } from "../ledger";
import { runBatch } from "./batch";

export const RECEIPT_TYPES: ReceiptType[] = ["invoice inbound", "invoice outbound", "credit inbound", "credit outbound"];

export const CURRENCIES = new Set(
  "AED AUD BGN BRL CAD CHF CNY COP CYP CZK DKK EUR GBP HKD HRK HUF IDR ILS INR ISK JPY KRW LTL LVL MTL MXN MYR NOK NZD PEN PHP PLN QAR ROL RON RSD RUB SEK SGD SIT SKK THB TRL TRY UAH USD VND ZAR".split(" "),
);
/** German VAT rates a receipt can carry (16/5 % from the 2020 reduction). */
const VAT_RATES = new Set([0, 500, 700, 1600, 1900]);

const E = {
  type: [8, "invalid receipt type"],
  account: [9, "invalid account specified"],
  accountMissing: [10, "account does not exist for the customer"],
  counterparty: [17, "invalid counterparty specified"],
  invoiceNumber: [18, "invalid invoice number specified"],
  date: [19, "invalid date specified"],
  amount: [20, "invalid amount specified"],
  currency: [21, "invalid currency specified"],
  vat: [22, "invalid vat rate specified"],
  cd: [24, "invalid creditor/debtor specified"],
  cdMissing: [25, "creditor/debtor specified does not exist for the customer"],
  paymentReference: [34, "invalid payment reference specified"],
  delivery: [35, "invalid date delivery specified"],
  due: [36, "invalid date_payment_due specified"],
  link: [37, "invalid link_to_receipt_id_by_customer specified"],
} as const satisfies Record<string, readonly [number, string]>;

const e = (x: readonly [number, string]): [number, string] => [x[0], x[1]];

type ReceiptFields = Omit<SbReceipt, "id" | "deleted" | "filename" | "uploadedAt" | "updatedAt" | "file" | "comments">;

/** The metadata of receipts/add (all required fields) or receipts/upload (all optional), validated in the spec's order. */
export function readReceiptFields(ctx: Ctx, body: Body, mode: "add" | "upload"): ReceiptFields {
  const { tenant, strict } = ctx;
  const required = mode === "add";
  const type = body.type;
  if (typeof type !== "string" || !RECEIPT_TYPES.includes(type as ReceiptType)) fail(...e(E.type));
  const rtype = type as ReceiptType;

  const counterparty = str(body, "counterparty", e(E.counterparty), { max: strict.counterpartyMax });
  if (required && counterparty === undefined) fail(...e(E.counterparty));
  // invoice_number is required but may be an empty string.
  const invoiceNumber = str(body, "invoice_number", e(E.invoiceNumber), { max: 60, allowEmpty: true });
  if (required && invoiceNumber === undefined) fail(...e(E.invoiceNumber));
  const d = date(body, "date", e(E.date));
  if (required && d === undefined) fail(...e(E.date));
  const amt = amount(body, "amount", e(E.amount), { nonZero: true });
  if (required && amt === undefined) fail(...e(E.amount));
  const currency = str(body, "currency", e(E.currency));
  if (required && currency === undefined) fail(...e(E.currency));
  if (currency !== undefined && (mode === "upload" ? currency !== "EUR" : !CURRENCIES.has(currency))) fail(...e(E.currency));

  let vatRate: string | null = null;
  if (present(body, "vat_rate") && body.vat_rate !== "") {
    const v = amount(body, "vat_rate", e(E.vat));
    if (v === undefined || !VAT_RATES.has(v)) fail(...e(E.vat));
    vatRate = money(v!);
  }

  const account = int(body, "account", e(E.account), { min: 1 });
  if (account !== undefined && !tenant.paymentAccounts.has(account)) fail(...e(E.accountMissing));

  const cd = int(body, "creditor_debtor", e(E.cd), { min: 1 });
  if (cd !== undefined) checkCreditorDebtor(tenant, rtype, cd, strict.acceptCollectiveDebtor);

  const paymentReference = str(body, "payment_reference", e(E.paymentReference), { max: 100 });
  const dateDelivery = date(body, "date_delivery", e(E.delivery));
  // DATEV: the delivery date must not be after the receipt date.
  if (dateDelivery !== undefined && d !== undefined && dateDelivery > d) fail(...e(E.delivery));
  const datePaymentDue = date(body, "date_payment_due", e(E.due));
  const linkTo = int(body, "link_to_receipt_id_by_customer", e(E.link), { min: 1 });
  if (linkTo !== undefined && !tenant.receipts[linkTo - 1]) fail(...e(E.link));

  return {
    type: rtype,
    counterparty: counterparty ?? "",
    invoiceNumber: invoiceNumber ?? "",
    date: d ?? null,
    amount: amt ?? null,
    currency: currency ?? "EUR",
    vatRate,
    account: account ?? null,
    creditorDebtor: cd ?? null,
    paymentReference: paymentReference ?? null,
    dateDelivery: dateDelivery ?? null,
    datePaymentDue: datePaymentDue ?? null,
    linkTo: linkTo ?? null,
  };
}

function checkCreditorDebtor(tenant: SbTenant, type: ReceiptType, n: number, acceptCollective: boolean): void {
  const outbound = isOutbound(type);
  if (n >= DEBTOR_RANGE.from && n <= DEBTOR_RANGE.to) {
    if (!outbound) fail(28, `a receipt of type '${type}' cannot be assigned to a debtor account`);
    if (tenant.debtorMode === "off") fail(29, "debtors are not activated for the customer");
    if (n === DEBTOR_RANGE.collective) {
      if (!acceptCollective || tenant.debtorMode !== "collective") fail(...e(E.cd));
      return;
    }
    if (!tenant.debtors.has(n)) fail(...e(E.cdMissing));
    return;
  }
  if (n >= CREDITOR_RANGE.from && n <= CREDITOR_RANGE.to) {
    if (outbound) fail(26, `a receipt of type '${type}' cannot be assigned to a creditor account`);
    if (tenant.creditorMode === "off") fail(27, "creditors are not activated for the customer");
    if (n === CREDITOR_RANGE.collective) {
      if (!acceptCollective || tenant.creditorMode !== "collective") fail(...e(E.cd));
      return;
    }
    if (!tenant.creditors.has(n)) fail(...e(E.cdMissing));
    return;
  }
  fail(...e(E.cd));
}

export function createReceipt(ctx: Ctx, fields: ReceiptFields, file: SbReceipt["file"]): SbReceipt {
  const id = ctx.tenant.receipts.length + 1;
  const receipt: SbReceipt = {
    ...fields,
    id,
    deleted: false,
    filename: `receipt${id}`,
    uploadedAt: today(ctx.clock),
    updatedAt: ctx.clock.now(),
    file,
    comments: [],
  };
  ctx.tenant.receipts.push(receipt);
  return receipt;
}

export const receiptsAdd: Handler = (ctx) => {
  const receipt = createReceipt(ctx, readReceiptFields(ctx, ctx.body, "add"), null);
  return ok({ id_by_customer: String(receipt.id) });
};

export const receiptsAddBatch: Handler = (ctx) => {
  const items = asArray(ctx.body.receipts);
  if (!items || items.length === 0) fail(6, "No receipts found");
  if (items!.length > ctx.limits.batchMaxItems) fail(5, `Maximum of ${ctx.limits.batchMaxItems} receipts exceeded`);
  return runBatch(ctx, "receipts", items!, (item) => {
    if (!isObject(item)) fail(...e(E.type));
    const receipt = createReceipt(ctx, readReceiptFields(ctx, item as Body, "add"), null);
    return { id_by_customer: String(receipt.id) };
  });
};

const MAGIC: [RegExp | number[], NonNullable<SbReceipt["file"]>["type"]][] = [
  [[0x25, 0x50, 0x44, 0x46], "pdf"],
  [[0xff, 0xd8, 0xff], "jpeg"],
  [[0x89, 0x50, 0x4e, 0x47], "png"],
  [[0x42, 0x4d], "bmp"],
  [[0x49, 0x49, 0x2a, 0x00], "tiff"],
  [[0x4d, 0x4d, 0x00, 0x2a], "tiff"],
];

function detectType(buf: Buffer): NonNullable<SbReceipt["file"]>["type"] | null {
  for (const [magic, type] of MAGIC) {
    const bytes = magic as number[];
    if (bytes.every((b, i) => buf[i] === b)) return type;
  }
  const head = buf.subarray(0, 200).toString("utf8").replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("<?xml") || head.startsWith("<")) return "xml";
  return null;
}

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const receiptsUpload: Handler = (ctx) => {
  const { tenant, body } = ctx;
  let content: Buffer;
  if (ctx.file) content = ctx.file.content;
  else {
    if (!present(body, "file") || typeof body.file !== "string" || body.file === "") fail(5, "no file provided");
    const b64 = String(body.file);
    if (!/^[A-Za-z0-9+/=\s]+$/.test(b64)) fail(6, "file type not accepted");
    content = Buffer.from(b64, "base64");
    const name = str(body, "file_name", [33, "file name is not specified"]);
    if (name === undefined) fail(33, "file name is not specified");
  }
  if (content!.length === 0) fail(5, "no file provided");
  if (tenant.uploadQuota !== null && tenant.uploadQuota <= 0) fail(12, "customer has reached the upload limit", 403);
  const type = detectType(content!);
  if (!type) fail(6, "file type not accepted");
  if (content!.length > MAX_UPLOAD_BYTES) fail(7, "maximum file size exceeded");
  // An encrypted PDF cannot be processed (the real service OCRs every upload).
  if (type === "pdf" && content!.includes("/Encrypt")) fail(31, "the receipt could not be processed (protected?)", 422);
  // E-invoices carry their own data: the metadata parameters are ignored for them.
  const meta: Body = type === "xml" ? { type: body.type, account: body.account, creditor_debtor: body.creditor_debtor, link_to_receipt_id_by_customer: body.link_to_receipt_id_by_customer } : body;
  const fields = readReceiptFields(ctx, meta, "upload");
  if (tenant.uploadQuota !== null) tenant.uploadQuota -= 1;
  const receipt = createReceipt(ctx, fields, { content: content!.toString("base64"), type: type! });
  return ok({ id_by_customer: String(receipt.id), filename: receipt.filename });
};

export function findReceipt(tenant: SbTenant, raw: unknown): SbReceipt | undefined {
  const id = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(id) ? tenant.receipts[id - 1] : undefined;
}

function pathReceipt(ctx: Ctx, notFound: [number, string] | null): SbReceipt | undefined {
  if (!ctx.pathId || !/^\d+$/.test(ctx.pathId)) fail(5, "invalid id_by_customer specified");
  const r = findReceipt(ctx.tenant, ctx.pathId);
  if (!r && notFound) fail(...notFound);
  return r;
}

export function receiptListItem(tenant: SbTenant, r: SbReceipt, index?: PaidIndex): Record<string, unknown> {
  const paid = receiptPaid(tenant, r, index);
  return {
    filename: r.filename,
    id_by_customer: String(r.id),
    type: r.type,
    date: r.date,
    delivery_date: r.dateDelivery,
    date_uploaded: r.uploadedAt,
    counterparty: r.counterparty,
    invoicenumber: r.invoiceNumber,
    amount: r.amount === null ? null : money(r.amount),
    payment_date: paid.paymentDate,
    due_date: r.datePaymentDue,
    account: r.account === null ? null : String(r.account),
    amount_paid: money(paid.paid),
    amount_paid_fixed: money(paid.paidFixed),
    deleted: r.deleted ? "1" : "0",
    link_to_receipt_id_by_customer: r.linkTo === null ? null : String(r.linkTo),
  };
}

const ORDER_FIELDS: Record<string, (r: SbReceipt) => string | number> = {
  date: (r) => r.date ?? "",
  amount: (r) => r.amount ?? 0,
  invoicenumber: (r) => r.invoiceNumber,
  invoice_number: (r) => r.invoiceNumber,
  invoicingparty: (r) => r.counterparty,
  counterparty: (r) => r.counterparty,
};

export const receiptsGet: Handler = (ctx) => {
  const { body, tenant, strict } = ctx;
  const direction = body.list_direction;
  if (direction !== "inbound" && direction !== "outbound") fail(5, "invalid list_direction specified");
  const status = body.payment_status;
  if (present(body, "payment_status") && status !== "paid" && status !== "unpaid") fail(6, "invalid payment_status specified");
  const from = date(body, "date_from", [7, "invalid date_from specified"]);
  const to = date(body, "date_to", [8, "invalid date_to specified"]);
  const counterparty = str(body, "counterparty", [9, "invalid counterparty specified"]);
  const { limit, offset } = paging(body, 500, 500, [10, "invalid limit specified"], [12, "invalid offset specified"]);
  bool(body, "include_offers", [13, "invalid include_offers specified"]);
  const deleted = bool(body, "deleted", [14, "invalid deleted specified"]);
  const invoiceNumber = str(body, "invoicenumber", [17, "invalid invoicenumber specified"], { max: 60 });
  const due = date(body, "due_date", [18, "invalid due_date specified"]);
  const since = dateOrDateTime(body, "date_since_last_modified", [19, "invalid date_since_last_modified specified"]);
  const order: [string, "ASC" | "DESC"][] = [];
  if (present(body, "order")) {
    if (!isObject(body.order)) fail(15, "invalid sort field is specified");
    for (const [field, dir] of Object.entries(body.order as Body)) {
      if (!ORDER_FIELDS[field]) fail(15, "invalid sort field is specified");
      if (dir !== "ASC" && dir !== "DESC") fail(16, "invalid sort value is specified");
      order.push([field, dir as "ASC" | "DESC"]);
    }
  }
  const sinceMs = since === undefined ? undefined : Date.parse(`${since.replace(" ", "T")}Z`);
  const index = paidIndex(tenant);
  let rows = tenant.receipts.filter((r) => {
    if ((direction === "outbound") !== isOutbound(r.type)) return false;
    if (deleted === true ? !r.deleted : deleted === false || !strict.listIncludesDeleted ? r.deleted : false) return false;
    if (from !== undefined && (r.date === null || r.date < from)) return false;
    if (to !== undefined && (r.date === null || r.date > to)) return false;
    if (counterparty !== undefined && !r.counterparty.toLowerCase().includes(counterparty.toLowerCase())) return false;
    if (invoiceNumber !== undefined && r.invoiceNumber !== invoiceNumber) return false;
    if (due !== undefined && r.datePaymentDue !== due) return false;
    if (sinceMs !== undefined && r.updatedAt <= sinceMs) return false;
    if (status !== undefined) {
      const paid = receiptPaid(tenant, r, index);
      const isPaid = r.amount !== null && Math.abs(paid.paid) >= Math.abs(r.amount);
      if ((status === "paid") !== isPaid) return false;
    }
    return true;
  });
  if (order.length) {
    rows = [...rows].sort((x, y) => {
      for (const [field, dir] of order) {
        const fx = ORDER_FIELDS[field]!(x);
        const fy = ORDER_FIELDS[field]!(y);
        if (fx !== fy) return (fx < fy ? -1 : 1) * (dir === "ASC" ? 1 : -1);
      }
      return x.id - y.id;
    });
  }
  return list(rows.slice(offset, offset + limit).map((r) => receiptListItem(tenant, r, index)));
};

export const receiptsGetOne: Handler = (ctx) => {
  const getFile = bool(ctx.body, "get_file", [6, "invalid get_file specified"]);
  const r = pathReceipt(ctx, null);
  // The spec has no "not found" code here, only 400/5 "invalid id_by_customer specified", so an unknown id gets
  // that; the lenient reading (200 with empty data) is the unknownReceiptId switch.
  if (!r) return ctx.strict.unknownReceiptId === "empty" ? ok({ data: [] }) : fail(5, "invalid id_by_customer specified");
  const paid = receiptPaid(ctx.tenant, r);
  const data: Record<string, unknown> = {
    filename: r.filename,
    id_by_customer: String(r.id),
    date: r.date,
    counterparty: r.counterparty,
    invoicenumber: r.invoiceNumber,
    amount: r.amount === null ? null : money(r.amount),
    amount_original: r.amount === null ? null : money(r.amount),
    currency: r.currency,
    currency_original: r.currency,
    exchangerate: "1.0000",
    vat: r.vatRate,
    payment_date: paid.paymentDate,
    account: r.account === null ? null : String(r.account),
    type: r.type,
    e_invoice_type: r.file?.type === "xml" ? "2" : "0",
    list_direction: isOutbound(r.type) ? "outbound" : "inbound",
    payment_reference: r.paymentReference,
    date_delivery: r.dateDelivery,
    date_payment_due: r.datePaymentDue,
    link_to_receipt_id_by_customer: r.linkTo === null ? null : String(r.linkTo),
    deleted: r.deleted ? "1" : "0",
  };
  if (getFile && r.file) {
    data.file_content = r.file.content;
    data.file_type = r.file.type === "xml" ? "xml" : "pdf";
  }
  return ok({ data });
};

export const receiptsDelete: Handler = (ctx) => {
  const r = pathReceipt(ctx, [6, "no receipt found"])!;
  if (r.deleted) fail(7, "receipt is already deleted");
  const postings = ctx.tenant.postings.filter((p) => !p.cancelled && (p.receiptId === r.id || p.assignedReceiptIds.includes(r.id)));
  if (postings.some((p) => isFixed(ctx.tenant, p.date))) fail(8, "receipt can´t be marked as deleted - fixed postings exist");
  if (postings.length) fail(9, "receipt is directly assigned to confirmed postings");
  r.deleted = true;
  r.updatedAt = ctx.clock.now();
  return ok({ id_by_customer: String(r.id) });
};

export const receiptsRestore: Handler = (ctx) => {
  const r = pathReceipt(ctx, [6, "no receipt found"])!;
  if (!r.deleted) fail(7, "receipt is not marked as deleted");
  r.deleted = false;
  r.updatedAt = ctx.clock.now();
  return ok({ id_by_customer: String(r.id) });
};

export const receiptsAssignedTransactions: Handler = (ctx) => {
  const { body, tenant, strict } = ctx;
  if (!present(body, "receipt_id_by_customer") || int(body, "receipt_id_by_customer", [5, "invalid receipt_id_by_customer specified"]) === undefined) {
    fail(5, "invalid receipt_id_by_customer specified");
  }
  const r = findReceipt(tenant, body.receipt_id_by_customer);
  if (!r) fail(6, "no receipt found");
  const confirmedOnly = bool(body, "confirmed_only", [7, "invalid confirmed_only specified"]);
  const assigned = tenant.receiptAssignments.get(r!.id) ?? new Set<number>();
  const rows = tenant.transactions.filter((t) => {
    if (!assigned.has(t.id)) return false;
    if (confirmedOnly) return postingsOf(tenant, { transactionId: t.id }).length > 0;
    return true;
  });
  return list(
    rows.map((t) => ({
      id_by_customer: strict.transactionIdsAsNumbers ? t.id : String(t.id),
      to_from: t.toFrom,
      amount: money(t.amount),
      booking_date: t.bookingDate,
      value_date: t.valueDate,
      purpose: t.purpose,
    })),
  );
};

/** Which postings a receipt's data would produce on: its own date (delivery date wins, as for the VAT date). */
export function receiptPostingDate(r: SbReceipt): string | null {
  return r.dateDelivery ?? r.date;
}
