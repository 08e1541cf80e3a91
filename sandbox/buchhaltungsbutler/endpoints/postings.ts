import { CREDITOR_RANGE, DEBTOR_RANGE, VAT_CODES, vatInfo, type VatCode } from "../charts";
import { list, ok, today, type Ctx, type Handler } from "../context";
import { addPosting, isPersonAccount, postingsOf } from "../ledger";
import { isFixed, isOutbound, type SbPosting, type SbReceipt, type SbTenant } from "../model";
import { asArray, date, fail, isObject, money, paging, parseIntLike, parsePostingAmount, present, str, type Body } from "../params";
import { runBatch } from "./batch";
import { findReceipt, receiptPostingDate } from "./receipts";
import { findTransaction } from "./transactions";

/** The same validation has different error codes on the receipt and the transaction endpoint. */
interface LineCodes {
  noAccount: number;
  accountInvalid: number;
  notAvailable: number;
  cannotBook: number;
  noVat: number;
  invalidVat: number;
  forcedVat: number;
  vatForAccount: number;
  vatClass: number;
  textLong: number;
  costLong: number;
  costInvalid: number;
  amountInvalid: number;
  sumMismatch: number;
  totalInvalid: number;
  cost2Long: number;
  cost2Invalid: number;
}

const RECEIPT_CODES: LineCodes = {
  noAccount: 17,
  accountInvalid: 18,
  notAvailable: 19,
  cannotBook: 20,
  noVat: 21,
  invalidVat: 22,
  forcedVat: 24,
  vatForAccount: 25,
  vatClass: 26,
  textLong: 31,
  costLong: 32,
  costInvalid: 33,
  amountInvalid: 35,
  sumMismatch: 37,
  totalInvalid: 38,
  cost2Long: 44,
  cost2Invalid: 45,
};

const TRANSACTION_CODES: LineCodes = {
  noAccount: 8,
  accountInvalid: 9,
  notAvailable: 10,
  cannotBook: 12,
  noVat: 13,
  invalidVat: 14,
  forcedVat: 16,
  vatForAccount: 14,
  vatClass: 17,
  textLong: 21,
  costLong: 22,
  costInvalid: 24,
  amountInvalid: 26,
  sumMismatch: 27,
  totalInvalid: 29,
  cost2Long: 31,
  cost2Invalid: 32,
};

interface Line {
  account: number;
  text: string;
  vat: VatCode;
  amount: number;
  costLocation: string | null;
  costLocationTwo: string | null;
}

const RECEIPT_PARAMS = new Set(["api_key", "receipt_id_by_customer", "postingaccounts", "postingtexts", "vats", "amounts", "cost_locations", "cost_locations_two", "creditor", "debtor"]);
const TRANSACTION_PARAMS = new Set(["api_key", "transaction_id_by_customer", "postingaccounts", "postingtexts", "vats", "amounts", "cost_locations", "cost_locations_two", "oi_receipts_ids_by_customer"]);

function checkParams(body: Body, allowed: Set<string>): void {
  // Seen live: the batch schema's `postingstexts` spelling fails with this message.
  if (!present(body, "postingtexts")) fail(23, "No postingtexts are set");
  for (const key of Object.keys(body)) if (!allowed.has(key)) fail(46, "invalid or not existing parameters");
}

function checkCostLocation(ctx: Ctx, v: unknown, long: number, invalid: number, mustExist: boolean): string {
  if (typeof v !== "string" && typeof v !== "number") fail(invalid, "the cost location must consist of alphanumeric characters or be a number greater than 0");
  const s = String(v);
  if (s.length > 10) fail(long, "the cost location is longer than 10 characters");
  if (!/^[A-Za-z0-9]+$/.test(s) || /^0+$/.test(s)) fail(invalid, "the cost location must consist of alphanumeric characters or be a number greater than 0");
  if (mustExist && !ctx.tenant.costLocations.has(s)) fail(invalid, "the cost location must consist of alphanumeric characters or be a number greater than 0");
  return s;
}

