import type { MalformedKind, MalformedMark, SaleRec } from "./model";

/**
 * Realistically broken sales for bad-input tests. The store keeps the good data (reports and stock stay
 * consistent); the damage is applied when the sale is served, and `sale.malformed` says what was broken and
 * which layer must catch it:
 *  - "normaliser": the record cannot be parsed into a domain type (missing/wrong-typed fields, exponent
 *    notation, unparseable timestamps) → the client puts it in `page.malformed`;
 *  - "sync": it parses, but business validation must refuse it (lines that don't add up, absurd amounts,
 *    an unknown payment type, a broken e-mail, a 500-character unicode name).
 */
const KINDS: { kind: MalformedKind; layer: MalformedMark["layer"]; detail: string }[] = [
  { kind: "missing-field", layer: "normaliser", detail: "the first SaleLine has no calcTotal and the sale has no total" },
  { kind: "wrong-type", layer: "normaliser", detail: "SaleLine unitQuantity is an object and completed is \"maybe\"" },
  { kind: "exponent-amount", layer: "normaliser", detail: "a SaleLine calcTotal is \"1e12\"" },
  { kind: "bad-timestamp", layer: "normaliser", detail: "completeTime is \"2024-13-45T25:61:00\"" },
  { kind: "lines-dont-sum", layer: "sync", detail: "the header total is 10.00 more than the lines" },
  { kind: "absurd-amount", layer: "sync", detail: "total and the first line are 1000000000000" },
  { kind: "unknown-payment-type", layer: "sync", detail: "the first payment has paymentTypeID 999, which does not exist" },
  { kind: "broken-email", layer: "sync", detail: "the customer's e-mail is \"kunde@@example..de\"" },
  { kind: "long-unicode-name", layer: "sync", detail: "the customer's first name is 500 unicode characters" },
];

export const MALFORMED_KINDS = KINDS.map((k) => k.kind);

export function markMalformed(sale: SaleRec, index: number): void {
  let k = KINDS[index % KINDS.length]!;
  // Kinds that need a customer or lines fall back to one that does not.
  if ((k.kind === "broken-email" || k.kind === "long-unicode-name") && !sale.customerId) k = KINDS[4]!;
  if ((k.kind === "missing-field" || k.kind === "wrong-type" || k.kind === "exponent-amount" || k.kind === "absurd-amount") && sale.lines.length === 0) k = KINDS[3]!;
  if (k.kind === "unknown-payment-type" && sale.payments.length === 0) k = KINDS[3]!;
  sale.malformed = { ...k };
}

type Json = Record<string, unknown>;

function first(container: unknown, key: string): Json | undefined {
  if (!container || typeof container !== "object") return undefined;
  const v = (container as Json)[key];
  if (Array.isArray(v)) return v[0] as Json | undefined;
  return v && typeof v === "object" ? (v as Json) : undefined;
}

/** Damages the rendered sale in place. */
export function applyMalformed(sale: SaleRec, out: Json): void {
  const m = sale.malformed;
  if (!m) return;
  const line = first(out.SaleLines, "SaleLine");
  const payment = first(out.SalePayments, "SalePayment");
  const customer = out.Customer as Json | undefined;
  switch (m.kind) {
    case "missing-field":
      delete out.total;
      if (line) delete line.calcTotal;
      break;
    case "wrong-type":
      out.completed = "maybe";
      if (line) line.unitQuantity = { value: "1" };
      break;
    case "exponent-amount":
      if (line) line.calcTotal = "1e12";
      else out.total = "1e12";
      break;
    case "bad-timestamp":
      out.completeTime = "2024-13-45T25:61:00";
      break;
    case "lines-dont-sum":
      out.total = addTen(String(out.total));
      out.calcTotal = out.total;
      break;
    case "absurd-amount":
      out.total = "1000000000000";
      out.calcTotal = "1000000000000";
      if (line) line.calcTotal = "1000000000000";
      break;
    case "unknown-payment-type":
      if (payment) {
        payment.paymentTypeID = "999";
        delete payment.PaymentType;
      }
      break;
    case "broken-email": {
      const emails = customer ? first(customer.Contact, "Emails") : undefined;
      const email = emails ? first(emails, "ContactEmail") : undefined;
      if (email) email.address = "kunde@@example..de";
      else if (customer?.Contact && typeof customer.Contact === "object") {
        (customer.Contact as Json).Emails = { ContactEmail: { address: "kunde@@example..de", useType: "Primary" } };
      }
      break;
    }
    case "long-unicode-name": {
      if (!customer) break;
      customer.firstName = "Ŝóƒíå 🌻 Müller-Lüdenscheidt ".repeat(20).slice(0, 500);
      // The name only matters when the customer becomes a debtor, i.e. when they have an e-mail address.
      const emails = first(customer.Contact, "Emails");
      if (!emails && customer.Contact && typeof customer.Contact === "object") {
        (customer.Contact as Json).Emails = { ContactEmail: { address: "sofia.mueller@example.org", useType: "Primary" } };
      }
      break;
    }
  }
}

function addTen(total: string): string {
  const [i = "0", f = ""] = total.split(".");
  const cents = BigInt(i) * 100n + (i.startsWith("-") ? -1n : 1n) * BigInt((f + "00").slice(0, 2));
  const next = cents + 1000n;
  const neg = next < 0n;
  const abs = neg ? -next : next;
  return `${neg ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}
