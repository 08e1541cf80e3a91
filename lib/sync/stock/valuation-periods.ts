import { addDays, zonedDate, zonedTimeToUtc } from "../../time";

/**
 * Valuation periods: months ("2026-03"), quarters ("2026-Q1") and years ("2026"), closed at midnight in a
 * shop's time zone. A period's value is the stock value at its end instant (exclusive): the first instant of
 * the next period.
 */
export type ValuationFrequency = "month" | "quarter" | "year";

const MONTH = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

export function periodOfDate(isoDate: string, frequency: ValuationFrequency): string {
  const year = isoDate.slice(0, 4);
  const month = Number(isoDate.slice(5, 7));
  if (frequency === "year") return year;
  if (frequency === "quarter") return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  return `${year}-${String(month).padStart(2, "0")}`;
}

export function frequencyOf(period: string): ValuationFrequency {
  if (MONTH.test(period)) return "month";
  if (QUARTER.test(period)) return "quarter";
  if (YEAR.test(period)) return "year";
  throw new RangeError(`not a valuation period: "${period}" (expected 2026-03, 2026-Q1 or 2026)`);
}

/** First and last calendar day of a period. */
export function periodDates(period: string): { first: string; last: string } {
  let y: number;
  let firstMonth: number;
  let months: number;
  let m: RegExpExecArray | null;
  if ((m = MONTH.exec(period))) {
    y = Number(m[1]);
    firstMonth = Number(m[2]);
    months = 1;
    if (firstMonth < 1 || firstMonth > 12) throw new RangeError(`not a month: "${period}"`);
  } else if ((m = QUARTER.exec(period))) {
    y = Number(m[1]);
    firstMonth = (Number(m[2]) - 1) * 3 + 1;
    months = 3;
  } else if ((m = YEAR.exec(period))) {
    y = Number(m[1]);
    firstMonth = 1;
    months = 12;
  } else throw new RangeError(`not a valuation period: "${period}" (expected 2026-03, 2026-Q1 or 2026)`);
  const first = `${y}-${String(firstMonth).padStart(2, "0")}-01`;
  const nextMonthIndex = firstMonth - 1 + months;
  const nextFirst = `${y + Math.floor(nextMonthIndex / 12)}-${String((nextMonthIndex % 12) + 1).padStart(2, "0")}-01`;
  return { first, last: addDays(nextFirst, -1) };
}

/** The instant the period ends (exclusive), i.e. midnight at the start of the next day in `timeZone`. */
export function periodEndInstant(period: string, timeZone: string): Date {
  return zonedTimeToUtc(addDays(periodDates(period).last, 1), 0, timeZone);
}

export function previousPeriod(period: string): string {
  return periodOfDate(addDays(periodDates(period).first, -1), frequencyOf(period));
}

export function nextPeriod(period: string): string {
  return periodOfDate(addDays(periodDates(period).last, 1), frequencyOf(period));
}

/** The most recent period that has ended at `now` in `timeZone`. */
export function lastClosedPeriod(now: Date, frequency: ValuationFrequency, timeZone: string): string {
  return previousPeriod(periodOfDate(zonedDate(now, timeZone), frequency));
}
