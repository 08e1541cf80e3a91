import * as z from "zod";
import type { LsPaymentsByDayRow, LsTaxesByDayRow } from "../domain";
import { bool, dec, id, text } from "./primitives";

/** Report rows: dates arrive as MM/DD/YYYY and leave as YYYY-MM-DD. */
const usDate = z
  .custom<string>((v) => typeof v === "string" && /^\d{2}\/\d{2}\/\d{4}$/.test(v), { error: "is not a MM/DD/YYYY date" })
  .transform((v) => `${v.slice(6, 10)}-${v.slice(0, 2)}-${v.slice(3, 5)}`);

const shopId = z.custom<string>((v) => typeof v === "string" && /^\d+$/.test(v), { error: "is not a valid shop id" });

export const paymentsByDaySchema = z
  .object({ date: usDate, shopID: shopId, paymentTypeID: id, paymentTypeName: text, amount: dec, layaway: bool })
  .transform((r): LsPaymentsByDayRow => ({ date: r.date, shopId: r.shopID, paymentTypeId: r.paymentTypeID, paymentTypeName: r.paymentTypeName, amount: r.amount, layaway: r.layaway }));

export const taxesByDaySchema = z
  .object({ date: usDate, shopID: shopId, taxCategoryID: id, taxCategoryName: text, tax: dec })
  .transform((r): LsTaxesByDayRow => ({ date: r.date, shopId: r.shopID, taxCategoryId: r.taxCategoryID, taxCategoryName: r.taxCategoryName, tax: r.tax }));
