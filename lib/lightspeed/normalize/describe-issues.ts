import type * as z from "zod";

/**
 * Turns zod issues into sentences for a merchant's support person: the record and the nested element they are
 * in ("SaleLine 12"), the field, the value, and what is wrong with it.
 */
const ELEMENT_IDS: Record<string, string> = {
  SaleLine: "saleLineID",
  SalePayment: "salePaymentID",
  PaymentType: "paymentTypeID",
  Customer: "customerID",
  ItemShop: "itemShopID",
  ItemPrice: "useTypeID",
  TaxCategoryClass: "taxCategoryClassID",
  CustomFieldValue: "customFieldValueID",
  ContactEmail: "address",
  ContactAddress: "address1",
  ContactPhone: "number",
  Category: "categoryID",
  TaxClass: "taxClassID",
  TaxCategory: "taxCategoryID",
  ItemAttributeSet: "itemAttributeSetID",
  Item: "itemID",
  Payments: "paymentTypeID",
  Taxes: "taxCategoryID",
};

function show(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `"${value.length > 60 ? `${value.slice(0, 57)}…` : value}"`;
  if (typeof value === "object") return Array.isArray(value) ? "(a list)" : "(an object)";
  return String(value);
}

function child(node: unknown, key: PropertyKey): unknown {
  if (node === null || typeof node !== "object") return undefined;
  if (Array.isArray(node)) return typeof key === "number" ? node[key] : undefined;
  // One-element collections arrive as the object itself: index 0 addresses it.
  if (typeof key === "number") return key === 0 ? node : undefined;
  return (node as Record<string, unknown>)[String(key)];
}

export function describeIssues(rootLabel: string, raw: unknown, issues: z.core.$ZodIssue[]): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    let label = rootLabel;
    let fieldStart = 0;
    let node: unknown = raw;
    const path = issue.path;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      const next = path[i + 1];
      node = child(node, key);
      // An element inside a collection: {SaleLines: {SaleLine: [...]}} → path …, "SaleLine", 3, …
      if (typeof key === "string" && typeof next === "number" && ELEMENT_IDS[key]) {
        const element = child(node, next);
        const idValue = element && typeof element === "object" ? (element as Record<string, unknown>)[ELEMENT_IDS[key]!] : undefined;
        label = typeof idValue === "string" && idValue ? `${key} ${idValue}` : `${key} #${next + 1}`;
        node = element;
        i++;
        fieldStart = i + 1;
      } else if (typeof key === "string" && ELEMENT_IDS[key] && node && typeof node === "object" && !Array.isArray(node) && i < path.length - 1) {
        // A to-one relation (Customer, PaymentType): label it by its own id.
        const idValue = (node as Record<string, unknown>)[ELEMENT_IDS[key]!];
        label = typeof idValue === "string" && idValue ? `${key} ${idValue}` : key;
        fieldStart = i + 1;
      }
    }
    const field = path.slice(fieldStart).map(String).join(".") || "value";
    const input = (issue as { input?: unknown }).input;
    let what: string;
    if (input === undefined && issue.code !== "unrecognized_keys") what = `${field} is missing`;
    else if (issue.code === "invalid_type") what = `${field} ${show(input)} has the wrong type (expected ${issue.expected})`;
    else if (issue.code === "invalid_value") what = `${field} ${show(input)} is not one of ${issue.values.map((v) => String(v)).join(", ")}`;
    else what = `${field} ${show(input)} ${issue.message}`;
    out.push(`${label}: ${what}`);
  }
  return [...new Set(out)];
}