/** Checks that `vat` may be posted on `account` (Automatikkonto, input/output class). */
function checkVatForAccount(tenant: SbTenant, account: number, vat: VatCode, codes: { forced: number; vatClass: number; forAccount: number }): void {
  if (isPersonAccount(account)) {
    if (vat !== "0_none") fail(codes.vatClass, `the account "${account}" must be posted without value added tax`);
    return;
  }
  const acc = tenant.accounts.get(account);
  if (!acc) return;
  if (acc.forcedVat && acc.forcedVat !== vat) fail(codes.forced, `the account ${account} must be posted with vat option "${acc.forcedVat}"`);
  const kind = vatInfo(vat).kind;
  if (acc.vatClass === "output" && (kind === "input" || kind === "reverse")) fail(codes.vatClass, `the account "${account}; ${acc.name}" must be posted with value added tax`);
  if (acc.vatClass === "input" && kind === "output") fail(codes.vatClass, `the account "${account}; ${acc.name}" must be posted with pre tax`);
  if (acc.vatClass === "none" && kind !== "none") fail(codes.forAccount, `the vat option for account "${account}; ${acc.name}" is invalid`);
}

function readLines(ctx: Ctx, body: Body, codes: LineCodes, allowPersons: boolean): Line[] {
  const { tenant, strict } = ctx;
  const accounts = asArray(body.postingaccounts);
  if (!accounts || accounts.length === 0) fail(codes.noAccount, "no postingaccount number specified");
  const n = accounts!.length;
  const vats = asArray(body.vats);
  if (!vats || vats.length !== n) fail(codes.noVat, "no vat option specified");
  const texts = asArray(body.postingtexts);
  if (!texts || texts.length !== n) fail(23, "No postingtexts are set");
  const amounts = asArray(body.amounts);
  if (!amounts || amounts.length !== n) fail(codes.amountInvalid, "invalid amount specified");
  const costs = present(body, "cost_locations") ? asArray(body.cost_locations) : null;
  if (present(body, "cost_locations") && (!costs || costs.length !== n)) fail(codes.costInvalid, "the cost location must consist of alphanumeric characters or be a number greater than 0");
  const costs2 = present(body, "cost_locations_two") ? asArray(body.cost_locations_two) : null;
  if (present(body, "cost_locations_two") && (!costs2 || costs2.length !== n)) fail(codes.cost2Invalid, "the cost location two must consist of alphanumeric characters or be a number greater than 0");

  return accounts!.map((raw, i) => {
    const account = parseIntLike(raw);
    if (account === null || account < 1) fail(codes.accountInvalid, "the specified postingaccount is not valid");
    const acc = account!;
    if (tenant.paymentAccounts.has(acc)) fail(codes.cannotBook, "the specified postingaccount cannot be booked manually");
    if (isPersonAccount(acc)) {
      const mode = acc <= DEBTOR_RANGE.to ? tenant.debtorMode : tenant.creditorMode;
      const exists = acc <= DEBTOR_RANGE.to ? tenant.debtors.has(acc) || (acc === DEBTOR_RANGE.collective && mode === "collective") : tenant.creditors.has(acc) || (acc === CREDITOR_RANGE.collective && mode === "collective");
      if (!allowPersons || mode === "off" || !exists) fail(codes.notAvailable, "the specified postingaccount is not available");
    } else {
      const chartAcc = tenant.accounts.get(acc);
      if (!chartAcc) fail(codes.notAvailable, "the specified postingaccount is not available");
      if (chartAcc!.blocked) fail(codes.cannotBook, "the specified postingaccount cannot be booked manually");
    }
    const vat = vats![i];
    if (typeof vat !== "string" || vat === "") fail(codes.noVat, "no vat option specified");
    if (!VAT_CODES.includes(vat as VatCode)) fail(codes.invalidVat, `invalid vat option for given account "${acc}" specified`);
    checkVatForAccount(tenant, acc, vat as VatCode, { forced: codes.forcedVat, vatClass: codes.vatClass, forAccount: codes.vatForAccount });
    const text = texts![i];
    if (typeof text !== "string") fail(23, "No postingtexts are set");
    if ([...(text as string)].length > 128) fail(codes.textLong, "the posting text is longer than 128 characters");
    const amt = parsePostingAmount(amounts![i], strict.postingAmountsMustBeStrings);
    if (amt === null || amt === 0) fail(codes.amountInvalid, "invalid amount specified");
    const cost = costs ? checkCostLocation(ctx, costs[i], codes.costLong, codes.costInvalid, strict.costLocationMustExist) : null;
    const cost2 = costs2 ? checkCostLocation(ctx, costs2[i], codes.cost2Long, codes.cost2Invalid, false) : null;
    return { account: acc, text: text as string, vat: vat as VatCode, amount: amt!, costLocation: cost, costLocationTwo: cost2 };
  });
}

