import * as z from "zod";
import type { LsCustomer, LsItem, LsSale, LsSaleLine } from "../lightspeed/domain";
import { splitAddress } from "./split-address";

/**
 * The field mapper: for customers, addresses, sale lines and products, which Lightspeed field (or fields) fills
 * which BuchhaltungsButler field, through a chain of transforms. Pure functions: the mapping screen previews a
 * real record with them, and the order flow applies the same rules when it writes (applyFieldMapping).
 */
export const FIELD_MAPPER_KINDS = ["customer", "address", "line", "product"] as const;
export type FieldMapperKind = (typeof FIELD_MAPPER_KINDS)[number];

export interface TargetField {
  key: string;
  /** BB's limit in characters. Where the API spec names none we use a conservative one (stricter wins). */
  maxLength: number;
}

/** What BB holds per kind. Debtor limits are not in BB's spec: 100/10/50 keep well inside what its UI accepts. */
export const TARGET_FIELDS: Record<FieldMapperKind, TargetField[]> = {
  customer: [
    { key: "name", maxLength: 100 },
    { key: "contactPersonName", maxLength: 100 },
    { key: "customerNumber", maxLength: 30 },
    { key: "email", maxLength: 100 },
    { key: "salesTaxId", maxLength: 20 },
  ],
  address: [
    { key: "street", maxLength: 100 },
    { key: "additionalAddressLine", maxLength: 100 },
    { key: "zip", maxLength: 10 },
    { key: "city", maxLength: 50 },
    { key: "country", maxLength: 2 },
  ],
  // Posting texts are limited to 128 characters by BB.
  line: [{ key: "postingText", maxLength: 128 }],
  product: [
    { key: "name", maxLength: 100 },
    { key: "sku", maxLength: 60 },
    { key: "ean", maxLength: 14 },
  ],
};

/** The source fields a merchant can pick, per kind (flattened from the Lightspeed record). */
export const SOURCE_FIELDS: Record<FieldMapperKind, string[]> = {
  customer: ["customerId", "firstName", "lastName", "fullName", "title", "company", "email", "phone", "vatNumber", "companyRegistrationNumber"],
  address: ["address1", "address2", "city", "zip", "state", "country", "countryCode"],
  line: ["description", "saleLineId", "itemId", "unitQuantity", "unitPrice", "calcTotal", "taxRatePercent", "ticketNumber"],
  product: ["description", "systemSku", "customSku", "manufacturerSku", "ean", "upc", "itemId"],
};

const fieldName = z.string().min(1).max(60);

export const transformSchema = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("trim") }),
  z.strictObject({ op: z.literal("case"), mode: z.enum(["upper", "lower", "title"]) }),
  /** "Hauptstraße 12a" → street "Hauptstraße" or number "12a". */
  z.strictObject({ op: z.literal("split_street"), part: z.enum(["street", "number", "street_and_number"]) }),
  /** Appends further source fields (empty ones are skipped, so no double separators). */
  z.strictObject({ op: z.literal("concat"), fields: z.array(fieldName).min(1).max(5), separator: z.string().max(5) }),
  /** Replaces a value by the table's entry (exact match, case-insensitive); otherwise keeps it or empties it. */
  z.strictObject({
    op: z.literal("lookup"),
    table: z.array(z.strictObject({ from: z.string().max(200), to: z.string().max(200) })).max(200),
    otherwise: z.enum(["keep", "empty"]).default("keep"),
  }),
  /** An empty value becomes another source field's value (e.g. no company → the person's name) or a fixed text. */
  z.strictObject({ op: z.literal("default"), value: z.string().max(200).optional(), field: fieldName.optional() }),
  /** Cuts to `max` characters, or to BB's limit for the target field when `max` is not set. */
  z.strictObject({ op: z.literal("truncate"), max: z.number().int().min(1).max(1000).optional() }),
]);
export type Transform = z.infer<typeof transformSchema>;

export const fieldRuleSchema = z.strictObject({
  target: fieldName,
  /** Null: the value comes from the transforms alone (e.g. only a default). */
  source: fieldName.nullable(),
  transforms: z.array(transformSchema).max(10).default([]),
});
export type FieldRule = z.output<typeof fieldRuleSchema>;
export type FieldRuleInput = z.input<typeof fieldRuleSchema>;

export const fieldRulesSchema = z.array(fieldRuleSchema).max(30);

export type SourceRecord = Record<string, string | null | undefined>;

export interface FieldMappingResult {
  values: Record<string, string>;
  /** Per target: what the merchant should know (a value was cut, or is still too long for BB). */
  problems: { target: string; kind: "too_long" | "truncated" | "unknown_target" | "unknown_source"; detail: string }[];
}

function titleCase(s: string): string {
  return s.toLocaleLowerCase("de-DE").replace(/(^|[\s\-/])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toLocaleUpperCase("de-DE"));
}

function applyTransform(value: string, t: Transform, source: SourceRecord, limit: number): string {
  switch (t.op) {
    case "trim":
      return value.trim().replace(/\s+/g, " ");
    case "case":
      return t.mode === "upper" ? value.toLocaleUpperCase("de-DE") : t.mode === "lower" ? value.toLocaleLowerCase("de-DE") : titleCase(value);
    case "split_street": {
      const { street, houseNumber } = splitAddress(value);
      if (t.part === "street") return street;
      if (t.part === "number") return houseNumber;
      return [street, houseNumber].filter(Boolean).join(" ");
    }
    case "concat":
      return [value, ...t.fields.map((f) => (source[f] ?? "").trim())].filter((v) => v !== "").join(t.separator);
    case "lookup": {
      const hit = t.table.find((row) => row.from.trim().toLocaleLowerCase("de-DE") === value.trim().toLocaleLowerCase("de-DE"));
      if (hit) return hit.to;
      return t.otherwise === "empty" ? "" : value;
    }
    case "default":
      if (value.trim() !== "") return value;
      return (t.field ? (source[t.field] ?? "").trim() : "") || (t.value ?? "");
    case "truncate":
      return [...value].slice(0, t.max ?? limit).join("");
  }
}

