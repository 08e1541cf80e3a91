import { CHARTS, inRanges, type PaymentAccountType } from "../charts";
import { list, ok, type Handler } from "../context";
import { bool, fail, paging, parseIntLike, present, str } from "../params";
import { findReceipt } from "./receipts";
import { findTransaction } from "./transactions";

export const accountsGet: Handler = (ctx) =>
  list([...ctx.tenant.paymentAccounts.values()].sort((x, y) => x.number - y.number).map((a) => ({ name: a.name, postingaccount_number: String(a.number) })));

const ACCOUNT_TYPES: PaymentAccountType[] = ["cash", "bank/institution", "other"];

export const accountsAdd: Handler = (ctx) => {
  const { tenant, body } = ctx;
  if (!present(body, "type")) fail(5, "no type specified");
  if (!ACCOUNT_TYPES.includes(body.type as PaymentAccountType)) fail(6, "invalid type specified");
  const type = body.type as PaymentAccountType;
  if (!present(body, "name")) fail(7, "no name specified");
  const name = str(body, "name", [10, "invalid name specified"])!;
  if ([...name].length < 2 || [...name].length > 50) fail(8, "the account name must be 2 to 50 characters long");
  if ([...tenant.paymentAccounts.values()].some((a) => a.name.toLowerCase() === name.toLowerCase())) fail(9, "the specified name already exists");
  if (!present(body, "postingaccount_number")) fail(12, "no postingaccount_number specified");
  const number = parseIntLike(body.postingaccount_number);
  if (number === null || number < 1) fail(17, "invalid postingaccount_number specified");
  if (String(number).length !== 4) fail(13, "the booking account number must have 4 to 4 digits");
  // Basiskonten live in fixed number ranges per type (Kasse, Bank, Verrechnungskonten); Geldtransit is not one.
  if (!inRanges(number!, CHARTS[tenant.chart].paymentRanges[type])) fail(14, "postingaccount_number is out of allowed range");
  if (tenant.paymentAccounts.has(number!) || tenant.accounts.has(number!)) fail(16, "the postingaccount_number already exists");
  const receiptCreatesTransaction = bool(body, "receipt_creates_transaction", [18, "invalid receipt_creates_transaction specified"]) ?? false;
  const revisionSafe = bool(body, "is_revision_safe", [19, "invalid is_revision_safe specified"]) ?? false;
  if (revisionSafe && type !== "cash") fail(19, "invalid is_revision_safe specified");
  tenant.paymentAccounts.set(number!, { number: number!, name, type, receiptCreatesTransaction, revisionSafe });
  return ok({ postingaccount_number: String(number) });
};

export const commentsAdd: Handler = (ctx) => {
  const { tenant, body } = ctx;
  const hasT = present(body, "transaction_id_by_customer");
  const hasR = present(body, "receipt_id_by_customer");
  const tid = hasT ? parseIntLike(body.transaction_id_by_customer) : null;
  if (hasT && (tid === null || tid < 1)) fail(5, "invalid transaction_id_by_customer specified");
  const rid = hasR ? parseIntLike(body.receipt_id_by_customer) : null;
  if (hasR && (rid === null || rid < 1)) fail(6, "invalid receipt_id_by_customer specified");
  if (hasT && hasR) fail(7, "only transaction_id_by_customer or receipt_id_by_customer should be specified");
  if (!hasT && !hasR) fail(8, "either transaction_id_by_customer or receipt_id_by_customer should be specified");
  const t = hasT ? findTransaction(tenant, tid) : undefined;
  if (hasT && !t) fail(9, "transaction was not found");
  const r = hasR ? findReceipt(tenant, rid) : undefined;
  if (hasR && !r) fail(10, "receipt was not found");
  if (!present(body, "comment_text")) fail(13, "no comment text is specified");
  const text = str(body, "comment_text", [12, "invalid comment_text specified"], { min: 2, max: 210 })!;
  (t ?? r)!.comments.push(text);
  return ok();
};

const CODE = /^[A-Za-z0-9]{1,10}$/;

export const costLocationsGet: Handler = (ctx) => {
  const { body, tenant } = ctx;
  const { limit, offset } = paging(body, 1000, 1000, [5, "invalid limit specified"], [6, "invalid offset specified"]);
  const code = str(body, "code", [7, "invalid code specified"]);
  if (code !== undefined && !CODE.test(code)) fail(7, "invalid code specified");
  const rows = [...tenant.costLocations.entries()].filter(([c]) => code === undefined || c === code).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return list(rows.slice(offset, offset + limit).map(([c, name]) => ({ code: c, name })));
};

export const costLocationsAdd: Handler = (ctx) => {
  const { body, tenant } = ctx;
  const code = str(body, "code", [5, "invalid code specified"]);
  if (code === undefined || !CODE.test(code) || tenant.costLocations.has(code)) fail(5, "invalid code specified");
  const name = str(body, "name", [6, "invalid name specified"], { max: 100 });
  if (name === undefined) fail(6, "invalid name specified");
  tenant.costLocations.set(code!, name!);
  return ok({ code });
};

export const costLocationsUpdate: Handler = (ctx) => {
  const { body, tenant } = ctx;
  const code = str(body, "code", [5, "no cost location code specified"]);
  if (code === undefined) fail(5, "no cost location code specified");
  if (!tenant.costLocations.has(code!)) fail(6, "cost location was not found");
  const name = str(body, "name", [7, "invalid name specified"], { max: 100 });
  if (name === undefined) fail(7, "invalid name specified");
  tenant.costLocations.set(code!, name!);
  return ok();
};

export const costLocationsDelete: Handler = (ctx) => {
  const { body, tenant } = ctx;
  const code = str(body, "code", [5, "no cost location code specified"]);
  if (code === undefined) fail(5, "no cost location code specified");
  if (!tenant.costLocations.has(code!)) fail(6, "cost location was not found");
  if (tenant.postings.some((p) => !p.cancelled && (p.costLocation === code || p.costLocationTwo === code))) fail(7, "cost location may not be deleted");
  tenant.costLocations.delete(code!);
  return ok();
};

