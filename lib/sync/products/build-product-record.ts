import { createHash } from "node:crypto";
import type { LsItem, LsItemMatrix, LsItemPrice } from "../../lightspeed/domain";
import { decimal, toCents } from "../../money";
import { mapAttributes, mapFeatures, type AttributeSetInfo, type MappedAttribute, type MappedFeature, type ProductMappings } from "../../mapping/product-attributes";
import { skuCandidates, type SkuCandidate, type SkuField } from "../../mapping/product-sku";

/**
 * A Lightspeed item as a row of the product register (without its SKU, which is assigned over the whole
 * register, see product-sku.ts). Pure: everything it needs is passed in.
 */
export interface TaxClassInfo {
  /** VAT in percent as a decimal string: "19", "7", "0". */
  vatPercent: string;
  /** Whether Lightspeed prices are gross (the shop's tax category is tax-inclusive). */
  taxInclusive: boolean;
}

export interface ProductContext {
  skuField: SkuField;
  mappings: ProductMappings;
  attributeSets: Map<string, AttributeSetInfo>;
  /** Tax class id → VAT; key "" = items without a tax class (the tax category's own rate). */
  taxClasses: Map<string, TaxClassInfo>;
  /** Matrix id → its attribute set id, for variants whose ItemAttributes were not loaded. */
  matrixAttributeSets: Map<string, string | null>;
}

export type ProductFlag = "attribute_unmapped" | "feature_unmapped" | "no_price" | "tax_class_unknown" | "sku_fallback" | "sku_conflict" | "matrix_unknown";

export interface ProductRecord {
  itemId: string;
  kind: "simple" | "variant";
  matrixId: string | null;
  description: string;
  categoryId: string | null;
  taxClassId: string | null;
  itemType: string;
  archived: boolean;
  ean: string;
  upc: string;
  customSku: string;
  systemSku: string;
  manufacturerSku: string;
  priceAmount: string | null;
  priceNetCents: number | null;
  priceGrossCents: number | null;
  msrpGrossCents: number | null;
  vatPercent: string | null;
  defaultCost: string | null;
  attributes: MappedAttribute[];
  features: MappedFeature[];
  flags: ProductFlag[];
}

/** Which record keys each create-vs-update field covers. */
export const PRODUCT_FIELD_GROUPS = {
  description: ["description"],
  prices: ["priceAmount", "priceNetCents", "priceGrossCents", "msrpGrossCents", "vatPercent"],
  barcodes: ["ean", "upc"],
  manufacturerSku: ["manufacturerSku"],
  category: ["categoryId"],
  taxClass: ["taxClassId"],
  attributes: ["attributes"],
  features: ["features"],
  archived: ["archived"],
  cost: ["defaultCost"],
} as const satisfies Record<string, readonly (keyof ProductRecord)[]>;

export function priceOf(prices: LsItemPrice[], useTypeId: "1" | "2"): LsItemPrice | undefined {
  const fallbackName = useTypeId === "1" ? "default" : "msrp";
  return prices.find((p) => p.useTypeId === useTypeId) ?? prices.find((p) => p.useType.trim().toLowerCase() === fallbackName);
}

/** Net and gross cents from a Lightspeed price (gross in a tax-inclusive shop, net otherwise), rounded once. */
export function netAndGross(amount: string, tax: TaxClassInfo): { net: number; gross: number } {
  const a = decimal(amount);
  const factor = decimal(tax.vatPercent).dividedBy(100).plus(1);
  return tax.taxInclusive ? { gross: toCents(a), net: toCents(a.dividedBy(factor)) } : { net: toCents(a), gross: toCents(a.times(factor)) };
}

export function taxFor(item: { tax: boolean; taxClassId: string | null }, ctx: ProductContext): TaxClassInfo | null {
  const fallback = ctx.taxClasses.get("");
  const cls = item.taxClassId ? ctx.taxClasses.get(item.taxClassId) : fallback;
  if (!cls) return null;
  // A non-taxable item carries no VAT; prices are then the same net and gross.
  return item.tax ? cls : { vatPercent: "0", taxInclusive: cls.taxInclusive };
}

