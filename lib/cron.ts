import { zonedParts, isValidTimeZone } from "./time";

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) with an optional
 * `TZ=Area/City ` prefix, as Inngest accepts them. Supports `*`, lists, ranges and steps.
 */
export interface CronSchedule {
  source: string;
  timeZone: string;
  matches(date: Date): boolean;
  /** The first whole minute strictly after `after` that matches. */
  next(after: Date): Date;
}

const FIELDS: [name: string, min: number, max: number][] = [
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["day of month", 1, 31],
  ["month", 1, 12],
  ["day of week", 0, 7],
];

function parseField(expr: string, [name, min, max]: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of expr.split(",")) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`invalid cron ${name} field "${expr}"`);
    const [, range, stepRaw] = m;
    const step = stepRaw ? Number(stepRaw) : 1;
    if (step < 1) throw new Error(`invalid cron step in "${expr}"`);
    let lo = min;
    let hi = max;
    if (range !== "*") {
      const [a, b] = range!.split("-").map(Number) as [number, number | undefined];
      lo = a;
      hi = b ?? (stepRaw ? max : a);
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`cron ${name} out of range in "${expr}"`);
    for (let v = lo; v <= hi; v += step) values.add(name === "day of week" && v === 7 ? 0 : v);
  }
  return values;
}

export function parseCron(source: string): CronSchedule {
  let expr = source.trim();
  let timeZone = "UTC";
  const tz = /^(?:TZ|CRON_TZ)=(\S+)\s+(.*)$/.exec(expr);
  if (tz) {
    timeZone = tz[1]!;
    expr = tz[2]!;
    if (!isValidTimeZone(timeZone)) throw new Error(`unknown time zone "${timeZone}" in cron "${source}"`);
  }
  const parts = expr.split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${source}" must have 5 fields`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]!)) as Set<number>[];
  const domAny = parts[2] === "*";
  const dowAny = parts[4] === "*";

  const matches = (date: Date) => {
    const p = zonedParts(date, timeZone);
    if (!minute!.has(p.minute) || !hour!.has(p.hour) || !month!.has(p.month)) return false;
    // Classic cron: when both day fields are restricted, either may match.
    const domOk = dom!.has(p.day);
    const dowOk = dow!.has(p.weekday);
    if (domAny && dowAny) return true;
    if (domAny) return dowOk;
    if (dowAny) return domOk;
    return domOk || dowOk;
  };

  return {
    source,
    timeZone,
    matches,
    next(after: Date) {
      let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
      const limit = t + 366 * 24 * 60 * 60_000 * 5;
      for (; t < limit; t += 60_000) if (matches(new Date(t))) return new Date(t);
      throw new Error(`cron "${source}" never fires`);
    },
  };
}
