import type { LsSale } from "../../lightspeed/domain";
import { businessDayRange } from "../../time";
import { saleBusinessDate } from "./sale-references";

export interface DayKey {
  shopId: string;
  /** Set when summaries are per register. */
  registerId: string | null;
  date: string;
}

export function dayKeyString(k: DayKey): string {
  return `${k.shopId}|${k.registerId ?? "*"}|${k.date}`;
}

export function parseDayKey(s: string): DayKey {
  const [shopId, registerId, date] = s.split("|") as [string, string, string];
  return { shopId, registerId: registerId === "*" ? null : registerId, date };
}

/** "Z-<shop>[-<register>]-<date>" — stable, so a lost write can be found again by invoice number. */
export function dayInvoiceNumber(k: DayKey, correction = 0): string {
  const base = `Z-${k.shopId}${k.registerId ? `-${k.registerId}` : ""}-${k.date}`;
  return correction > 0 ? `${base}-K${correction}` : base;
}

export function dayKeyOf(sale: LsSale, options: { timeZone: string; cutoffHour: number; granularity: "shop" | "register" }): DayKey {
  return {
    shopId: sale.shopId,
    registerId: options.granularity === "register" ? (sale.registerId ?? "0") : null,
    date: saleBusinessDate(sale, options.timeZone, options.cutoffHour),
  };
}

/**
 * A business day may be posted once it has ended in the shop's time zone and the sync has read past its end
 * plus the overlap window, so no sale of that day can still arrive in the normal flow.
 */
export function isDayClosed(date: string, options: { timeZone: string; cutoffHour: number; readUpTo: Date; overlapMinutes: number }): boolean {
  const { end } = businessDayRange(date, options.timeZone, options.cutoffHour);
  return options.readUpTo.getTime() >= end.getTime() + options.overlapMinutes * 60_000;
}