function checkSum(lines: Line[], expected: number, codes: LineCodes, what: string): void {
  const sum = lines.reduce((t, l) => t + l.amount, 0);
  if (sum === 0) fail(codes.totalInvalid, "the total amount of all postings is invalid");
  if (sum !== expected) fail(codes.sumMismatch, `the total amount of all postings does not match the ${what} amount`);
}

const livePostings = (tenant: SbTenant, match: (p: SbPosting) => boolean) => tenant.postings.filter((p) => !p.cancelled && match(p));

/** The Sachkonten (revenue, expense, …) a set of postings booked: not the payment or person accounts they clear. */
const sachkonten = (tenant: SbTenant, postings: SbPosting[]) =>
  new Set(postings.flatMap((p) => [p.debit, p.credit]).filter((n) => !isPersonAccount(n) && !tenant.paymentAccounts.has(n)));

function postReceipt(ctx: Ctx, body: Body): void {
  const { tenant, strict } = ctx;
  const receipt = findReceipt(tenant, body.receipt_id_by_customer);
  if (!receipt) fail(6, "receipt not found");
  const r = receipt as SbReceipt;
  if (r.deleted) fail(7, "receipt is deleted");
  if (r.amount === null || r.date === null) fail(13, "the receipt is not valid, please complete the data");
  const outbound = isOutbound(r.type);
  if (outbound && tenant.debtorMode === "off") fail(12, "debtor posting is not activated");
  if (!outbound && tenant.creditorMode === "off") fail(10, "creditor posting is not activated");
  const postingDate = receiptPostingDate(r)!;
  // A fixed (festgeschrieben) period takes no new postings.
  if (isFixed(tenant, postingDate)) fail(13, "the receipt is not valid, please complete the data");
  if (r.currency !== "EUR") fail(39, "postings with foreign currencies are not allowed");
  checkParams(body, RECEIPT_PARAMS);

  const personKey = outbound ? "debtor" : "creditor";
  if (present(body, outbound ? "creditor" : "debtor")) fail(8, "expected account type by receipt does not match the creditor/debtor account's type");
  const range = outbound ? DEBTOR_RANGE : CREDITOR_RANGE;
  const people = outbound ? tenant.debtors : tenant.creditors;
  const mode = outbound ? tenant.debtorMode : tenant.creditorMode;
  let person: number | null = null;
  // The spec marks debtor/creditor as required whenever debtor/creditor posting is on (it is, past the mode check
  // above), so leaving it out is refused rather than filled in from the receipt.
  if (!present(body, personKey)) fail(43, "the specified creditor/debtor is invalid");
  if (present(body, personKey)) {
    person = parseIntLike(body[personKey]);
    if (person === null || person < range.from || person > range.to) fail(43, "the specified creditor/debtor is invalid");
    if (person === range.collective ? !(strict.acceptCollectiveDebtor && mode === "collective") : !people.has(person!)) fail(43, "the specified creditor/debtor is invalid");
  }
  if (r.creditorDebtor !== null && person !== null && person !== r.creditorDebtor) fail(43, "the specified creditor/debtor is invalid");
  person ??= r.creditorDebtor ?? (mode === "collective" ? range.collective : null);
  if (person === null) fail(43, "the specified creditor/debtor is invalid");

  const lines = readLines(ctx, body, RECEIPT_CODES, false);
  checkSum(lines, r.amount!, RECEIPT_CODES, "receipt");
  // A payment assigned to this receipt that already booked the same accounts would double the revenue.
  for (const tid of tenant.receiptAssignments.get(r.id) ?? []) {
    const booked = sachkonten(tenant, postingsOf(tenant, { transactionId: tid }));
    if (lines.some((l) => booked.has(l.account))) fail(16, "a transaction linked to the receipt has already been posted");
  }

  for (const l of lines) {
    const positive = l.amount > 0;
    // Outbound: the debtor owes the gross amount (debit), revenue is credited; a negative line turns it round.
    const personDebit = outbound === positive;
    addPosting(tenant, ctx.clock, {
      kind: "receipt",
      date: postingDate,
      text: l.text,
      amount: Math.abs(l.amount),
      vat: l.vat,
      debit: personDebit ? person! : l.account,
      credit: personDebit ? l.account : person!,
      taxSide: l.vat === "0_none" ? null : personDebit ? "credit" : "debit",
      receiptId: r.id,
      transactionId: null,
      assignedReceiptIds: [],
      costLocation: l.costLocation,
      costLocationTwo: l.costLocationTwo,
    });
  }
  r.updatedAt = ctx.clock.now();
}

