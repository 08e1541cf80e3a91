import { describe, expect, it } from "vitest";
import { bookedIndividually, chooseDebtor, movesCustomerAccount } from "./choose-debtor";
import { PT, customer, line, pay, sale, skr03Mappings } from "./fixtures.test-helpers";

describe("chooseDebtor", () => {
  it("uses the default debtor without a customer or without an e-mail", () => {
    expect(chooseDebtor(null)).toEqual({ kind: "default", reason: "no_customer" });
    expect(chooseDebtor(customer({}, ""))).toEqual({ kind: "default", reason: "no_email" });
  });

  it("#14.12 gives a customer without e-mail whose account moves their own debtor, by customer number", () => {
    expect(chooseDebtor(customer({}, ""), { ownDebtor: true })).toEqual({
      kind: "customer",
      email: null,
      fields: { name: "Erika Mustermann", customerNumber: "LS-16", street: "Hauptstraße 12a", zip: "10115", city: "Berlin", country: "DE" },
    });
  });

  it("#14.12 books sales that move a customer's account individually in daily-summary mode, whatever the setting", () => {
    const m = skr03Mappings();
    const onAccount = sale("20.00", [line("20.00")], [pay(PT.account!, "20.00")], { customer: customer({}, "") });
    const cash = sale("20.00", [line("20.00")], [pay(PT.cash!, "20.00")], { customer: customer({}, "") });
    expect(movesCustomerAccount(onAccount, m)).toBe(true);
    expect(bookedIndividually(onAccount, m, { individualForIdentifiedCustomers: false })).toBe(true);
    expect(bookedIndividually(cash, m, { individualForIdentifiedCustomers: true })).toBe(false);
    expect(bookedIndividually({ ...cash, customer: customer() }, m, { individualForIdentifiedCustomers: true })).toBe(true);
  });

  it("makes a person debtor from first and last name", () => {
    const c = chooseDebtor(customer());
    expect(c).toEqual({
      kind: "customer",
      email: "erika@example.com",
      fields: { name: "Erika Mustermann", customerNumber: "LS-16", email: "erika@example.com", street: "Hauptstraße 12a", zip: "10115", city: "Berlin", country: "DE" },
    });
  });

  it("makes a company debtor with the person as contact and keeps the VAT ID", () => {
    const c = chooseDebtor(customer({ company: "Muster GmbH", vatNumber: "de 123456789" }, "  Einkauf@Muster.DE "));
    expect(c.kind).toBe("customer");
    if (c.kind !== "customer") return;
    expect(c.email).toBe("einkauf@muster.de");
    expect(c.fields).toMatchObject({ name: "Muster GmbH", contactPersonName: "Erika Mustermann", salesTaxId: "DE123456789" });
  });

  it("maps a foreign country name to its ISO code and leaves out an unknown one", () => {
    const at = chooseDebtor(customer({ contact: { ...customer().contact!, addresses: [{ address1: "Ring 1", address2: "", city: "Wien", state: "", zip: "1010", country: "Österreich", countryCode: "" }] } }));
    expect(at.kind === "customer" && at.fields.country).toBe("AT");
    const nowhere = chooseDebtor(customer({ contact: { ...customer().contact!, addresses: [{ address1: "x 1", address2: "", city: "y", state: "", zip: "1", country: "Atlantis", countryCode: "" }] } }));
    expect(nowhere.kind === "customer" && "country" in nowhere.fields).toBe(false);
  });

  it("rejects a broken e-mail or an over-long name with what to fix", () => {
    expect(() => chooseDebtor(customer({}, "erika@"))).toThrow(/e-mail address "erika@" is not valid/);
    expect(() => chooseDebtor(customer({ company: "Ü".repeat(300) }))).toThrow(/300 characters long; BuchhaltungsButler accepts at most 100/);
  });
});