/**
 * Applies the rules of one kind to a flattened source record. Targets without a rule are not set (the caller
 * keeps its own default). A value longer than BB allows is reported, never silently cut: add "truncate".
 */
export function applyFieldMapping(kind: FieldMapperKind, source: SourceRecord, rules: FieldRuleInput[]): FieldMappingResult {
  const parsed = fieldRulesSchema.parse(rules);
  const targets = new Map(TARGET_FIELDS[kind].map((f) => [f.key, f]));
  const known = new Set(SOURCE_FIELDS[kind]);
  const result: FieldMappingResult = { values: {}, problems: [] };
  for (const rule of parsed) {
    const target = targets.get(rule.target);
    if (!target) {
      result.problems.push({ target: rule.target, kind: "unknown_target", detail: `BuchhaltungsButler has no field "${rule.target}" for ${kind}` });
      continue;
    }
    if (rule.source !== null && !known.has(rule.source)) {
      result.problems.push({ target: rule.target, kind: "unknown_source", detail: `Lightspeed has no field "${rule.source}" for ${kind}` });
      continue;
    }
    let value = rule.source === null ? "" : (source[rule.source] ?? "");
    for (const t of rule.transforms) value = applyTransform(value, t, source, target.maxLength);
    const length = [...value].length;
    if (rule.transforms.some((t) => t.op === "truncate") && rule.source !== null && [...(source[rule.source] ?? "")].length > length) {
      result.problems.push({ target: rule.target, kind: "truncated", detail: `cut to ${length} characters` });
    }
    if (length > target.maxLength) {
      result.problems.push({ target: rule.target, kind: "too_long", detail: `${length} characters; BuchhaltungsButler takes at most ${target.maxLength}. Add “truncate” or pick a shorter field.` });
    }
    result.values[rule.target] = value;
  }
  return result;
}

/** The rules that reproduce what the flows do without any field mapping (the starting point in the UI). */
export const DEFAULT_FIELD_RULES: Record<FieldMapperKind, FieldRule[]> = {
  customer: [
    { target: "name", source: "company", transforms: [{ op: "trim" }, { op: "default", field: "fullName" }, { op: "truncate" }] },
    { target: "contactPersonName", source: "fullName", transforms: [{ op: "trim" }] },
    { target: "customerNumber", source: "customerId", transforms: [] },
    { target: "email", source: "email", transforms: [{ op: "trim" }, { op: "case", mode: "lower" }] },
    { target: "salesTaxId", source: "vatNumber", transforms: [{ op: "trim" }, { op: "case", mode: "upper" }] },
  ],
  address: [
    { target: "street", source: "address1", transforms: [{ op: "trim" }] },
    { target: "additionalAddressLine", source: "address2", transforms: [{ op: "trim" }] },
    { target: "zip", source: "zip", transforms: [{ op: "trim" }] },
    { target: "city", source: "city", transforms: [{ op: "trim" }] },
    { target: "country", source: "countryCode", transforms: [{ op: "case", mode: "upper" }, { op: "default", value: "DE" }] },
  ],
  line: [{ target: "postingText", source: "description", transforms: [{ op: "trim" }, { op: "truncate" }] }],
  product: [
    { target: "name", source: "description", transforms: [{ op: "trim" }, { op: "truncate" }] },
    { target: "sku", source: "customSku", transforms: [{ op: "trim" }, { op: "default", field: "systemSku" }] },
    { target: "ean", source: "ean", transforms: [{ op: "trim" }] },
  ],
};

/** Flattens a Lightspeed customer into the customer source fields. */
export function customerSource(c: LsCustomer): SourceRecord {
  const fullName = [c.firstName, c.lastName].map((s) => s.trim()).filter(Boolean).join(" ");
  return {
    customerId: c.customerId,
    firstName: c.firstName,
    lastName: c.lastName,
    fullName,
    title: c.title,
    company: c.company,
    email: c.contact?.emails[0]?.address ?? "",
    phone: c.contact?.phones[0]?.number ?? "",
    vatNumber: c.vatNumber,
    companyRegistrationNumber: c.companyRegistrationNumber,
  };
}

export function addressSource(c: LsCustomer): SourceRecord {
  const a = c.contact?.addresses[0];
  return { address1: a?.address1 ?? "", address2: a?.address2 ?? "", city: a?.city ?? "", zip: a?.zip ?? "", state: a?.state ?? "", country: a?.country ?? "", countryCode: a?.countryCode ?? "" };
}

export function lineSource(sale: LsSale, line: LsSaleLine, itemDescription?: string | null): SourceRecord {
  const rate = Number(line.tax1Rate || "0") * 100;
  return {
    description: itemDescription ?? "",
    saleLineId: line.saleLineId,
    itemId: line.itemId ?? "",
    unitQuantity: line.unitQuantity,
    unitPrice: line.unitPrice,
    calcTotal: line.calcTotal,
    taxRatePercent: String(Math.round(rate * 100) / 100),
    ticketNumber: sale.ticketNumber,
  };
}

export function productSource(item: LsItem): SourceRecord {
  return {
    description: item.description,
    systemSku: item.systemSku,
    customSku: item.customSku,
    manufacturerSku: item.manufacturerSku,
    ean: item.ean,
    upc: item.upc,
    itemId: item.itemId,
  };
}
