import { AppError } from "../../errors/app-error";
import type { LsSale } from "../../lightspeed/domain";
import { businessDate, zonedParts } from "../../time";

/** The stable Lightspeed reference used as BB invoice number (and DATEV Belegfeld 1): at most 60 characters. */
export function formatInvoiceNumber(pattern: string, sale: Pick<LsSale, "shopId" | "ticketNumber" | "saleId" | "registerId">): string {
  const value = pattern.replace(/\{(shopID|ticketNumber|saleID|registerID)\}/g, (_, k: string) => {
    switch (k) {
      case "shopID":
        return sale.shopId;
      case "ticketNumber":
        return sale.ticketNumber || sale.saleId;
      case "saleID":
        return sale.saleId;
      default:
        return sale.registerId ?? "0";
    }
  });
  if (value.length > 60) {
    throw new AppError("RECORD_INVALID", {
      detail: `the invoice number "${value.slice(0, 70)}…" is longer than the 60 characters BuchhaltungsButler accepts`,
      fixHint: "Shorten the invoice number pattern under Settings → Orders.",
    });
  }
  return value;
}

/** The instant that dates a sale: its completion (Lightspeed's timeStamp as a fallback for old data). */
export function saleInstant(sale: Pick<LsSale, "completeTime" | "timeStamp">): Date {
  return new Date(sale.completeTime ?? sale.timeStamp);
}

export function saleBusinessDate(sale: Pick<LsSale, "completeTime" | "timeStamp">, timeZone: string, cutoffHour: number): string {
  return businessDate(saleInstant(sale), timeZone, cutoffHour);
}

/** Time of day for the cash book; sales after midnight but before the cut-off sort at the end of their day. */
export function saleBookingTime(sale: Pick<LsSale, "completeTime" | "timeStamp">, timeZone: string, cutoffHour: number): string {
  const p = zonedParts(saleInstant(sale), timeZone);
  if (p.hour < cutoffHour) return "23:59:59";
  return [p.hour, p.minute, p.second].map((n) => String(n).padStart(2, "0")).join(":");
}
