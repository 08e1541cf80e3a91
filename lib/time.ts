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

function formattedParts(date: Date, timeZone: string): ZonedParts {
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

const HOUR_MS = 3_600_000;
/** `zone|hour since the epoch` → the zone's offset during that UTC hour, null when it changes within the hour. */
const hourOffsets = new Map<string, number | null>();

/** The zone's offset (ms) at a whole second. */
function offsetAt(instant: number, timeZone: string): number {
  const p = formattedParts(new Date(instant), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - instant;
}

/**
 * Intl's formatToParts costs microseconds per call, and a backfill asks it several times per sale (business
 * date, booking time, day key). A zone's offset is the same all through almost every UTC hour: it is asked at the
 * hour's first and last second, and when both agree (no transition in between: transitions are hours apart) the
 * parts are plain UTC arithmetic; an hour with a transition (including half-hour and 45-minute zones) is
 * formatted instant by instant as before.
 */
export function zonedParts(date: Date, timeZone: string): ZonedParts {
  const t = date.getTime();
  if (!Number.isFinite(t)) return formattedParts(date, timeZone);
  const hour = Math.floor(t / HOUR_MS);
  const key = `${timeZone}|${hour}`;
  let offset = hourOffsets.get(key);
  if (offset === undefined) {
    const start = hour * HOUR_MS;
    const first = offsetAt(start, timeZone);
    offset = first === offsetAt(start + HOUR_MS - 1000, timeZone) ? first : null;
    if (hourOffsets.size >= 10_000) hourOffsets.clear();
    hourOffsets.set(key, offset);
  }
  if (offset === null) return formattedParts(date, timeZone);
  const w = new Date(t + offset);
  return { year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(), hour: w.getUTCHours(), minute: w.getUTCMinutes(), second: w.getUTCSeconds(), weekday: w.getUTCDay() };
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