function postTransaction(ctx: Ctx, body: Body): void {
  const { tenant } = ctx;
  const t = findTransaction(tenant, body.transaction_id_by_customer);
  if (!t) fail(6, "transaction not found");
  if (isFixed(tenant, t!.bookingDate)) fail(5, "invalid posting type specified");
  checkParams(body, TRANSACTION_PARAMS);
  const lines = readLines(ctx, body, TRANSACTION_CODES, true);
  const oi = asArray(body.oi_receipts_ids_by_customer);
  const oiError = "for each partial posting, one or no receipt has to be specified explicitly via oi_receipts_ids_by_customer";
  if (!oi || oi.length !== lines.length) fail(34, oiError);
  const oiIds = oi!.map((v) => {
    if (v === null || v === "" || v === "null") return null;
    const r = findReceipt(tenant, v);
    if (!r || r.deleted) fail(34, oiError);
    return r!.id;
  });
  checkSum(lines, t!.amount, TRANSACTION_CODES, "transaction");
  // Revenue already booked on an assigned receipt must not be booked again on its payment.
  for (const rid of tenant.assignments.get(t!.id) ?? []) {
    const booked = sachkonten(tenant, postingsOf(tenant, { receiptId: rid }));
    if (lines.some((l) => booked.has(l.account))) fail(7, "a receipt linked to the transaction has already been posted");
  }
  lines.forEach((l, i) => {
    const moneyIn = l.amount > 0;
    addPosting(tenant, ctx.clock, {
      kind: "transaction",
      date: t!.bookingDate.slice(0, 10),
      text: l.text,
      amount: Math.abs(l.amount),
      vat: l.vat,
      debit: moneyIn ? t!.account : l.account,
      credit: moneyIn ? l.account : t!.account,
      taxSide: l.vat === "0_none" ? null : moneyIn ? "credit" : "debit",
      receiptId: null,
      transactionId: t!.id,
      assignedReceiptIds: oiIds[i] === null || oiIds[i] === undefined ? [] : [oiIds[i]!],
      costLocation: l.costLocation,
      costLocationTwo: l.costLocationTwo,
    });
  });
  t!.updatedAt = ctx.clock.now();
}

const FREE_PARAMS = ["date", "postingtext", "amount", "postingaccount_debit", "postingaccount_credit", "vat", "cost_location", "cost_location_two"];

