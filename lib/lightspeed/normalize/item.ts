import * as z from "zod";
import type { LsItem, LsItemMatrix, LsItemShop, LsItemType } from "../domain";
import { bool, count, decNullable, decOpt, fk, id, instant, instantOpt, stringList, text, toMany, toOne, withAliases } from "./primitives";

/** Item, ItemMatrix and ItemShop (stock). `Prices.ItemPrice` comes without load_relations. */
const ITEM_TYPES: LsItemType[] = ["default", "non_inventory", "serialized", "box", "serialized_assembly", "assembly"];

const itemType = z
  .custom<string>((v) => v === "" || (typeof v === "string" && (ITEM_TYPES as string[]).includes(v)), { error: `is not a known item type (${ITEM_TYPES.join(", ")})` })
  .optional()
  .transform((v) => (v || "default") as LsItemType);

const price = z.object({ amount: decOpt, useTypeID: id, useType: text }).transform((p) => ({ amount: p.amount, useTypeId: p.useTypeID, useType: p.useType }));
const prices = toMany("ItemPrice", price);

const attributes = z.object({ itemAttributeSetID: fk, attribute1: text, attribute2: text, attribute3: text });
const customFieldValue = z.object({ name: text, value: z.custom<unknown>(() => true).optional().transform((v) => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v))) });

export const itemSchema = z
  .object({
    itemID: id,
    systemSku: text,
    customSku: text,
    manufacturerSku: text,
    upc: text,
    ean: text,
    description: text,
    itemType,
    tax: bool,
    discountable: bool,
    archived: bool,
    categoryID: fk,
    taxClassID: fk,
    itemMatrixID: fk,
    defaultCost: decOpt,
    avgCost: decOpt,
    Prices: prices,
    ItemAttributes: toOne(attributes),
    CustomFieldValues: toMany("CustomFieldValue", customFieldValue),
    createTime: instantOpt,
    timeStamp: instant,
  })
  .transform((i): LsItem => ({
    itemId: i.itemID,
    systemSku: i.systemSku,
    customSku: i.customSku,
    manufacturerSku: i.manufacturerSku,
    upc: i.upc,
    ean: i.ean,
    description: i.description,
    itemType: i.itemType,
    tax: i.tax,
    discountable: i.discountable,
    archived: i.archived,
    categoryId: i.categoryID,
    taxClassId: i.taxClassID,
    itemMatrixId: i.itemMatrixID,
    defaultCost: i.defaultCost,
    avgCost: i.avgCost,
    prices: i.Prices,
    attributes: i.ItemAttributes
      ? { itemAttributeSetId: i.ItemAttributes.itemAttributeSetID, attribute1: i.ItemAttributes.attribute1, attribute2: i.ItemAttributes.attribute2, attribute3: i.ItemAttributes.attribute3 }
      : null,
    customFields: Object.fromEntries(i.CustomFieldValues.map((c) => [c.name, c.value])),
    createTime: i.createTime,
    timeStamp: i.timeStamp,
  }));

export const itemMatrixSchema = z
  .object({
    itemMatrixID: id,
    description: text,
    itemAttributeSetID: fk,
    categoryID: fk,
    taxClassID: fk,
    itemType,
    tax: bool,
    archived: bool,
    defaultCost: decOpt,
    Prices: prices,
    attribute1Values: stringList,
    attribute2Values: stringList,
    attribute3Values: stringList,
    timeStamp: instant,
  })
  .transform((m): LsItemMatrix => ({
    itemMatrixId: m.itemMatrixID,
    description: m.description,
    itemAttributeSetId: m.itemAttributeSetID,
    categoryId: m.categoryID,
    taxClassId: m.taxClassID,
    itemType: m.itemType,
    tax: m.tax,
    archived: m.archived,
    defaultCost: m.defaultCost,
    prices: m.Prices,
    attribute1Values: m.attribute1Values,
    attribute2Values: m.attribute2Values,
    attribute3Values: m.attribute3Values,
    timeStamp: m.timeStamp,
  }));

export const itemShopSchema = z.preprocess(
  withAliases({ onWorkOrder: ["onWorkorder"] }),
  z
    .object({
      itemShopID: id,
      itemID: id,
      shopID: z.custom<string>((v) => typeof v === "string" && /^\d+$/.test(v), { error: "is not a valid shop id" }),
      qoh: count,
      sellable: count,
      backorder: count,
      componentQoh: count,
      onLayaway: count,
      onSpecialOrder: count,
      onWorkOrder: count,
      onTransferIn: count,
      onTransferOut: count,
      averageCost: decNullable,
      totalValueAvgCost: decNullable,
      totalValueFifo: decNullable,
      timeStamp: instant,
    })
    .transform((s): LsItemShop => ({
      itemShopId: s.itemShopID,
      itemId: s.itemID,
      shopId: s.shopID,
      qoh: s.qoh,
      sellable: s.sellable,
      backorder: s.backorder,
      componentQoh: s.componentQoh,
      onLayaway: s.onLayaway,
      onSpecialOrder: s.onSpecialOrder,
      onWorkOrder: s.onWorkOrder,
      onTransferIn: s.onTransferIn,
      onTransferOut: s.onTransferOut,
      averageCost: s.averageCost,
      totalValueAvgCost: s.totalValueAvgCost,
      totalValueFifo: s.totalValueFifo,
      timeStamp: s.timeStamp,
    })),
);
