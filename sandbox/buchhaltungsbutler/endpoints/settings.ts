import { CHARTS, CREDITOR_RANGE, DEBTOR_RANGE, inRanges } from "../charts";
import { list, ok, type Ctx, type Handler } from "../context";
import { countryCodeOf } from "../countries";
import { emptyPerson, nextPersonNumber, type SbPerson, type SbTenant } from "../model";
import { asArray, bool, fail, int, isObject, parseIntLike, present, str, type Body } from "../params";
import { runBatch } from "./batch";

type PersonKind = "debtor" | "creditor";

/** Field limits BB enforces on debtors/creditors (lengths unverified; these are the stricter guesses). */
export const PERSON_LIMITS = { name: 100, contactPersonName: 100, street: 100, additionalAddressLine: 100, zip: 10, city: 50, customerNumber: 50, email: 100 } as const;

function validIban(iban: string): boolean {
  const s = iban.replace(/\s/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const v = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of v) rem = (rem * 10 + Number(digit)) % 97;
  }
  return rem === 1;
}

/** The optional fields of add/update, validated with the codes both endpoints share. */
function readPersonFields(body: Body, kind: PersonKind, errName: [number, string]): Partial<SbPerson> {
  const out: Partial<SbPerson> = {};
  const name = str(body, "name", errName, { max: PERSON_LIMITS.name });
  if (name !== undefined) out.name = name;
  const set = <K extends keyof SbPerson>(key: K, value: SbPerson[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set("contactPersonName", str(body, "contact_person_name", [9, "invalid contact_person_name specified"], { max: PERSON_LIMITS.contactPersonName }));
  set("street", str(body, "street", [10, "invalid street specified"], { max: PERSON_LIMITS.street }));
  set("additionalAddressLine", str(body, "additional_address_line", [12, "invalid additional_addressline specified"], { max: PERSON_LIMITS.additionalAddressLine }));
  set("zip", str(body, "zip", [13, "invalid zip specified"], { max: PERSON_LIMITS.zip }));
  set("city", str(body, "city", [14, "invalid city specified"], { max: PERSON_LIMITS.city }));
  const country = str(body, "country", [16, "invalid country specified"]);
  if (country !== undefined) {
    const code = countryCodeOf(country);
    if (!code) fail(16, "invalid country specified");
    out.country = code;
  }
  const vatId = str(body, "sales_tax_id", [17, "invalid sales_tax_id specified"]);
  if (vatId !== undefined && !/^[A-Z]{2}[A-Z0-9]{2,13}$/.test(vatId)) fail(17, "invalid sales_tax_id specified");
  set("salesTaxId", vatId);
  const iban = str(body, "iban", [18, "invalid iban specified"]);
  if (iban !== undefined && !validIban(iban)) fail(18, "invalid iban specified");
  set("iban", iban?.replace(/\s/g, "").toUpperCase());
  const bic = str(body, "bic", [19, "invalid bic specified"]);
  if (bic !== undefined && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) fail(19, "invalid bic specified");
  set("bic", bic);
  const email = str(body, "email", [20, "invalid email specified"], { max: PERSON_LIMITS.email });
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email)) fail(20, "invalid email specified");
  set("email", email);
  if (kind === "debtor") set("customerNumber", str(body, "customer_number", [21, "invalid customer_number specified"], { max: PERSON_LIMITS.customerNumber }));
  else {
    const due = int(body, "due_in_days", [21, "invalid due in days specified"], { min: 0 });
    if (due !== undefined && due > 365) fail(21, "invalid due in days specified");
    set("dueInDays", due);
  }
  return out;
}

function people(tenant: SbTenant, kind: PersonKind) {
  return kind === "debtor" ? { map: tenant.debtors, range: DEBTOR_RANGE } : { map: tenant.creditors, range: CREDITOR_RANGE };
}

function addPerson(ctx: Ctx, body: Body, kind: PersonKind): SbPerson {
  const { map, range } = people(ctx.tenant, kind);
  let number: number | undefined;
  if (present(body, "postingaccount_number")) {
    const n = parseIntLike(body.postingaccount_number);
    // The collective account and numbers outside the person range are refused, as are taken ones.
    if (n === null || n <= range.collective || n > range.to || map.has(n)) fail(7, "invalid postingaccount_number specified");
    number = n!;
  }
  if (!present(body, "name")) fail(8, "invalid name specified");
  const fields = readPersonFields(body, kind, [8, "invalid name specified"]);
  number ??= nextPersonNumber(map, range.collective + 1);
  if (number > range.to) fail(7, "invalid postingaccount_number specified");
  const person: SbPerson = { ...emptyPerson(number, fields.name!), ...fields, number };
  map.set(number, person);
  return person;
}

