import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { addressSource, applyFieldMapping, customerSource, DEFAULT_FIELD_RULES } from "./field-mapper";
import { loadFieldRules, saveFieldRules } from "./field-mapper-store";
import type { LsCustomer } from "../lightspeed/domain";

const customer = (over: Partial<LsCustomer> = {}): LsCustomer => ({
  customerId: "42",
  firstName: "  erika ",
  lastName: "MUSTERFRAU",
  title: "",
  company: "",
  vatNumber: "de123456789",
  companyRegistrationNumber: "",
  archived: false,
  creditAccountId: null,
  contact: {
    emails: [{ address: " Erika@Example.ORG ", useType: "Primary" }],
    phones: [],
    addresses: [{ address1: "Straße des 17. Juni 135", address2: "", city: "Berlin", state: "", zip: "10623", country: "Germany", countryCode: "" }],
    noEmail: false,
  },
  createTime: null,
  timeStamp: "2026-01-01T00:00:00.000Z",
  ...over,
});

describe("applyFieldMapping", () => {
  it("applies the default customer rules: company else the person, lower-cased e-mail, upper-cased VAT id", () => {
    const r = applyFieldMapping("customer", customerSource(customer()), DEFAULT_FIELD_RULES.customer);
    expect(r.values).toEqual({ name: "erika MUSTERFRAU", contactPersonName: "erika MUSTERFRAU", customerNumber: "42", email: "erika@example.org", salesTaxId: "DE123456789" });
    const company = applyFieldMapping("customer", customerSource(customer({ company: " Café Sonnenschein GmbH " })), DEFAULT_FIELD_RULES.customer);
    expect(company.values.name).toBe("Café Sonnenschein GmbH");
  });

  it("title-cases, splits street and number, and falls back to a fixed default", () => {
    const src = { ...customerSource(customer()), ...addressSource(customer()) };
    const r = applyFieldMapping("address", addressSource(customer()), [
      { target: "street", source: "address1", transforms: [{ op: "split_street", part: "street" }] },
      { target: "additionalAddressLine", source: "address1", transforms: [{ op: "split_street", part: "number" }] },
      { target: "country", source: "countryCode", transforms: [{ op: "default", value: "DE" }] },
    ]);
    expect(r.values).toEqual({ street: "Straße des 17. Juni", additionalAddressLine: "135", country: "DE" });
    const named = applyFieldMapping("customer", src, [{ target: "name", source: "fullName", transforms: [{ op: "trim" }, { op: "case", mode: "title" }] }]);
    expect(named.values.name).toBe("Erika Musterfrau");
  });

  it("concatenates further fields without doubled separators and maps through a lookup table", () => {
    const src = customerSource(customer({ title: "Dr.", company: "" }));
    const r = applyFieldMapping("customer", src, [
      { target: "contactPersonName", source: "title", transforms: [{ op: "concat", fields: ["company", "lastName"], separator: " " }] },
      { target: "salesTaxId", source: "vatNumber", transforms: [{ op: "lookup", table: [{ from: "DE123456789", to: "DE999" }], otherwise: "empty" }] },
      { target: "email", source: "phone", transforms: [{ op: "lookup", table: [{ from: "x", to: "y" }], otherwise: "keep" }] },
    ]);
    expect(r.values).toEqual({ contactPersonName: "Dr. MUSTERFRAU", salesTaxId: "DE999", email: "" });
  });

  it("reports values longer than BB takes, and truncates to BB's limit only when asked", () => {
    const long = "Ä".repeat(150);
    const tooLong = applyFieldMapping("customer", { company: long }, [{ target: "name", source: "company", transforms: [] }]);
    expect(tooLong.values.name).toHaveLength(150);
    expect(tooLong.problems).toEqual([expect.objectContaining({ target: "name", kind: "too_long" })]);
    const cut = applyFieldMapping("customer", { company: long }, [{ target: "name", source: "company", transforms: [{ op: "truncate" }] }]);
    expect([...cut.values.name!]).toHaveLength(100);
    expect(cut.problems.map((p) => p.kind)).toEqual(["truncated"]);
    const custom = applyFieldMapping("line", { description: "abcdef" }, [{ target: "postingText", source: "description", transforms: [{ op: "truncate", max: 3 }] }]);
    expect(custom.values.postingText).toBe("abc");
  });

  it("rejects unknown targets and sources with a message instead of inventing fields", () => {
    const r = applyFieldMapping("product", { description: "x" }, [
      { target: "colour", source: "description", transforms: [] },
      { target: "name", source: "nope", transforms: [] },
    ]);
    expect(r.values).toEqual({});
    expect(r.problems.map((p) => p.kind)).toEqual(["unknown_target", "unknown_source"]);
    expect(() => applyFieldMapping("product", {}, [{ target: "name", source: null, transforms: [{ op: "explode" } as never] }])).toThrow();
  });
});

describe("field rules store", () => {
  const database = testDb();
  it("returns the defaults until saved, then the saved rules per tenant", async () => {
    const a = await createTestTenant(database);
    const b = await createTestTenant(database);
    expect(await loadFieldRules(database, a, "address")).toEqual({ rules: DEFAULT_FIELD_RULES.address, custom: false });
    await saveFieldRules(database, a, "address", [{ target: "street", source: "address1", transforms: [{ op: "split_street", part: "street" }] }]);
    const loaded = await loadFieldRules(database, a, "address");
    expect(loaded.custom).toBe(true);
    expect(loaded.rules).toEqual([{ target: "street", source: "address1", transforms: [{ op: "split_street", part: "street" }] }]);
    expect((await loadFieldRules(database, b, "address")).custom).toBe(false);
    await expect(saveFieldRules(database, a, "address", [{ target: "street", source: "address1", transforms: [{ op: "truncate", max: 0 }] }])).rejects.toThrow(/INVALID_INPUT/);
  });
});
