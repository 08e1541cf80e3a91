import * as z from "zod";
import { AppError } from "../../errors/app-error";
import type { LsCustomer, LsSale } from "../../lightspeed/domain";
import { countryCode } from "../../mapping/country-code";
import type { OrderMappings } from "../../mapping/order-mappings";

/** BuchhaltungsButler's limits for debtor fields we fill (names longer than this are rejected, not cut). */
export const BB_DEBTOR_LIMITS = { name: 100, contactPerson: 100, street: 100, zip: 10, city: 50, customerNumber: 50, email: 100 } as const;

export interface DebtorFields {
  name: string;
  contactPersonName?: string;
  customerNumber: string;
  /** Absent for a customer without e-mail who needs their own debtor (found and created by customer number). */
  email?: string;
  street?: string;
  additionalAddressLine?: string;
  zip?: string;
  city?: string;
  country?: string;
  salesTaxId?: string;
}

export type DebtorChoice = { kind: "default"; reason: "no_customer" | "no_email" } | { kind: "customer"; email: string | null; fields: DebtorFields };

const clean = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").trim();

/** The customer's e-mail as the debtor index keys it ("" when there is none). */
export function customerEmail(customer: LsCustomer | null): string {
  return clean(customer?.contact?.emails[0]?.address).toLowerCase();
}

/**
 * True when the sale moves money on the customer's own account in Lightspeed (bought on account, paid with
 * store credit, paid into the account, refunded as store credit): that balance is an open item of this
 * customer, and on the default debtor it could never be cleared or reconciled.
 */
export function movesCustomerAccount(sale: LsSale, mappings: OrderMappings): boolean {
  if (!sale.customer) return false;
  return sale.payments.some((p) => !p.archived && mappings.paymentTypes.get(p.paymentTypeId)?.kind === "on_account");
}

/**
 * Whether a sale is booked on its own in daily-summary mode: identified customers when the setting says so,
 * and always a sale that moves a customer's account (a day summary is booked to the default debtor).
 */
export function bookedIndividually(sale: LsSale, mappings: OrderMappings, settings: { individualForIdentifiedCustomers: boolean }): boolean {
  return (settings.individualForIdentifiedCustomers && customerEmail(sale.customer) !== "") || movesCustomerAccount(sale, mappings);
}

/**
 * Which debtor a sale is booked to: a customer with an e-mail becomes (or matches) their own debtor — a
 * company as the debtor name with the person as contact, otherwise the person. A customer without e-mail
 * whose account moves (`ownDebtor`) gets their own debtor too, found and created by customer number.
 * Everything else goes to the default debtor (walk-in customers: § 33 UStDV allows receipts without a name
 * up to 250 €).
 */
export function chooseDebtor(customer: LsCustomer | null, options: { ownDebtor?: boolean } = {}): DebtorChoice {
  if (!customer) return { kind: "default", reason: "no_customer" };
  const email = customerEmail(customer);
  if (!email && !options.ownDebtor) return { kind: "default", reason: "no_email" };

  const problems: string[] = [];
  if (email && !z.email().safeParse(email).success) problems.push(`the e-mail address "${email.slice(0, 80)}" is not valid`);
  const person = clean(`${clean(customer.firstName)} ${clean(customer.lastName)}`);
  const company = clean(customer.company);
  const name = company || person;
  if (!name) problems.push("it has neither a name nor a company");
  if (name.length > BB_DEBTOR_LIMITS.name) problems.push(`its name is ${name.length} characters long; BuchhaltungsButler accepts at most ${BB_DEBTOR_LIMITS.name}`);
  if (company && person.length > BB_DEBTOR_LIMITS.contactPerson) {
    problems.push(`its contact person's name is ${person.length} characters long; BuchhaltungsButler accepts at most ${BB_DEBTOR_LIMITS.contactPerson}`);
  }
  if (email.length > BB_DEBTOR_LIMITS.email) problems.push(`its e-mail address is longer than ${BB_DEBTOR_LIMITS.email} characters`);
  if (problems.length) {
    throw new AppError("RECORD_INVALID", {
      detail: `Customer ${customer.customerId}: ${problems.join("; ")}`,
      fixHint: "Correct the customer in Lightspeed; the sale is retried automatically after the change.",
      context: { customerId: customer.customerId, problems },
    });
  }

  const address = customer.contact?.addresses[0];
  const fields: DebtorFields = { name, customerNumber: `LS-${customer.customerId}`, ...(email ? { email } : {}) };
  if (company && person) fields.contactPersonName = person;
  if (address) {
    if (clean(address.address1)) fields.street = clean(address.address1).slice(0, BB_DEBTOR_LIMITS.street);
    if (clean(address.address2)) fields.additionalAddressLine = clean(address.address2).slice(0, BB_DEBTOR_LIMITS.street);
    if (clean(address.zip)) fields.zip = clean(address.zip).slice(0, BB_DEBTOR_LIMITS.zip);
    if (clean(address.city)) fields.city = clean(address.city).slice(0, BB_DEBTOR_LIMITS.city);
    const cc = countryCode(address);
    if (cc) fields.country = cc;
  }
  const vat = clean(customer.vatNumber).replace(/\s/g, "").toUpperCase();
  if (/^[A-Z]{2}[A-Z0-9]{2,13}$/.test(vat)) fields.salesTaxId = vat;
  return { kind: "customer", email: email || null, fields };
}