function postFree(ctx: Ctx, body: Body): void {
  const { tenant, strict } = ctx;
  if (!present(body, "date")) fail(6, "no date specified");
  const d = date(body, "date", [7, "invalid date specified"])!;
  if (isFixed(tenant, d)) fail(7, "invalid date specified");
  if (!present(body, "postingtext")) fail(8, "no postingtext specified");
  const text = str(body, "postingtext", [8, "no postingtext specified"])!;
  if ([...text].length > 128) fail(9, "the posting text is longer than 128 characters");
  const side = (key: string, missing: number, invalid: number, manual: number): number => {
    if (!present(body, key)) fail(missing, `no ${key} specified`);
    const n = parseIntLike(body[key]);
    if (n === null || n < 1) fail(invalid, `invalid ${key} specified or ${key} is not available`);
    const acc = n!;
    if (tenant.paymentAccounts.has(acc)) fail(manual, `specified ${key} cannot posted manually`);
    if (isPersonAccount(acc)) {
      const isDebtor = acc <= DEBTOR_RANGE.to;
      const mode = isDebtor ? tenant.debtorMode : tenant.creditorMode;
      const exists = isDebtor ? tenant.debtors.has(acc) : tenant.creditors.has(acc);
      if (mode === "off" || !exists) fail(invalid, `invalid ${key} specified or ${key} is not available`);
      return acc;
    }
    const chartAcc = tenant.accounts.get(acc);
    if (!chartAcc) fail(invalid, `invalid ${key} specified or ${key} is not available`);
    if (chartAcc!.blocked) fail(manual, `specified ${key} cannot posted manually`);
    return acc;
  };
  const debit = side("postingaccount_debit", 10, 12, 24);
  const credit = side("postingaccount_credit", 13, 14, 25);
  const cost = present(body, "cost_location") ? checkCostLocation(ctx, body.cost_location, 16, 17, strict.costLocationMustExist) : null;
  if (!present(body, "vat")) fail(18, "no vat specified");
  const vat = body.vat;
  if (typeof vat !== "string" || !VAT_CODES.includes(vat as VatCode)) fail(19, "invalid vat specified");
  if (!present(body, "amount")) fail(20, "no amount specified");
  const amt = parsePostingAmount(body.amount, strict.postingAmountsMustBeStrings);
  if (amt === null || amt === 0) fail(21, "invalid amount specified");
  if (amt! < 0) fail(22, "there are no negative amounts allowed");
  if (debit === credit) fail(26, "the postingaccount_credit is identical to the postingaccount_debit");
  const v = vat as VatCode;
  // The tax belongs to the Sachkonto side: output tax with the credited, input tax with the debited account.
  // Person and "no VAT" accounts never carry it; only the side(s) that can are checked against the code.
  const kind = vatInfo(v).kind;
  const bears = (acc: number) => !isPersonAccount(acc) && tenant.accounts.get(acc)?.vatClass !== "none";
  let taxSide: "debit" | "credit" | null = null;
  if (kind === "none") {
    for (const acc of [debit, credit]) if (!isPersonAccount(acc)) checkVatForAccount(tenant, acc, v, { forced: 27, vatClass: 29, forAccount: 28 });
  } else {
    if (bears(debit) && bears(credit)) taxSide = kind === "input" ? "debit" : "credit";
    else if (bears(credit)) taxSide = "credit";
    else if (bears(debit)) taxSide = "debit";
    else fail(31, "no vat possible for specified combination");
    checkVatForAccount(tenant, taxSide === "debit" ? debit : credit, v, { forced: 27, vatClass: 29, forAccount: 28 });
  }
  const cost2 = present(body, "cost_location_two") ? checkCostLocation(ctx, body.cost_location_two, 36, 37, false) : null;
  addPosting(tenant, ctx.clock, {
    kind: "free",
    date: d,
    text,
    amount: amt!,
    vat: v,
    debit,
    credit,
    taxSide,
    receiptId: null,
    transactionId: null,
    assignedReceiptIds: [],
    costLocation: cost,
    costLocationTwo: cost2,
  });
}

export const postingsAddReceipt: Handler = (ctx) => {
  postReceipt(ctx, ctx.body);
  return ok();
};

export const postingsAddTransaction: Handler = (ctx) => {
  postTransaction(ctx, ctx.body);
  return ok();
};

export const postingsAddFree: Handler = (ctx) => {
  for (const key of Object.keys(ctx.body)) if (key !== "api_key" && !FREE_PARAMS.includes(key)) fail(5, "invalid posting type specified");
  postFree(ctx, ctx.body);
  return ok();
};

function batchItems(ctx: Ctx, key: string): unknown[] {
  const items = asArray(ctx.body[key]);
  // The spec lists no validation error for this batch endpoint: a missing, empty or oversized list fails the
  // way an unvalidated backend would, with the generic 500/0.
  if (!items || items.length === 0 || items.length > ctx.limits.batchMaxItems) fail(0, "error while processing the request", 500);
  return items!;
}

export const postingsAddBatchReceipts: Handler = (ctx) =>
  runBatch(ctx, "receipts", batchItems(ctx, "receipts"), (item) => {
    if (!isObject(item)) fail(6, "receipt not found");
    postReceipt(ctx, { ...(item as Body), api_key: ctx.body.api_key });
    return {};
  });

export const postingsAddBatchTransactions: Handler = (ctx) =>
  runBatch(ctx, "transactions", batchItems(ctx, "transactions"), (item) => {
    if (!isObject(item)) fail(6, "transaction not found");
    postTransaction(ctx, { ...(item as Body), api_key: ctx.body.api_key });
    return {};
  });

