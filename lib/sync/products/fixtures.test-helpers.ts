import type { LsItem, LsItemMatrix } from "../../lightspeed/domain";
import type { ProductContext } from "./build-product-record";

/** A plain Lightspeed item as the normaliser outputs it; tests override what they exercise. */
export function lsItem(over: Partial<LsItem> & { itemId: string }): LsItem {
  return {
    systemSku: `2100000${over.itemId.padStart(5, "0")}`,
    customSku: "",
    manufacturerSku: "",
    upc: "",
    ean: "",
    description: `Artikel ${over.itemId}`,
    itemType: "default",
    tax: true,
    discountable: true,
    archived: false,
    categoryId: null,
    taxClassId: "1",
    itemMatrixId: null,
    defaultCost: "5",
    avgCost: "5",
    prices: [
      { amount: "19.99", useTypeId: "1", useType: "Default" },
      { amount: "24.99", useTypeId: "2", useType: "MSRP" },
    ],
    attributes: null,
    customFields: {},
    createTime: "2026-01-01T10:00:00.000Z",
    timeStamp: "2026-01-01T10:00:00.000Z",
    ...over,
  };
}

export function lsMatrix(over: Partial<LsItemMatrix> & { itemMatrixId: string }): LsItemMatrix {
  return {
    description: `Matrix ${over.itemMatrixId}`,
    itemAttributeSetId: "1",
    categoryId: null,
    taxClassId: "1",
    itemType: "default",
    tax: true,
    archived: false,
    defaultCost: "10",
    prices: [{ amount: "49.90", useTypeId: "1", useType: "Default" }],
    attribute1Values: ["Rot", "Blau"],
    attribute2Values: ["S", "M", "L"],
    attribute3Values: [],
    timeStamp: "2026-01-01T10:00:00.000Z",
    ...over,
  };
}

export function productContext(over: Partial<ProductContext> = {}): ProductContext {
  return {
    skuField: "customSku",
    mappings: { attributes: new Map(), features: new Map() },
    attributeSets: new Map([["1", { attributeSetId: "1", names: ["Color", "Size", ""] }]]),
    taxClasses: new Map([
      ["", { vatPercent: "19", taxInclusive: true }],
      ["1", { vatPercent: "19", taxInclusive: true }],
      ["2", { vatPercent: "7", taxInclusive: true }],
    ]),
    matrixAttributeSets: new Map(),
    ...over,
  };
}
