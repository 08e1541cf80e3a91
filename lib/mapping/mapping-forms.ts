import * as z from "zod";
import { FIELD_MAPPER_KINDS, fieldRulesSchema } from "./field-mapper";
import { accountField } from "./order-mapping-form";
import type { saveAttributeMapping, saveFeatureMapping } from "./product-attributes";

/* The Mappings page's forms, parsed from flat form fields with the same field schemas the lib stores with. */

type Fields = Record<string, string | string[]>;
const flat = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** A default debtor chosen from a select: "<posting account>|<name>". */
export const debtorChoiceField = z
  .string()
  .regex(/^\d{1,9}\|.{1,200}$/)
  .transform((v) => {
    const [num, ...name] = v.split("|");
    return { postingAccountNumber: Number(num), name: name.join("|") };
  });

export const defaultDebtorFormSchema = z.object({ defaultDebtor: debtorChoiceField });

/** Categories → revenue accounts per VAT rate (`cat.<categoryID>|<rate>`); an empty field removes the mapping. */
export const categoryAccountsFormSchema = flat.transform((form: Fields, ctx) => {
  const changes: Record<string, number | null> = {};
  for (const [field, raw] of Object.entries(form)) {
    const m = /^cat\.(\d+)\|(19|7)$/.exec(field);
    if (!m) continue;
    const value = String(raw).trim();
    if (value === "") {
      changes[`${m[1]}|${m[2]}`] = null;
      continue;
    }
    const account = accountField.safeParse(value);
    if (account.success) changes[`${m[1]}|${m[2]}`] = Number(account.data);
    else ctx.addIssue({ code: "custom", path: [field], message: "account" });
  }
  return changes;
});

type AttributeInput = Parameters<typeof saveAttributeMapping>[2];
type FeatureInput = Parameters<typeof saveFeatureMapping>[2];

/** Names of attribute axes (`attr.<setID>|<axis>`) and custom fields (`feat.<name>`, "-" = ignore); empty = unchanged. */
export const productNamesFormSchema = flat.transform((form: Fields) => {
  const attributes: AttributeInput[] = [];
  const features: FeatureInput[] = [];
  for (const [field, raw] of Object.entries(form)) {
    const value = String(raw).trim();
    if (!value) continue;
    const attr = /^attr\.(\d+)\|([123])$/.exec(field);
    if (attr) attributes.push({ attributeSetId: attr[1]!, axis: Number(attr[2]) as AttributeInput["axis"], name: value });
    const feat = /^feat\.(.+)$/.exec(field);
    if (feat) features.push({ customField: feat[1]!, target: value === "-" ? { ignore: true } : { name: value } });
  }
  return { attributes, features };
});

/** The field mapper posts its rules as JSON; they are checked against the stored rule schema. */
export const fieldRulesFormSchema = z.object({
  kind: z.enum(FIELD_MAPPER_KINDS),
  rules: z
    .string()
    .transform((s, ctx): unknown => {
      try {
        return JSON.parse(s);
      } catch {
        ctx.addIssue({ code: "custom", message: "rules" });
        return z.NEVER;
      }
    })
    .pipe(fieldRulesSchema),
});
