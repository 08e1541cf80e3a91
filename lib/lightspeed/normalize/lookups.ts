import * as z from "zod";
import type {
  LsAccount, LsCategory, LsItemAttributeSet, LsPaymentKind, LsPaymentType, LsRegister, LsShop, LsTaxCategory, LsTaxClass,
} from "../domain";
import { bool, decOpt, fk, id, instantOpt, int, text, toMany } from "./primitives";

/** Small reference tables: shops, registers, payment types, tax classes and categories, categories, attribute sets. */
const KINDS: LsPaymentKind[] = ["cash", "credit card", "gift card", "credit account", "ecom", "adjustment", "user defined"];

export const paymentKind = z.custom<LsPaymentKind>((v) => typeof v === "string" && (KINDS as string[]).includes(v), { error: `is not a known payment type kind (${KINDS.join(", ")})` });

export const paymentTypeSchema = z
  .object({
    paymentTypeID: id,
    name: text,
    type: paymentKind,
    requireCustomer: bool,
    archived: bool,
    internalReserved: bool,
    refundAsPaymentTypeID: fk,
  })
  .transform((p): LsPaymentType => ({
    paymentTypeId: p.paymentTypeID,
    name: p.name,
    kind: p.type,
    requireCustomer: p.requireCustomer,
    archived: p.archived,
    internalReserved: p.internalReserved,
    refundAsPaymentTypeId: p.refundAsPaymentTypeID,
  }));

export const accountSchema = z
  .object({
    accountID: id,
    name: text,
    defaultCurrency: z.preprocess((v) => (v === "" ? undefined : v), z.object({ code: text }).optional()).optional(),
  })
  .transform((a): LsAccount => ({ accountId: a.accountID, name: a.name, currency: a.defaultCurrency?.code || null }));

export const shopSchema = z
  .object({
    shopID: id,
    name: text,
    timeZone: z.custom<string>((v) => typeof v === "string" && v.length > 0, { error: "is not a time zone" }),
    taxCategoryID: fk,
    archived: bool,
    timeStamp: instantOpt,
  })
  .transform((s): LsShop => ({ shopId: s.shopID, name: s.name, timeZone: s.timeZone, taxCategoryId: s.taxCategoryID, archived: s.archived, timeStamp: s.timeStamp }));

export const registerSchema = z
  .object({ registerID: id, shopID: id, name: text, archived: bool })
  .transform((r): LsRegister => ({ registerId: r.registerID, shopId: r.shopID, name: r.name, archived: r.archived }));

export const taxClassSchema = z
  .object({ taxClassID: id, name: text, timeStamp: instantOpt })
  .transform((t): LsTaxClass => ({ taxClassId: t.taxClassID, name: t.name, timeStamp: t.timeStamp }));

const taxCategoryClass = z.object({ taxClassID: id, tax1Rate: decOpt, tax2Rate: decOpt });

export const taxCategorySchema = z
  .object({
    taxCategoryID: id,
    isTaxInclusive: bool,
    tax1Name: text,
    tax1Rate: decOpt,
    tax2Name: text,
    tax2Rate: decOpt,
    timeStamp: instantOpt,
    TaxCategoryClasses: toMany("TaxCategoryClass", taxCategoryClass),
  })
  .transform((t): LsTaxCategory => ({
    taxCategoryId: t.taxCategoryID,
    isTaxInclusive: t.isTaxInclusive,
    tax1Name: t.tax1Name,
    tax1Rate: t.tax1Rate,
    tax2Name: t.tax2Name,
    tax2Rate: t.tax2Rate,
    classes: t.TaxCategoryClasses.map((c) => ({ taxClassId: c.taxClassID, tax1Rate: c.tax1Rate, tax2Rate: c.tax2Rate })),
    timeStamp: t.timeStamp,
  }));

export const categorySchema = z
  .object({ categoryID: id, name: text, parentID: fk, fullPathName: text, nodeDepth: int, archived: bool, timeStamp: instantOpt })
  .transform((c): LsCategory => ({
    categoryId: c.categoryID,
    name: c.name,
    parentId: c.parentID,
    fullPathName: c.fullPathName || c.name,
    nodeDepth: c.nodeDepth,
    archived: c.archived,
    timeStamp: c.timeStamp,
  }));

export const attributeSetSchema = z
  .object({ itemAttributeSetID: id, name: text, attributeName1: text, attributeName2: text, attributeName3: text, system: bool, archived: bool })
  .transform((a): LsItemAttributeSet => ({
    itemAttributeSetId: a.itemAttributeSetID,
    name: a.name,
    attributeName1: a.attributeName1,
    attributeName2: a.attributeName2,
    attributeName3: a.attributeName3,
    system: a.system,
    archived: a.archived,
  }));
