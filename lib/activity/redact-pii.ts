/**
 * Customer data in stored payloads is replaced (not dropped) so a support person still sees the shape of what
 * came from Lightspeed while names, e-mails, phones and addresses are gone. Ids stay: they are how a record is
 * found again.
 */
const PII_KEYS = new Set([
  "firstName", "lastName", "title", "dob", "company", "vatNumber", "companyRegistrationNumber",
  "email", "emails", "address", "address1", "address2", "city", "zip", "state", "phones", "number",
  "name", "contactPersonName", "contact_person_name", "street", "additional_address_line", "additionalAddressLine",
  "sales_tax_id", "salesTaxId", "iban", "bic", "counterparty", "to_from", "toFrom",
]);

/** Keys whose `name` is a business term, not a person (payment types, shops, categories, items). */
const NON_PERSON_CONTAINERS = new Set(["paymentType", "PaymentType", "shop", "Shop", "category", "Category", "item", "Item", "taxClass"]);

/** Does `key` (inside an object held under `parentKey`) carry a person's data? */
function isPiiKey(key: string, parentKey: string): boolean {
  return PII_KEYS.has(key) && !(key === "name" && NON_PERSON_CONTAINERS.has(parentKey)) && !(key === "number" && parentKey !== "phones");
}

export function redactPii(value: unknown, parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => redactPii(v, parentKey));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (isPiiKey(k, parentKey) && v !== null && v !== "" && v !== undefined) out[k] = "[redacted]";
    else out[k] = redactPii(v, k);
  }
  return out;
}

/**
 * `JSON.stringify(redactPii(value))` without the redacted copy: the activity log writes a sale, its plan and BB's
 * answer per record, and copying each before serialising them was a good part of the sync's garbage. `null` for
 * undefined, as the jsonb columns take it.
 */
export function redactedJson(value: unknown): string {
  // The key each object or array sits under (an array's elements: the array's key), as redactPii passes it down.
  const keyOf = new WeakMap<object, string>();
  return JSON.stringify(value ?? null, function (this: object, key: string, v: unknown) {
    const parentKey = keyOf.get(this) ?? "";
    if (!Array.isArray(this) && key !== "" && isPiiKey(key, parentKey) && v !== null && v !== "" && v !== undefined) return "[redacted]";
    if (v !== null && typeof v === "object") keyOf.set(v, Array.isArray(this) ? parentKey : key);
    return v;
  });
}

/** `value` with `fn` applied to every string value in it; keys, numbers and structure stay. */
export function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
}

const EMAIL = /[^\s"'<>()\[\],;:]+@[^\s"'<>()\[\],;:]+\.[A-Za-z]{2,}/g;

/** The personal values in a payload (what redactPii would replace), to find them again in free text. */
export function piiStringsOf(value: unknown, parentKey = "", out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) piiStringsOf(v, parentKey, out);
    return out;
  }
  if (value === null || typeof value !== "object") return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (isPiiKey(k, parentKey) && typeof v === "string" && v.trim().length >= 3) out.add(v.trim());
    else piiStringsOf(v, k, out);
  }
  return out;
}

/**
 * Free text (an error's detail, a log message) with the record's personal values and any e-mail address replaced:
 * messages quote what was wrong ("the e-mail address … is not valid"), and with redaction on that must not keep
 * the person's data in our database, the inbox or a digest e-mail.
 */
export function redactText(text: string, known: Iterable<string> = []): string {
  let out = text;
  // Longest first, so "Erika Musterfrau" goes before "Erika".
  for (const v of [...known].sort((a, b) => b.length - a.length)) out = out.split(v).join("[redacted]");
  return out.replace(EMAIL, "[redacted e-mail]");
}
