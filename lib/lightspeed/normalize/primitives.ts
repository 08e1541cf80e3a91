import * as z from "zod";

/**
 * Boundary parsers for Lightspeed's string-typed JSON. Each one fails with a message that completes the
 * sentence `<field> "<value>" …` (see describe-issues.ts), so a support person reads e.g.
 * `SaleLine 12: calcTotal "abc" is not a number`.
 */
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** "011.50" → "11.5", "-0" → "0", "+3" → "3": one spelling per value, never a float. */
export function canonicalDecimal(s: string): string {
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

const isDecimal = (v: unknown): v is string => typeof v === "string" && DECIMAL.test(v.trim());

/** A required exact decimal. */
export const dec = z.custom<string>(isDecimal, { error: "is not a number" }).transform(canonicalDecimal);

/** An optional decimal: missing or "" means 0 (Lightspeed leaves zero fields out of some samples). */
export const decOpt = z
  .custom<string>((v) => v === "" || isDecimal(v), { error: "is not a number" })
  .optional()
  .transform((v) => (v === undefined || v === "" ? "0" : canonicalDecimal(v)));

/** A decimal that may be absent (null), e.g. ItemShop.averageCost outside the summary row. */
export const decNullable = z
  .custom<string>((v) => v === "" || isDecimal(v), { error: "is not a number" })
  .optional()
  .transform((v) => (v === undefined || v === "" ? null : canonicalDecimal(v)));

export const bool = z
  .custom<string | boolean>((v) => typeof v === "boolean" || v === "true" || v === "false" || v === "1" || v === "0", { error: "is not true or false" })
  .optional()
  .transform((v) => v === true || v === "true" || v === "1");

/** A whole or decimal count as a number (quantities can be fractional for weighed goods). */
export const count = z
  .custom<string>((v) => v === "" || isDecimal(v), { error: "is not a number" })
  .optional()
  .transform((v) => (v === undefined || v === "" ? 0 : Number(v)));

export const int = z
  .custom<string>((v) => v === "" || (typeof v === "string" && /^-?\d+$/.test(v)), { error: "is not a whole number" })
  .optional()
  .transform((v) => (v ? Number(v) : 0));

/** A primary id: digits, required. */
export const id = z.custom<string>((v) => typeof v === "string" && /^\d+$/.test(v) && v !== "0", { error: "is not a valid id" });

/** A foreign key: "0", "" or missing means none. */
export const fk = z
  .custom<string>((v) => v === "" || (typeof v === "string" && /^\d+$/.test(v)), { error: "is not a valid id" })
  .optional()
  .transform((v) => (v === undefined || v === "" || /^0+$/.test(v) ? null : v));

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseLsInstant(v: string): string | null {
  const m = ISO.exec(v);
  if (!m) return null;
  const [, , mo, d, h, mi, s] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return null;
  const t = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** A required instant → ISO UTC. */
export const instant = z.custom<string>((v) => typeof v === "string" && parseLsInstant(v) !== null, { error: "is not a date and time" }).transform((v) => parseLsInstant(v)!);

/** An optional instant: missing or "" → null. */
export const instantOpt = z
  .custom<string>((v) => v === "" || (typeof v === "string" && parseLsInstant(v) !== null), { error: "is not a date and time" })
  .optional()
  .transform((v) => (v ? parseLsInstant(v) : null));

/** Text: missing → "". Numbers are not silently accepted (Lightspeed sends strings). */
export const text = z
  .custom<string>((v) => typeof v === "string", { error: "is not text" })
  .optional()
  .transform((v) => v ?? "");

/** `{Element: one-or-many}` or "" → an array of parsed elements. */
export function toMany<T extends z.ZodType>(element: string, schema: T) {
  const inner = z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? {} : v),
    z.object({ [element]: z.preprocess((x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]), z.array(schema)) }, { error: "is not a list" }),
  );
  return inner.optional().transform((o) => ((o as Record<string, z.output<T>[]> | undefined)?.[element] ?? []) as z.output<T>[]);
}

/** A one-or-many list without a wrapper (e.g. attribute1Values): a string, an array or "" → string[]. */
export const stringList = z
  .custom<string | string[]>((v) => typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string")), { error: "is not a list of text" })
  .optional()
  .transform((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? (v as string[]) : [v as string]));

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
