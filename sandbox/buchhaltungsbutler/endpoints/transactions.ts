import { list, ok, type Ctx, type Handler } from "../context";
import { postingsOf } from "../ledger";
import { isFixed, type SbTransaction, type SbTenant } from "../model";
import { amount, asArray, dateOrDateTime, dateTime, date, fail, int, isObject, money, paging, present, str, type Body, parseIntLike } from "../params";
import { runBatch } from "./batch";
import { CURRENCIES, findReceipt } from "./receipts";

function readTransaction(ctx: Ctx, body: Body): Omit<SbTransaction, "id" | "updatedAt" | "comments"> {
  const { tenant, strict } = ctx;
  if (!present(body, "account")) fail(5, "no account specified");
  const account = int(body, "account", [6, "invalid account specified"], { min: 1 })!;
  if (!tenant.paymentAccounts.has(account)) fail(7, "account does not exist for the customer");
  if (!present(body, "to_from")) fail(8, "no payment recipient or sender (to_from) specified");
  const toFrom = str(body, "to_from", [9, "invalid payment recipient or sender (to_from) specified"], { max: strict.counterpartyMax })!;
  if (!present(body, "amount")) fail(10, "no amount specified");
  const amt = amount(body, "amount", [13, "invalid amount specified"], { nonZero: true })!;
  if (!present(body, "booking_date")) fail(14, "no booking date specified");
  const bookingDate = dateTime(body, "booking_date", [16, "invalid booking date specified"])!;
  // A booked (festgeschrieben) period takes no new payments.
  if (isFixed(tenant, bookingDate)) fail(16, "invalid booking date specified");
  const valueDate = dateTime(body, "value_date", [17, "invalid value date specified"]);
  const accountNumber = str(body, "account_number", [18, "invalid account number specified"], { max: 34 });
  if (accountNumber !== undefined && !/^[A-Za-z0-9 ]{4,34}$/.test(accountNumber)) fail(18, "invalid account number specified");
  const bankCode = str(body, "bank_code", [19, "invalid bank code specified"], { max: 11 });
  if (bankCode !== undefined && !/^([A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?|\d{8})$/.test(bankCode)) fail(19, "invalid bank code specified");
  const bankName = str(body, "bank_name", [20, "invalid bank name specified"], { max: 100 });
  const purpose = str(body, "purpose", [21, "invalid purpose specified"], { max: strict.purposeMax, allowEmpty: true });
  const type = str(body, "type", [22, "invalid type specified"], { max: 50 });
  const bookingText = str(body, "booking_text", [24, "invalid booking text specified"], { max: 255, allowEmpty: true });
  const paymentReference = str(body, "payment_reference", [25, "invalid payment reference specified"], { max: 100 });
  const currency = str(body, "currency", [26, "invalid currency specified"]);
  if (currency !== undefined && !CURRENCIES.has(currency)) fail(26, "invalid currency specified");
  return {
    account,
    toFrom,
    amount: amt,
    bookingDate,
    valueDate: valueDate ?? bookingDate,
    accountNumber: accountNumber ?? null,
    bankCode: bankCode ?? null,
    bankName: bankName ?? null,
    purpose: purpose ?? "",
    type: type ?? null,
    bookingText: bookingText ?? "",
    paymentReference: paymentReference ?? null,
    currency: currency ?? "EUR",
  };
}

function createTransaction(ctx: Ctx, fields: Omit<SbTransaction, "id" | "updatedAt" | "comments">): SbTransaction {
  const t: SbTransaction = { ...fields, id: ctx.tenant.transactions.length + 1, updatedAt: ctx.clock.now(), comments: [] };
  ctx.tenant.transactions.push(t);
  return t;
}

const txId = (ctx: Ctx, id: number) => (ctx.strict.transactionIdsAsNumbers ? id : String(id));

export const transactionsAdd: Handler = (ctx) => {
  const t = createTransaction(ctx, readTransaction(ctx, ctx.body));
  // The spec documents a string; live answers carry a number here too.
  return ok({ id_by_customer: txId(ctx, t.id) });
};

export const transactionsAddBatch: Handler = (ctx) => {
  const items = asArray(ctx.body.transactions);
  if (!items || items.length === 0) fail(5, "No transactions found");
  if (items!.length > ctx.limits.batchMaxItems) fail(5, `Maximum of ${ctx.limits.batchMaxItems} transactions exceeded`);
  return runBatch(ctx, "transactions", items!, (item) => {
    if (!isObject(item)) fail(5, "no account specified");
    const t = createTransaction(ctx, readTransaction(ctx, item as Body));
    return { id_by_customer: txId(ctx, t.id) };
  });
};

export function findTransaction(tenant: SbTenant, raw: unknown): SbTransaction | undefined {
  const id = parseIntLike(raw);
  return id === null ? undefined : tenant.transactions[id - 1];
}

export const transactionsGet: Handler = (ctx) => {
  const { body, tenant } = ctx;
  const from = date(body, "date_from", [5, "invalid date_from specified"]);
  const to = date(body, "date_to", [6, "invalid date_to specified"]);
  const account = int(body, "account", [7, "invalid account specified"], { min: 1 });
  if (account !== undefined && !tenant.paymentAccounts.has(account)) fail(7, "invalid account specified");
  const toFrom = str(body, "to_from", [8, "invalid to_from specified"]);
  const { limit, offset } = paging(body, 500, 500, [9, "invalid limit specified"], [10, "invalid offset specified"]);
  const idFrom = int(body, "id_by_customer_from", [12, "invalid id_by_customer_from specified"], { min: 0 });
  const idTo = int(body, "id_by_customer_to", [13, "invalid id_by_customer_to specified"], { min: 1 });
  const since = dateOrDateTime(body, "date_since_last_modified", [14, "invalid date_since_last_modified specified"]);
  const sinceMs = since === undefined ? undefined : Date.parse(`${since.replace(" ", "T")}Z`);
  let rows = tenant.transactions.filter((t) => {
    const day = t.bookingDate.slice(0, 10);
    if (from !== undefined && day < from) return false;
    if (to !== undefined && day > to) return false;
    if (account !== undefined && t.account !== account) return false;
    if (toFrom !== undefined && !t.toFrom.toLowerCase().includes(toFrom.toLowerCase())) return false;
    if (idFrom !== undefined && t.id <= idFrom) return false;
    if (idTo !== undefined && t.id >= idTo) return false;
    if (sinceMs !== undefined && t.updatedAt <= sinceMs) return false;
    return true;
  });
  // Without an id range the list is in booking order; an id range switches to id ascending (spec).
  if (idFrom === undefined && idTo === undefined) rows = [...rows].sort((x, y) => (x.bookingDate < y.bookingDate ? -1 : x.bookingDate > y.bookingDate ? 1 : x.id - y.id));
  return list(
    rows.slice(offset, offset + limit).map((t) => ({
      id_by_customer: txId(ctx, t.id),
      to_from: t.toFrom,
      amount: money(t.amount),
      booking_date: t.bookingDate,
      value_date: t.valueDate,
      purpose: t.purpose,
    })),
  );
};

export const transactionsGetOne: Handler = (ctx) => {
  if (!ctx.pathId || !/^\d+$/.test(ctx.pathId)) fail(5, "invalid id_by_customer specified");
  const t = findTransaction(ctx.tenant, ctx.pathId);
  if (!t) fail(6, "transaction not found");
  return ok({
    data: {
      id_by_customer: txId(ctx, t!.id),
      account: t!.account,
      to_from: t!.toFrom,
      booking_date: t!.bookingDate,
      value_date: t!.valueDate,
      amount: money(t!.amount),
      currency: t!.currency,
      account_number: t!.accountNumber,
      bank_code: t!.bankCode,
      bank_name: t!.bankName,
      purpose: t!.purpose,
      type: t!.type,
      booking_text: t!.bookingText,
    },
  });
};

function assignPair(ctx: Ctx, body: Body): { transactionId: number; receiptId: number } {
  const tid = parseIntLike(body.transaction_id_by_customer);
  if (tid === null || tid < 1) fail(6, "no transaction_id_by_customer specified");
  const rid = parseIntLike(body.receipt_id_by_customer);
  if (rid === null || rid < 1) fail(7, "no receipt_id_by_customer specified");
  const t = findTransaction(ctx.tenant, tid);
  if (!t) fail(8, "transaction not found");
  const r = findReceipt(ctx.tenant, rid);
  if (!r || r.deleted) fail(9, "receipt not found");
  const set = ctx.tenant.assignments.get(tid!) ?? new Set<number>();
  if (set.has(rid!) && ctx.strict.duplicateAssignment === "error") fail(5, "invalid assignment type specified");
  set.add(rid!);
  ctx.tenant.assignments.set(tid!, set);
  const back = ctx.tenant.receiptAssignments.get(rid!) ?? new Set<number>();
  back.add(tid!);
  ctx.tenant.receiptAssignments.set(rid!, back);
  t!.updatedAt = ctx.clock.now();
  r!.updatedAt = ctx.clock.now();
  return { transactionId: tid!, receiptId: rid! };
}

export const transactionsAssign: Handler = (ctx) => {
  assignPair(ctx, ctx.body);
  return ok();
};

export const transactionsAssignBatch: Handler = (ctx) => {
  const items = asArray(ctx.body.transactions_to_receipts);
  if (!items || items.length === 0) fail(12, "No transactions to receipts found");
  if (items!.length > ctx.limits.batchMaxItems) fail(10, "Number of transactions to receipts exceeded");
  return runBatch(ctx, "transactions_to_receipts", items!, (item) => {
    if (!isObject(item)) fail(6, "no transaction_id_by_customer specified");
    const pair = assignPair(ctx, item as Body);
    // Seen live: integers here, unlike the spec's strings.
    return { transaction_id_by_customer: pair.transactionId, receipt_id_by_customer: pair.receiptId };
  });
};

export const transactionsUnassign: Handler = (ctx) => {
  const { body, tenant } = ctx;
  const tid = parseIntLike(body.transaction_id_by_customer);
  if (tid === null || tid < 1) fail(6, "no or invalid transaction_id_by_customer specified");
  const rid = parseIntLike(body.receipt_id_by_customer);
  if (rid === null || rid < 1) fail(7, "no or invalid receipt_id_by_customer specified");
  if (!findTransaction(tenant, tid)) fail(8, "transaction not found");
  if (!findReceipt(tenant, rid)) fail(9, "receipt not found");
  const set = tenant.assignments.get(tid!);
  if (!set || !set.has(rid!)) fail(23, "no receipts assigned to transaction");
  if (postingsOf(tenant, { transactionId: tid! }).some((p) => p.assignedReceiptIds.includes(rid!))) {
    fail(10, "receipt could not be removed from transaction, because of a confirmed posting");
  }
  set!.delete(rid!);
  tenant.receiptAssignments.get(rid!)?.delete(tid!);
  return ok();
};

export const transactionsAssignedReceipts: Handler = (ctx) => {
  const { body, tenant } = ctx;
  const tid = parseIntLike(body.transaction_id_by_customer);
  if (tid === null || tid < 1) fail(5, "invalid transaction_id_by_customer specified");
  if (!findTransaction(tenant, tid)) fail(6, "no transaction found");
  const confirmedOnly = present(body, "confirmed_only") ? body.confirmed_only : undefined;
  if (confirmedOnly !== undefined && ![true, false, "true", "false", "1", "0", 1, 0].includes(confirmedOnly as never)) fail(7, "invalid confirmed_only specified");
  const confirmed = confirmedOnly === true || confirmedOnly === "true" || confirmedOnly === "1" || confirmedOnly === 1;
  const ids = [...(tenant.assignments.get(tid!) ?? [])].sort((x, y) => x - y);
  const rows = ids
    .filter((rid) => !confirmed || postingsOf(tenant, { transactionId: tid! }).some((p) => p.assignedReceiptIds.includes(rid)))
    .map((rid) => ({ id_by_customer: String(rid), filename: tenant.receipts[rid - 1]?.filename ?? null }));
  return list(rows);
};