export function buildProductRecord(item: LsItem, ctx: ProductContext): { record: ProductRecord; candidates: SkuCandidate[] } {
  const flags = new Set<ProductFlag>();
  const kind = item.itemMatrixId ? "variant" : "simple";
  let attributes: MappedAttribute[] = [];
  if (item.itemMatrixId) {
    const setId = item.attributes?.itemAttributeSetId ?? ctx.matrixAttributeSets.get(item.itemMatrixId) ?? null;
    if (!ctx.matrixAttributeSets.has(item.itemMatrixId) && !item.attributes?.itemAttributeSetId) flags.add("matrix_unknown");
    attributes = mapAttributes(item.attributes ?? { attribute1: "", attribute2: "", attribute3: "" }, setId ? (ctx.attributeSets.get(setId) ?? null) : null, setId, ctx.mappings.attributes);
    if (attributes.some((a) => !a.mapped)) flags.add("attribute_unmapped");
  }
  const features = mapFeatures(item.customFields, ctx.mappings.features);
  if (features.some((f) => !f.mapped)) flags.add("feature_unmapped");

  const tax = taxFor(item, ctx);
  if (!tax) flags.add("tax_class_unknown");
  const price = priceOf(item.prices, "1");
  const msrp = priceOf(item.prices, "2");
  let priceNetCents: number | null = null;
  let priceGrossCents: number | null = null;
  let msrpGrossCents: number | null = null;
  if (!price) flags.add("no_price");
  if (price && tax) ({ net: priceNetCents, gross: priceGrossCents } = netAndGross(price.amount, tax));
  if (msrp && tax && !decimal(msrp.amount).isZero()) msrpGrossCents = netAndGross(msrp.amount, tax).gross;

  const candidates = skuCandidates(item, ctx.skuField);
  if (candidates[0]?.source !== ctx.skuField) flags.add("sku_fallback");

  return {
    record: {
      itemId: item.itemId,
      kind,
      matrixId: item.itemMatrixId,
      description: item.description,
      categoryId: item.categoryId,
      taxClassId: item.taxClassId,
      itemType: item.itemType,
      archived: item.archived,
      ean: item.ean,
      upc: item.upc,
      customSku: item.customSku,
      systemSku: item.systemSku,
      manufacturerSku: item.manufacturerSku,
      priceAmount: price ? decimal(price.amount).toString() : null,
      priceNetCents,
      priceGrossCents,
      msrpGrossCents,
      vatPercent: tax?.vatPercent ?? null,
      defaultCost: item.defaultCost ? decimal(item.defaultCost).toString() : null,
      attributes,
      features,
      flags: [...flags].sort(),
    },
    candidates,
  };
}

export interface MatrixRecord {
  matrixId: string;
  description: string;
  attributeSetId: string | null;
  categoryId: string | null;
  taxClassId: string | null;
  itemType: string;
  archived: boolean;
  /** Per axis: its (mapped) name and the values the matrix offers. */
  attributeValues: { axis: 1 | 2 | 3; lsName: string; name: string; mapped: boolean; values: string[] }[];
  priceAmount: string | null;
  priceNetCents: number | null;
  priceGrossCents: number | null;
}

export const MATRIX_FIELD_GROUPS = {
  description: ["description"],
  prices: ["priceAmount", "priceNetCents", "priceGrossCents"],
  category: ["categoryId"],
  taxClass: ["taxClassId"],
  attributes: ["attributeValues"],
  archived: ["archived"],
} as const satisfies Record<string, readonly (keyof MatrixRecord)[]>;

export function buildMatrixRecord(matrix: LsItemMatrix, ctx: ProductContext): MatrixRecord {
  const set = matrix.itemAttributeSetId ? ctx.attributeSets.get(matrix.itemAttributeSetId) : undefined;
  const lists = [matrix.attribute1Values, matrix.attribute2Values, matrix.attribute3Values];
  const attributeValues: MatrixRecord["attributeValues"] = [];
  for (const axis of [1, 2, 3] as const) {
    const values = (lists[axis - 1] ?? []).map((v) => v.trim()).filter(Boolean);
    const lsName = set?.names[axis - 1]?.trim() ?? "";
    if (values.length === 0 && !lsName) continue;
    const mapped = matrix.itemAttributeSetId ? ctx.mappings.attributes.get(`${matrix.itemAttributeSetId}|${axis}`) : undefined;
    const shownLs = lsName || `attribute${axis}`;
    attributeValues.push({ axis, lsName: shownLs, name: mapped ?? shownLs, mapped: mapped !== undefined, values });
  }
  const tax = taxFor(matrix, ctx);
  const price = priceOf(matrix.prices, "1");
  const ng = price && tax ? netAndGross(price.amount, tax) : null;
  return {
    matrixId: matrix.itemMatrixId,
    description: matrix.description,
    attributeSetId: matrix.itemAttributeSetId,
    categoryId: matrix.categoryId,
    taxClassId: matrix.taxClassId,
    itemType: matrix.itemType,
    archived: matrix.archived,
    attributeValues,
    priceAmount: price ? decimal(price.amount).toString() : null,
    priceNetCents: ng?.net ?? null,
    priceGrossCents: ng?.gross ?? null,
  };
}

/** A stable hash of what we derive from a record (mapping changes change it too). */
export function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 32);
}