export function personRow(p: SbPerson, kind: PersonKind): Record<string, unknown> {
  return {
    type: kind === "debtor" ? "debitor" : "creditor",
    name: p.name,
    postingaccount_number: String(p.number),
    contact_person_name: p.contactPersonName,
    street: p.street,
    additional_addressline: p.additionalAddressLine,
    zip: p.zip,
    city: p.city,
    country: p.country,
    ...(kind === "debtor" ? { customer_number: p.customerNumber } : {}),
    sales_tax_id_eu: p.salesTaxId,
    email: p.email,
    uid_ch: null,
    iban: p.iban,
    bic: p.bic,
    import_pending: 0,
  };
}

const addHandler =
  (kind: PersonKind): Handler =>
  (ctx) =>
    ok({ postingaccount_number: String(addPerson(ctx, ctx.body, kind).number) });

const batchHandler =
  (kind: PersonKind): Handler =>
  (ctx) => {
    const key = kind === "debtor" ? "debtors" : "creditors";
    const items = asArray(ctx.body[key]);
    // No validation error is specified for this batch endpoint: a missing, empty or oversized list gets 500/0.
    if (!items || items.length === 0 || items.length > ctx.limits.batchMaxItems) fail(0, "error while processing the request", 500);
    return runBatch(ctx, key, items!, (item) => {
      if (!isObject(item)) fail(8, "invalid name specified");
      const body = { ...(item as Body) };
      // The spec's batch item has no e-mail field; the stricter reading drops it.
      if (kind === "debtor" && ctx.strict.batchDebtorEmail === "ignored") delete body.email;
      return { postingaccount_number: String(addPerson(ctx, body, kind).number) };
    });
  };

const updateHandler =
  (kind: PersonKind): Handler =>
  (ctx) => {
    const { body } = ctx;
    const { map } = people(ctx.tenant, kind);
    const n = parseIntLike(body.postingaccount_number);
    if (n === null || n < 1) fail(1, `wrong ${kind} account postingaccount_number specified`);
    const existing = map.get(n!);
    if (!existing) fail(24, `no ${kind} found for specified postingaccount_number`);
    const fields = readPersonFields(body, kind, [8, "invalid name specified"]);
    const base = ctx.strict.updateClearsOmitted ? { ...emptyPerson(n!, existing!.name) } : { ...existing! };
    const updated: SbPerson = { ...base, ...fields, number: n! };
    map.set(n!, updated);
    return ok({ data: personRow(updated, kind) });
  };

const getHandler =
  (kind: PersonKind): Handler =>
  (ctx) => {
    const { body, strict } = ctx;
    const { map } = people(ctx.tenant, kind);
    // No search, a default page of 25, and (no error code exists) a silently capped maximum.
    const limitRaw = parseIntLike(body.limit);
    const offsetRaw = parseIntLike(body.offset);
    const limit = Math.min(limitRaw !== null && limitRaw > 0 ? limitRaw : 25, strict.personListMax);
    const offset = offsetRaw !== null && offsetRaw > 0 ? offsetRaw : 0;
    const rows = [...map.values()].sort((x, y) => x.number - y.number).slice(offset, offset + limit);
    return list(rows.map((p) => personRow(p, kind)));
  };

export const settingsGetDebtors = getHandler("debtor");
export const settingsGetCreditors = getHandler("creditor");
export const settingsAddDebtor = addHandler("debtor");
export const settingsAddCreditor = addHandler("creditor");
export const settingsAddBatchDebtors = batchHandler("debtor");
export const settingsAddBatchCreditors = batchHandler("creditor");
export const settingsUpdateDebtor = updateHandler("debtor");
export const settingsUpdateCreditor = updateHandler("creditor");

const POSTINGACCOUNT_ORDERS = new Set(["postingaccount_number ASC", "postingaccount_number DESC", "name ASC", "name DESC", "type ASC", "type DESC"]);