export const postingsAddBatchFree: Handler = (ctx) =>
  runBatch(ctx, "free_postings", batchItems(ctx, "free_postings"), (item) => {
    if (!isObject(item)) fail(6, "no date specified");
    postFree(ctx, item as Body);
    return {};
  });

const ACCOUNT_KEYWORDS = new Set(["all", "all financial accounts", "free booking"]);
const POSTINGACCOUNT_KEYWORDS = new Set(["all", "all postingaccounts", "all debtors", "all creditors"]);
const ORDERS = new Set(["default", "date ASC", "date DESC", "date_last_action ASC", "date_last_action DESC", "id_by_customer ASC", "id_by_customer DESC"]);

function filterList(raw: unknown, keywords: Set<string>, code: number, name: string): { keywords: Set<string>; numbers: Set<number> } | null {
  if (raw === undefined || raw === null) return null;
  const s = typeof raw === "number" ? String(raw) : raw;
  if (typeof s !== "string" || s.trim() === "") fail(code, `invalid ${name} specified`);
  const out = { keywords: new Set<string>(), numbers: new Set<number>() };
  for (const part of (s as string).split(",").map((p) => p.trim())) {
    if (keywords.has(part)) out.keywords.add(part);
    else if (/^\d+$/.test(part)) out.numbers.add(Number(part));
    else fail(code, `invalid ${name} specified`);
  }
  return out;
}

function postingRow(ctx: Ctx, p: SbPosting): Record<string, unknown> {
  const { tenant } = ctx;
  const acc = tenant.accounts.get(p.taxSide === "debit" ? p.debit : p.credit);
  const info = vatInfo(p.vat);
  // DATEV BU key: none on Automatikkonten, else by VAT code (19 % USt 3, 7 % USt 2, 19 % VSt 9, 7 % VSt 8).
  const taxKey = acc?.forcedVat || info.kind === "none" ? "" : info.kind === "output" ? (info.rate === 19 ? "3" : "2") : info.kind === "input" ? (info.rate === 19 ? "9" : "8") : "94";
  const receipts = [...new Set([...(p.receiptId ? [p.receiptId] : []), ...p.assignedReceiptIds])].map((id) => tenant.receipts[id - 1]).filter((r): r is SbReceipt => !!r);
  const tx = p.transactionId ? tenant.transactions[p.transactionId - 1] : undefined;
  const joined = (f: (r: SbReceipt) => string | null) => (receipts.length ? receipts.map((r) => f(r) ?? "").join(", ") : null);
  return {
    id_by_customer: String(p.id),
    date: `${p.date} 00:00:00`,
    date_delivery: p.date,
    date_vat_effective: p.date,
    postingtext: p.text,
    amount: money(p.amount),
    currency: "EUR",
    vat: `${info.rate}.00`,
    // Soll/Haben seen from the financial or person account of the posting.
    credit_type: p.kind === "free" || isPersonAccount(p.debit) || tenant.paymentAccounts.has(p.debit) ? "S" : "H",
    debit_postingaccount_number: String(p.debit),
    credit_postingaccount_number: String(p.credit),
    tax_key: taxKey,
    booking_number: String(p.bookingNumber),
    cost_location: p.costLocation,
    cost_location_two: p.costLocationTwo,
    circumstances_ll: null,
    transaction_amount: tx ? money(tx.amount) : null,
    transaction_purpose: tx ? tx.purpose : null,
    receipts_assigned_ids_by_customer: joined((r) => String(r.id)),
    receipts_assigned_types: joined((r) => r.type),
    receipts_assigned_invoice_numbers: joined((r) => r.invoiceNumber),
    receipts_assigned_counterparties: joined((r) => r.counterparty),
    receipts_assigned_vat_rates: joined((r) => r.vatRate),
    receipts_assigned_amounts: joined((r) => (r.amount === null ? null : money(r.amount))),
    receipts_assigned_dates: joined((r) => (r.date ? `${r.date} 00:00:00` : null)),
    receipts_assigned_links: joined((r) => `https://sandbox.invalid/receipts/${r.id}`),
    fixed: isFixed(tenant, p.date) ? "1" : "0",
    comment: null,
    receipt_id_by_customer: p.receiptId === null ? null : String(p.receiptId),
    transaction_id_by_customer: p.transactionId === null ? null : String(p.transactionId),
  };
}

