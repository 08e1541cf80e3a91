import { describe, expect, it } from "vitest";
import { applyDebtorFieldRules } from "./apply-debtor-field-rules";
import { chooseDebtor } from "./choose-debtor";
import { customer } from "./fixtures.test-helpers";

describe("applyDebtorFieldRules", () => {
  const c = customer({ company: "muster gmbh" });
  const base = chooseDebtor(c);
  if (base.kind !== "customer") throw new Error("expected a customer debtor");

  it("applies the merchant's rules but never the keys a debtor is found by", () => {
    const out = applyDebtorFieldRules(base.fields, c, {
      customer: [
        { target: "name", source: "company", transforms: [{ op: "case", mode: "upper" }] },
        { target: "customerNumber", source: "email", transforms: [] },
      ],
      address: [{ target: "street", source: "address1", transforms: [{ op: "split_street", part: "street" }] }],
    });
    expect(out).toMatchObject({ name: "MUSTER GMBH", customerNumber: "LS-16", email: "erika@example.com", street: "Hauptstraße", zip: "10115" });
  });

  it("fails the sale with what to change when a mapped value is too long", () => {
    const long = customer({ company: "X".repeat(150) });
    const d = chooseDebtor(customer({ company: "Kurz GmbH" }));
    if (d.kind !== "customer") throw new Error("expected a customer debtor");
    expect(() => applyDebtorFieldRules(d.fields, long, { customer: [{ target: "name", source: "company", transforms: [] }], address: null })).toThrow(/name: 150 characters; BuchhaltungsButler takes at most 100/);
    const cut = applyDebtorFieldRules(d.fields, long, { customer: [{ target: "name", source: "company", transforms: [{ op: "truncate" }] }], address: null });
    expect(cut.name).toHaveLength(100);
  });

  it("leaves the fields alone without custom rules", () => {
    expect(applyDebtorFieldRules(base.fields, c, { customer: null, address: null })).toEqual(base.fields);
  });
});
