import type { BbClient } from "../../buchhaltungsbutler";
import { addDays, businessDate } from "../../time";
import type { LsSale } from "../../lightspeed/domain";
import { saleBookingTime, saleBusinessDate } from "./sale-references";

export interface CorrectionDate {
  /** Business date the correction is booked on, YYYY-MM-DD. */
  date: string;
  /** Local time of day for its payments, "HH:MM:SS". */
  bookingTime: string;
  /** The last day BB showed as locked (festgeschrieben) when the date had to move past it, else null. */
  lockedUntil: string | null;
  /** For the receipt's comment, after the day it corrects: when it is booked, and why later still when it is. */
  note: string;
}

/** Locked postings are looked for a month at a time past the wanted date, for at most two years. */
const LOCK_LOOKAHEAD_DAYS = 31;
const MAX_LOCK_WINDOWS = 24;

/**
 * The date a correction is booked on (GoBD: corrections are dated when they are made, a closed day stays
 * closed): the shop's business day of the moment the change was noticed, never before the day it corrects
 * (`after`: never on it either, for a closed daily summary). BB has no API for its Festschreibung, but a locked
 * period shows in its postings as `fixed`, and BB refuses new postings there; so when fixed postings exist on or
 * after that date, the correction moves to the day after the last of them, with a note naming the original day.
 * A lock reaching past the merchant's last posting cannot be seen through the API: BB then refuses the
 * correction and it fails with the "not locked (festgeschrieben)" hint.
 */
export async function correctionDate(
  bb: Pick<BbClient, "getPostings">,
  input: { originalDate: string; detectedAt: Date; timeZone: string; cutoffHour: number; after: boolean },
): Promise<CorrectionDate> {
  const detected = businessDate(input.detectedAt, input.timeZone, input.cutoffHour);
  const earliest = input.after ? addDays(input.originalDate, 1) : input.originalDate;
  const wanted = detected > earliest ? detected : earliest;
  // Window by window, so a long lock (a year closed, a backfill catching up) is followed to its end in a few calls.
  let date = wanted;
  let lockedUntil: string | null = null;
  for (let window = 0; window < MAX_LOCK_WINDOWS; window++) {
    const fixed = await bb.getPostings({ dateFrom: date, dateTo: addDays(date, LOCK_LOOKAHEAD_DAYS), status: "fixed" });
    const last = fixed.reduce<string | null>((max, p) => (p.fixed && (!max || p.date > max) ? p.date : max), null);
    if (!last) break;
    lockedUntil = last;
    date = addDays(last, 1);
  }
  return dated(date, lockedUntil);

  function dated(d: string, locked: string | null): CorrectionDate {
    // Noticed that day: the moment it was noticed; moved past a lock: the start of the first open day.
    const bookingTime = d === detected ? saleBookingTime({ completeTime: input.detectedAt.toISOString(), timeStamp: input.detectedAt.toISOString() }, input.timeZone, input.cutoffHour) : "00:00:00";
    const note = locked ? `gebucht am ${d}, da der Zeitraum bis ${locked} festgeschrieben ist` : `gebucht am ${d}`;
    return { date: d, bookingTime, lockedUntil: locked, note };
  }
}

/**
 * When a sale's booking is dated: a first posting on the sale's business day; a re-post after an edit (revision
 * n > 0) is a correction, dated when the change was made in Lightspeed (the day its reversal is dated), moved
 * past a lock, and its comment names the day it corrects.
 */
export async function saleBookingDate(
  bb: Pick<BbClient, "getPostings">,
  sale: Pick<LsSale, "completeTime" | "timeStamp" | "updateTime">,
  options: { revision: number; timeZone: string; cutoffHour: number },
): Promise<{ date: string; bookingTime: string; commentSuffix: string }> {
  const own = saleBusinessDate(sale, options.timeZone, options.cutoffHour);
  if (options.revision === 0) return { date: own, bookingTime: saleBookingTime(sale, options.timeZone, options.cutoffHour), commentSuffix: "" };
  const dated = await correctionDate(bb, { originalDate: own, detectedAt: new Date(sale.updateTime ?? sale.timeStamp), timeZone: options.timeZone, cutoffHour: options.cutoffHour, after: false });
  return { date: dated.date, bookingTime: dated.bookingTime, commentSuffix: `, Korrektur zum ${own}, ${dated.note}` };
}