export const postingsGet: Handler = (ctx) => {
  const { body, tenant } = ctx;
  if (!present(body, "date_from")) fail(5, "invalid date_from specified");
  const from = date(body, "date_from", [5, "invalid date_from specified"])!;
  if (!present(body, "date_to")) fail(6, "invalid date_to specified");
  const to = date(body, "date_to", [6, "invalid date_to specified"])!;
  const accountFilter = filterList(body.account, ACCOUNT_KEYWORDS, 7, "account");
  const postingAccountFilter = filterList(body.postingaccount, POSTINGACCOUNT_KEYWORDS, 8, "postingaccount");
  const status = present(body, "posting_status") ? body.posting_status : "all";
  if (status !== "all" && status !== "fixed" && status !== "unfixed") fail(9, "invalid posting_status specified");
  // The spec leaves the default page size open; the sandbox uses a small one so clients must page explicitly.
  const { limit, offset } = paging(body, 100, 1000, [10, "invalid limit specified"], [12, "invalid offset specified"]);
  const cost = str(body, "cost_location", [13, "invalid cost_location specified"], { max: 10 });
  if (cost !== undefined && !/^[A-Za-z0-9]+$/.test(cost)) fail(13, "invalid cost_location specified");
  const actionFrom = date(body, "date_last_action_from", [14, "invalid date_last_action_from specified"]);
  const actionTo = date(body, "date_last_action_to", [16, "invalid date_last_action_to specified"]);
  const order = present(body, "order") ? body.order : "default";
  if (typeof order !== "string" || !ORDERS.has(order)) fail(17, "invalid order specified");

  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const matchesAccount = (p: SbPosting) => {
    if (!accountFilter || accountFilter.keywords.has("all")) return true;
    const financial = [p.debit, p.credit].filter((n) => tenant.paymentAccounts.has(n));
    if (accountFilter.keywords.has("all financial accounts") && financial.length) return true;
    if (accountFilter.keywords.has("free booking") && p.kind === "free") return true;
    return financial.some((n) => accountFilter.numbers.has(n));
  };
  const matchesPostingAccount = (p: SbPosting) => {
    if (!postingAccountFilter || postingAccountFilter.keywords.has("all")) return true;
    const sides = [p.debit, p.credit];
    if (postingAccountFilter.keywords.has("all postingaccounts") && sides.some((n) => tenant.accounts.has(n))) return true;
    if (postingAccountFilter.keywords.has("all debtors") && sides.some((n) => n >= DEBTOR_RANGE.from && n <= DEBTOR_RANGE.to)) return true;
    if (postingAccountFilter.keywords.has("all creditors") && sides.some((n) => n >= CREDITOR_RANGE.from && n <= CREDITOR_RANGE.to)) return true;
    return sides.some((n) => postingAccountFilter.numbers.has(n));
  };
  let rows = livePostings(tenant, (p) => {
    if (p.date < from || p.date > to) return false;
    const fixed = isFixed(tenant, p.date);
    if (status === "fixed" && !fixed) return false;
    if (status === "unfixed" && fixed) return false;
    if (cost !== undefined && p.costLocation !== cost) return false;
    if (actionFrom !== undefined && dayOf(p.lastActionAt) < actionFrom) return false;
    if (actionTo !== undefined && dayOf(p.lastActionAt) > actionTo) return false;
    return matchesAccount(p) && matchesPostingAccount(p);
  });
  const [field, dir] = order === "default" ? ["date", "ASC"] : (order as string).split(" ");
  const key = (p: SbPosting): string | number => (field === "date" ? p.date : field === "date_last_action" ? p.lastActionAt : p.id);
  rows = [...rows].sort((x, y) => {
    const kx = key(x);
    const ky = key(y);
    const c = kx < ky ? -1 : kx > ky ? 1 : order === "default" ? x.lastActionAt - y.lastActionAt || x.id - y.id : x.id - y.id;
    return dir === "DESC" ? -c : c;
  });
  return list(rows.slice(offset, offset + limit).map((p) => postingRow(ctx, p)));
};

function postingIdParam(body: Body, missing: [number, string], invalid: [number, string]): number {
  if (!present(body, "posting_id_by_customer")) fail(...missing);
  const id = parseIntLike(body.posting_id_by_customer);
  if (id === null || id < 1) fail(...invalid);
  return id!;
}

