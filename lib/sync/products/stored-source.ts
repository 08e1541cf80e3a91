import * as z from "zod";
import { AppError } from "../../errors/app-error";
import type { LsItem, LsItemMatrix, LsItemType } from "../../lightspeed/domain";

/*
 * The product register keeps each item and matrix as Lightspeed sent it, normalised (`source`), so field rules
 * can be applied again later without reading Lightspeed. Read back, it is parsed, not cast: a row written by an
 * older release that lacks a field fails loudly here instead of deep inside the SKU assignment.
 */

const itemType = z.enum(["default", "non_inventory", "serialized", "box", "serialized_assembly", "assembly"]);
const price = z.object({ amount: z.string(), useTypeId: z.string(), useType: z.string() });

const storedItem = z.object({
  itemId: z.string(),
  systemSku: z.string(),
  customSku: z.string(),
  manufacturerSku: z.string(),
  upc: z.string(),
  ean: z.string(),
  description: z.string(),
  itemType,
  tax: z.boolean(),
  discountable: z.boolean(),
  archived: z.boolean(),
  categoryId: z.string().nullable(),
  taxClassId: z.string().nullable(),
  itemMatrixId: z.string().nullable(),
  defaultCost: z.string(),
  avgCost: z.string(),
  prices: z.array(price),
  attributes: z.object({ itemAttributeSetId: z.string().nullable(), attribute1: z.string(), attribute2: z.string(), attribute3: z.string() }).nullable(),
  customFields: z.record(z.string(), z.string()),
  createTime: z.string().nullable(),
  timeStamp: z.string(),
});

const storedMatrix = z.object({
  itemMatrixId: z.string(),
  description: z.string(),
  itemAttributeSetId: z.string().nullable(),
  categoryId: z.string().nullable(),
  taxClassId: z.string().nullable(),
  itemType,
  tax: z.boolean(),
  archived: z.boolean(),
  defaultCost: z.string(),
  prices: z.array(price),
  attribute1Values: z.array(z.string()),
  attribute2Values: z.array(z.string()),
  attribute3Values: z.array(z.string()),
  timeStamp: z.string(),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The schemas must describe the domain types exactly: a field added to LsItem without a schema fails the build.
const exact: [Same<z.infer<typeof storedItem>, LsItem>, Same<z.infer<typeof storedMatrix>, LsItemMatrix>, Same<z.infer<typeof itemType>, LsItemType>] = [true, true, true];
void exact;

function parse<T>(schema: z.ZodType<T>, what: string, id: string, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const where = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  throw new AppError("INTERNAL", { detail: `stored ${what} ${id} does not match its schema: ${where}` });
}

export const storedItemSource = (id: string, raw: unknown): LsItem => parse(storedItem, "item", id, raw);
export const storedMatrixSource = (id: string, raw: unknown): LsItemMatrix => parse(storedMatrix, "matrix", id, raw);
