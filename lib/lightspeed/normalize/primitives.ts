import * as z from "zod";

/**
 * Boundary parsers for Lightspeed's string-typed JSON. Each one fails with a message that completes the
 * sentence `<field> "<value>" …` (see describe-issues.ts), so a support person reads e.g.
 * `SaleLine 12: calcTotal "abc" is not a number`.
 *
 * Every field is checked and converted in one pass (a benchmark reads 150k records with ~200 fields each):
 * `field(parse, message)` runs `parse` once and reports `message` when it returns FAIL.
 */
const FAIL = Symbol("fail");
type Parse<T> = (v: unknown) => T | typeof FAIL;

function field<T>(parse: Parse<T>, message: string) {
  return z
    .custom<unknown>(() => true)
    .optional()
    .transform((v, ctx): T => {
      const out = parse(v);
      if (out === FAIL) {
        ctx.addIssue({ code: "custom", message, input: v });
        return z.NEVER;
      }
      return out;
    });
}

const CANONICAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** "011.50" → "11.5", "-0" → "0", "+3" → "3": one spelling per value, never a float. */
export function canonicalDecimal(s: string): string {
  if (CANONICAL.test(s) && s !== "-0") return s;
  let v = s.trim();
  let neg = false;
  if (v.startsWith("-")) {
    neg = true;
    v = v.slice(1);
  } else if (v.startsWith("+")) v = v.slice(1);
  let [int = "0", frac = ""] = v.split(".");
  int = int.replace(/^0+(?=\d)/, "");
  frac = frac.replace(/0+$/, "");
  const out = frac ? `${int}.${frac}` : int;
  return neg && out !== "0" ? `-${out}` : out;
}

const parseDecimal = (v: unknown) => (typeof v === "string" && (CANONICAL.test(v) || DECIMAL.test(v.trim())) ? canonicalDecimal(v) : FAIL);

/** A required exact decimal. */
export const dec = field((v) => (v === undefined ? FAIL : parseDecimal(v)), "is not a number");

/** An optional decimal: missing or "" means 0 (Lightspeed leaves zero fields out of some samples). */
export const decOpt = field((v) => (v === undefined || v === "" ? "0" : parseDecimal(v)), "is not a number");

/** A decimal that may be absent (null), e.g. ItemShop.averageCost outside the summary row. */
export const decNullable = field((v) => (v === undefined || v === "" ? null : parseDecimal(v)), "is not a number");

export const bool = field((v) => {
  if (v === undefined || v === "false" || v === false || v === "0") return false;
  if (v === "true" || v === true || v === "1") return true;
  return FAIL;
}, "is not true or false");

/** A whole or decimal count as a number (quantities can be fractional for weighed goods). */
export const count = field((v) => {
  if (v === undefined || v === "") return 0;
  return typeof v === "string" && DECIMAL.test(v) ? Number(v) : FAIL;
}, "is not a number");

export const int = field((v) => {
  if (v === undefined || v === "") return 0;
  return typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : FAIL;
}, "is not a whole number");

const DIGITS = /^\d+$/;

/** A primary id: digits, required. */
export const id = field((v) => (typeof v === "string" && DIGITS.test(v) && !/^0+$/.test(v) ? v : FAIL), "is not a valid id");

/** A foreign key: "0", "" or missing means none. */
export const fk = field((v) => {
  if (v === undefined || v === "" || v === "0") return null;
  if (typeof v !== "string" || !DIGITS.test(v)) return FAIL;
  return /^0+$/.test(v) ? null : v;
}, "is not a valid id");

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** Lightspeed's "2021-06-06T15:19:18+00:00" (any offset) → ISO UTC with milliseconds, or null. */
export function parseLsInstant(v: string): string | null {
  const m = ISO.exec(v);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, tz] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string];
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  // The common case (UTC, whole seconds) needs no Date parsing, only a check that the day exists.
  if ((tz === "+00:00" || tz === "Z" || tz === "+0000") && !frac) {
    if (day > 28 && new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() !== day) return null;
    return `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`;
  }
  const t = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  if (Number.isNaN(t)) return null;
  if (new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() !== day) return null;
  return new Date(t).toISOString();
}

/** A required instant → ISO UTC. */
export const instant = field((v) => (typeof v === "string" ? (parseLsInstant(v) ?? FAIL) : FAIL), "is not a date and time");

/** An optional instant: missing or "" → null. */
export const instantOpt = field((v) => {
  if (v === undefined || v === "") return null;
  return typeof v === "string" ? (parseLsInstant(v) ?? FAIL) : FAIL;
}, "is not a date and time");

/** Text: missing → "". Numbers are not silently accepted (Lightspeed sends strings). */
export const text = field((v) => (v === undefined ? "" : typeof v === "string" ? v : FAIL), "is not text");

/** `{Element: one-or-many}` or "" → an array of parsed elements. */
export function toMany<T extends z.ZodType>(element: string, schema: T) {
  const inner = z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? {} : v),
    z.object({ [element]: z.preprocess((x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]), z.array(schema)) }, { error: "is not a list" }),
  );
  return inner.optional().transform((o) => ((o as Record<string, z.output<T>[]> | undefined)?.[element] ?? []) as z.output<T>[]);
}

/** A one-or-many list without a wrapper (e.g. attribute1Values): a string, an array or "" → string[]. */
export const stringList = field((v): string[] | typeof FAIL => {
  if (v === undefined || v === "") return [];
  if (typeof v === "string") return [v];
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : FAIL;
}, "is not a list of text");

/** A to-one relation: "" or missing → undefined. */
export function toOne<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());
}

/** Copies an aliased key (e.g. updatetime → updateTime) before parsing. */
export function withAliases(aliases: Record<string, string[]>) {
  return (v: unknown) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    let copy: Record<string, unknown> | null = null;
    for (const [canonical, others] of Object.entries(aliases)) {
      if (o[canonical] !== undefined) continue;
      for (const other of others) {
        if (o[other] !== undefined) {
          copy ??= { ...o };
          copy[canonical] = o[other];
          break;
        }
      }
    }
    return copy ?? o;
  };
}