export const postingsCancel: Handler = (ctx) => {
  const { tenant } = ctx;
  const id = postingIdParam(ctx.body, [5, "parameter posting_id_by_customer is required"], [6, "parameter posting_id_by_customer must be an integer"]);
  // Posting ids are their position + 1 (postings are never removed, only flagged).
  const found = tenant.postings[id - 1];
  const p = found && !found.cancelled ? found : undefined;
  if (!p) fail(7, "posting not found");
  const posting = p!;
  if (posting.reversalOf !== null || tenant.postings.some((x) => x.reversalOf === posting.id)) fail(8, "posting cannot be cancelled");
  if (!isFixed(tenant, posting.date)) {
    // Not fixed: the posting simply disappears.
    posting.cancelled = true;
    posting.lastActionAt = ctx.clock.now();
    return ok();
  }
  // Fixed (GoBD): a reversal posting in the open period, debit and credit swapped.
  let reversalDate = today(ctx.clock);
  if (isFixed(tenant, reversalDate)) reversalDate = new Date(Date.parse(`${tenant.fixedUntil}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  addPosting(tenant, ctx.clock, {
    ...posting,
    kind: "reversal",
    date: reversalDate,
    text: `Storno: ${posting.text}`.slice(0, 128),
    debit: posting.credit,
    credit: posting.debit,
    taxSide: posting.taxSide === null ? null : posting.taxSide === "debit" ? "credit" : "debit",
    reversalOf: posting.id,
  });
  posting.lastActionAt = ctx.clock.now();
  return ok();
};

function unconfirm(ctx: Ctx, key: "receipt_id_by_customer" | "transaction_id_by_customer"): Record<string, unknown> {
  const { tenant, body } = ctx;
  const what = key === "receipt_id_by_customer" ? "receipt" : "transaction";
  if (!present(body, key)) fail(10, `parameter ${key} is required`);
  const id = parseIntLike(body[key]);
  if (id === null || id < 1) fail(9, `parameter ${key} must be an integer`);
  const exists = what === "receipt" ? findReceipt(tenant, id) : findTransaction(tenant, id);
  if (!exists) fail(6, `${what} not found`);
  const postings = postingsOf(tenant, what === "receipt" ? { receiptId: id! } : { transactionId: id! });
  if (postings.length === 0) fail(7, `${what} has no postings to unconfirm`);
  if (postings.some((p) => isFixed(tenant, p.date))) fail(8, `${what} has fixed postings that cannot be unconfirmed`);
  for (const p of postings) {
    p.cancelled = true;
    p.lastActionAt = ctx.clock.now();
  }
  return ok();
}

export const postingsUnconfirmReceipt: Handler = (ctx) => unconfirm(ctx, "receipt_id_by_customer");
export const postingsUnconfirmTransaction: Handler = (ctx) => unconfirm(ctx, "transaction_id_by_customer");

export const postingsUnconfirmFree: Handler = (ctx) => {
  const { tenant } = ctx;
  const id = postingIdParam(ctx.body, [10, "parameter posting_id_by_customer is required"], [9, "parameter posting_id_by_customer must be an integer"]);
  const found = tenant.postings[id - 1];
  const p = found && !found.cancelled ? found : undefined;
  if (!p) fail(6, "posting not found");
  if (p!.kind !== "free") fail(7, "posting is not a free posting");
  if (isFixed(tenant, p!.date)) fail(8, "posting is fixed and cannot be unconfirmed");
  p!.cancelled = true;
  p!.lastActionAt = ctx.clock.now();
  return ok();
};

export const postingsAssignReceiptToFree: Handler = (ctx) => {
  const { tenant, body } = ctx;
  const r = findReceipt(tenant, body.receipt_id_by_customer);
  if (!r) fail(6, "receipt not found");
  if (r!.deleted) fail(8, "receipt is deleted");
  const id = parseIntLike(body.posting_id_by_customer);
  const found = id === null ? undefined : tenant.postings[id - 1];
  const p = found && !found.cancelled ? found : undefined;
  if (!p) fail(7, "posting not found");
  if (p!.kind !== "free") fail(9, "posting is no free posting");
  if (!p!.assignedReceiptIds.includes(r!.id)) p!.assignedReceiptIds.push(r!.id);
  p!.lastActionAt = ctx.clock.now();
  return ok();
};
