import { describe, expect, it } from "vitest";
import { buildMatrixRecord, buildProductRecord, netAndGross } from "./build-product-record";
import { lsItem, lsMatrix, productContext } from "./fixtures.test-helpers";

describe("product records", () => {
  it("a simple item: prices net and gross from the default price level, MSRP, VAT from its tax class", () => {
    const { record, candidates } = buildProductRecord(lsItem({ itemId: "1", customSku: "TS-1", ean: "4006381333931", taxClassId: "2" }), productContext());
    expect(record).toMatchObject({
      kind: "simple",
      matrixId: null,
      priceAmount: "19.99",
      priceGrossCents: 1999,
      priceNetCents: 1868, // 19.99 / 1.07 = 18.6822…
      msrpGrossCents: 2499,
      vatPercent: "7",
      attributes: [],
      flags: [],
    });
    expect(candidates[0]).toMatchObject({ sku: "TS-1", source: "customSku" });
  });

  it("tax-exclusive prices are net; a non-taxable item has 0 % VAT", () => {
    const ctx = productContext({ taxClasses: new Map([["1", { vatPercent: "19", taxInclusive: false }]]) });
    expect(buildProductRecord(lsItem({ itemId: "2" }), ctx).record).toMatchObject({ priceNetCents: 1999, priceGrossCents: 2379, vatPercent: "19" });
    expect(buildProductRecord(lsItem({ itemId: "3", tax: false }), ctx).record).toMatchObject({ priceNetCents: 1999, priceGrossCents: 1999, vatPercent: "0" });
    expect(netAndGross("0.005", { vatPercent: "19", taxInclusive: false })).toEqual({ net: 1, gross: 1 });
  });

  it("a variant knows its matrix and its attribute values, unmapped axes keep the Lightspeed name and are flagged", () => {
    const item = lsItem({ itemId: "10", itemMatrixId: "4", attributes: { itemAttributeSetId: "1", attribute1: "Rot", attribute2: "M", attribute3: "" } });
    const unmapped = buildProductRecord(item, productContext()).record;
    expect(unmapped).toMatchObject({ kind: "variant", matrixId: "4" });
    expect(unmapped.attributes).toEqual([
      { axis: 1, lsName: "Color", name: "Color", value: "Rot", mapped: false },
      { axis: 2, lsName: "Size", name: "Size", value: "M", mapped: false },
    ]);
    expect(unmapped.flags).toContain("attribute_unmapped");

    const mapped = buildProductRecord(item, productContext({ mappings: { attributes: new Map([["1|1", "Farbe"], ["1|2", "Größe"]]), features: new Map() } })).record;
    expect(mapped.attributes.map((a) => [a.name, a.value, a.mapped])).toEqual([["Farbe", "Rot", true], ["Größe", "M", true]]);
    expect(mapped.flags).not.toContain("attribute_unmapped");
  });

  it("a variant without loaded ItemAttributes takes the set from its matrix", () => {
    const item = lsItem({ itemId: "11", itemMatrixId: "4", attributes: { itemAttributeSetId: null, attribute1: "Blau", attribute2: "", attribute3: "" } });
    const ctx = productContext({ matrixAttributeSets: new Map([["4", "1"]]), mappings: { attributes: new Map([["1|1", "Farbe"]]), features: new Map() } });
    expect(buildProductRecord(item, ctx).record.attributes).toEqual([{ axis: 1, lsName: "Color", name: "Farbe", value: "Blau", mapped: true }]);
  });

  it("features come from custom fields: mapped, ignored, or raw and flagged", () => {
    const item = lsItem({ itemId: "12", customFields: { Origin: "Portugal", Lieferzeit: "3 Tage", Intern: "x", Leer: " " } });
    const ctx = productContext({ mappings: { attributes: new Map(), features: new Map([["Origin", { name: "Herkunft" }], ["Intern", { ignore: true }]]) } });
    const r = buildProductRecord(item, ctx).record;
    expect(r.features).toEqual([
      { lsName: "Lieferzeit", name: "Lieferzeit", value: "3 Tage", mapped: false },
      { lsName: "Origin", name: "Herkunft", value: "Portugal", mapped: true },
    ]);
    expect(r.flags).toContain("feature_unmapped");
  });

  it("flags a missing price, an unknown tax class and a SKU fallback", () => {
    const r = buildProductRecord(lsItem({ itemId: "13", prices: [], taxClassId: "99" }), productContext({ taxClasses: new Map() }));
    expect(r.record.flags).toEqual(["no_price", "sku_fallback", "tax_class_unknown"]);
    expect(r.record.priceGrossCents).toBeNull();
  });

  it("a matrix lists its axes with the values it offers", () => {
    const m = buildMatrixRecord(lsMatrix({ itemMatrixId: "4" }), productContext({ mappings: { attributes: new Map([["1|2", "Größe"]]), features: new Map() } }));
    expect(m.attributeValues).toEqual([
      { axis: 1, lsName: "Color", name: "Color", mapped: false, values: ["Rot", "Blau"] },
      { axis: 2, lsName: "Size", name: "Größe", mapped: true, values: ["S", "M", "L"] },
    ]);
    expect(m).toMatchObject({ priceGrossCents: 4990, priceNetCents: 4193 });
  });
});
