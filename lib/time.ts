/**
 * Wall-clock helpers for a named IANA time zone, on top of Intl (Node ships full ICU). Used for business
 * dates (a sale at 01:30 in Berlin with a 04:00 cut-off belongs to the previous day) and for cron schedules.
 */
export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(date: Date, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(date)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? "Sun"] ?? 0,
  };
}

/** `YYYY-MM-DD` of an instant's wall-clock date in a zone. */
export function zonedDate(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** Adds whole days to a `YYYY-MM-DD` date (calendar arithmetic, no time zone involved). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The business date of an instant: its wall-clock date in the shop's zone, moved back one day when the
 * wall-clock time is before the cut-off hour (a bar's 01:30 sale belongs to the evening before).
 */
export function businessDate(instant: Date, timeZone: string, cutoffHour = 0): string {
  const p = zonedParts(instant, timeZone);
  const date = `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
  return p.hour < cutoffHour ? addDays(date, -1) : date;
}

/**
 * The UTC instant at which a wall-clock time in a zone occurs. For a time that falls in a DST gap the
 * result is the first valid instant after it; for a repeated hour, the first occurrence.
 */
export function zonedTimeToUtc(isoDate: string, hour: number, timeZone: string, minute = 0): Date {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const target = Date.UTC(y, m - 1, d, hour, minute);
  const offsetAt = (instant: number) => {
    const p = zonedParts(new Date(instant), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
  };
  // Offsets a day before and after cover any single transition; a candidate is valid if it reads back as the target.
  const before = offsetAt(target - 86_400_000);
  const after = offsetAt(target + 86_400_000);
  const valid = [target - before, target - after].filter((c) => {
    const p = zonedParts(new Date(c), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === target;
  });
  if (valid.length) return new Date(Math.min(...valid));
  // In a gap: keep the offset from before the switch, which lands as far after the gap as the time was into it.
  return new Date(target - before);
}

/** [start, end) instants of a business day with a cut-off hour. */
export function businessDayRange(isoDate: string, timeZone: string, cutoffHour = 0): { start: Date; end: Date } {
  return {
    start: zonedTimeToUtc(isoDate, cutoffHour, timeZone),
    end: zonedTimeToUtc(addDays(isoDate, 1), cutoffHour, timeZone),
  };
}

/** Where the shops are until each shop's own zone reaches the screens (every merchant so far is in Germany). */
export const SHOP_TIME_ZONE = "Europe/Berlin";

/** Today's date (`YYYY-MM-DD`) in the shop's time zone: the screens' "today", never the server's UTC date. */
export function shopToday(now: Date = new Date(), timeZone: string = SHOP_TIME_ZONE): string {
  return zonedDate(now, timeZone);
}