export const settingsGetPostingaccounts: Handler = (ctx) => {
  const { tenant, body } = ctx;
  const limit = int(body, "limit", [6, "invalid limit specified"]) ?? 1000;
  if (limit < 1 || limit > 1000) fail(6, "invalid limit specified");
  const offset = int(body, "offset", [7, "invalid offset specified"]) ?? 0;
  if (offset < 0) fail(7, "invalid offset specified");
  const order = present(body, "order") ? body.order : "postingaccount_number ASC";
  if (typeof order !== "string" || !POSTINGACCOUNT_ORDERS.has(order)) fail(8, "invalid order specified");
  const exAccounts = bool(body, "exclude_accounts", [9, "invalid exclude_accounts specified"]);
  const exPosting = bool(body, "exclude_postingaccounts", [10, "invalid exclude_postingaccounts specified"]);
  const exCreditors = bool(body, "exclude_creditors", [12, "invalid exclude_creditors specified"]);
  const exDebtors = bool(body, "exclude_debtors", [13, "invalid exclude_debtors specified"]);
  type Row = { number: number; name: string; type: string; subtype: string | null; parent: number | null };
  const rows: Row[] = [];
  if (!exPosting) {
    for (const a of tenant.accounts.values()) {
      const parent = a.parent === undefined ? null : a.parent;
      rows.push({ number: a.number, name: a.name, type: "postingaccount", subtype: a.manual ? null : "default", parent });
    }
  }
  if (!exAccounts) for (const p of tenant.paymentAccounts.values()) rows.push({ number: p.number, name: p.name, type: "account", subtype: p.type, parent: null });
  if (!exDebtors) {
    if (tenant.debtorMode === "collective") rows.push({ number: DEBTOR_RANGE.collective, name: "Sammeldebitor", type: "debtor collective", subtype: null, parent: null });
    for (const d of tenant.debtors.values()) rows.push({ number: d.number, name: d.name, type: "debtor", subtype: null, parent: null });
  }
  if (!exCreditors) {
    if (tenant.creditorMode === "collective") rows.push({ number: CREDITOR_RANGE.collective, name: "Sammelkreditor", type: "creditor collective", subtype: null, parent: null });
    for (const c of tenant.creditors.values()) rows.push({ number: c.number, name: c.name, type: "creditor", subtype: null, parent: null });
  }
  const [field, dir] = (order as string).split(" ") as [string, string];
  const key = (r: Row): string | number => (field === "name" ? r.name : field === "type" ? r.type : r.number);
  rows.sort((x, y) => {
    const kx = key(x);
    const ky = key(y);
    const c = kx < ky ? -1 : kx > ky ? 1 : x.number - y.number;
    return dir === "DESC" ? -c : c;
  });
  return list(
    rows.slice(offset, offset + limit).map((r) => ({
      postingaccount_number: String(r.number),
      name: r.name,
      type: r.type,
      subtype: r.subtype,
      parent_postingaccount_number: r.parent === null ? null : String(r.parent),
      parent_name: r.parent === null ? null : (tenant.accounts.get(r.parent)?.name ?? null),
    })),
  );
};

function sachkontoNumber(body: Body, key: string, codes: { missing: number; invalid: number; short: number; long: number }): number {
  if (!present(body, key)) fail(codes.missing, `no ${key} specified`);
  const raw = body[key];
  const s = typeof raw === "number" ? String(raw) : raw;
  if (typeof s !== "string" || !/^\d+$/.test(s)) fail(codes.invalid, `invalid ${key} specified`);
  const digits = String(Number(s)).length;
  if (digits < 4) fail(codes.short, `the ${key} must be at least 4 digits long`);
  if (digits > 4) fail(codes.long, `the ${key} must have 4 to 4 digits`);
  return Number(s);
}

export const settingsAddPostingaccount: Handler = (ctx) => {
  const { tenant, body } = ctx;
  const spec = CHARTS[tenant.chart];
  const number = sachkontoNumber(body, "postingaccount_number", { missing: 5, invalid: 9, short: 17, long: 6 });
  if (inRanges(number, spec.reservedRanges) || inRanges(number, Object.values(spec.paymentRanges).flat())) fail(7, "postingaccount_number is out of allowed range");
  if (tenant.accounts.has(number) || tenant.paymentAccounts.has(number)) fail(8, "the postingaccount_number already exists or is not available due to your settings");
  if (!present(body, "name")) fail(10, "no name specified");
  const name = str(body, "name", [14, "invalid name specified"])!;
  if ([...name].length < 2 || [...name].length > 100) fail(12, "the postingaccount name must be 2 to 100 characters long");
  if ([...tenant.accounts.values()].some((a) => a.name.toLowerCase() === name.toLowerCase())) fail(13, "the specified name already exists");
  if (!present(body, "parent_postingaccount_number")) fail(16, "no parent_postingaccount_number specified");
  const parentNo = parseIntLike(body.parent_postingaccount_number);
  if (parentNo === null) fail(19, "invalid parent_postingaccount_number specified");
  const parent = tenant.accounts.get(parentNo!);
  if (!parent || parent.manual || parent.blocked) fail(18, "the parent_postingaccount_number is not valid or is not available due to your settings or was added manually");
  // The new account inherits its template's tax automation.
  tenant.accounts.set(number, { number, name, vatClass: parent!.vatClass, forcedVat: parent!.forcedVat, manual: true, parent: parent!.number });
  return ok({ postingaccount_number: String(number), parent_postingaccount_number: String(parent!.number) });
};

export const settingsUpdatePostingaccount: Handler = (ctx) => {
  const { tenant, body } = ctx;
  if (!present(body, "name")) fail(6, "no name specified");
  const name = str(body, "name", [8, "invalid name specified"])!;
  if ([...name].length < 2 || [...name].length > 100) fail(7, "the postingaccount name must be 2 to 100 characters long");
  const n = parseIntLike(body.postingaccount_number);
  if (n === null) fail(9, "wrong postingaccount_number specified");
  const acc = tenant.accounts.get(n!);
  if (!acc || acc.blocked) fail(10, "no postingaccount found for specified postingaccount_number");
  acc!.name = name;
  return ok({ data: { name, postingaccount_number: String(n) } });
};
