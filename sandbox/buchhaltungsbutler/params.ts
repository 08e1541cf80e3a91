/**
 * Parameter parsing the way a PHP API sees a body: JSON values or form strings. Each helper returns
 * `undefined` when the parameter is absent and throws the endpoint's own error when it is present but
 * invalid, so handlers read like the spec's parameter list.
 */
export class SbError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export type Body = Record<string, unknown>;

export const fail = (code: number, message: string, status = 400): never => {
  throw new SbError(status, code, message);
};

export function present(body: Body, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(body, key) && body[key] !== undefined && body[key] !== null;
}

/** A string parameter; empty strings are rejected unless `allowEmpty`. */
export function str(body: Body, key: string, err: [number, string], opts: { max?: number; min?: number; allowEmpty?: boolean } = {}): string | undefined {
  if (!present(body, key)) return undefined;
  const v = body[key];
  if (typeof v !== "string") return fail(err[0], err[1]);
  if (v.trim() === "" && !opts.allowEmpty) return fail(err[0], err[1]);
  if (opts.max !== undefined && [...v].length > opts.max) return fail(err[0], err[1]);
  if (opts.min !== undefined && [...v].length < opts.min) return fail(err[0], err[1]);
  return v;
}

/** Integers arrive as JSON numbers or, form-encoded, as digit strings. */
export function parseIntLike(v: unknown): number | null {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && /^-?\d{1,15}$/.test(v.trim())) return Number(v.trim());
  return null;
}

export function int(body: Body, key: string, err: [number, string], opts: { min?: number } = {}): number | undefined {
  if (!present(body, key)) return undefined;
  const n = parseIntLike(body[key]);
  if (n === null || (opts.min !== undefined && n < opts.min)) return fail(err[0], err[1]);
  return n;
}

/** A JSON number or numeric string with at most two decimals → cents. */
export function parseAmount(v: unknown): number | null {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return null;
    const c = Math.round(v * 100);
    return Math.abs(v * 100 - c) < 1e-6 && Number.isSafeInteger(c) ? c : null;
  }
  if (typeof v === "string" && /^-?\d{1,12}(\.\d{1,2})?$/.test(v.trim())) {
    const s = v.trim();
    const neg = s.startsWith("-");
    const [whole, frac = ""] = s.replace("-", "").split(".");
    const c = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
    return neg ? -c : c;
  }
  return null;
}

/** Posting amounts: the reference's "0000.00" string format (exactly two decimals); numbers only when lenient. */
export function parsePostingAmount(v: unknown, stringsOnly: boolean): number | null {
  if (typeof v === "string") return /^-?\d{1,12}\.\d{2}$/.test(v) ? parseAmount(v) : null;
  if (stringsOnly) return null;
  return parseAmount(v);
}

export function amount(body: Body, key: string, err: [number, string], opts: { nonZero?: boolean } = {}): number | undefined {
  if (!present(body, key)) return undefined;
  const c = parseAmount(body[key]);
  if (c === null || (opts.nonZero && c === 0)) return fail(err[0], err[1]);
  return c;
}

export function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function isDateTime(s: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (!m || !isDate(m[1]!)) return false;
  return Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60;
}

export function date(body: Body, key: string, err: [number, string]): string | undefined {
  if (!present(body, key)) return undefined;
  const v = body[key];
  if (typeof v !== "string" || !isDate(v)) return fail(err[0], err[1]);
  return v;
}

export function dateTime(body: Body, key: string, err: [number, string]): string | undefined {
  if (!present(body, key)) return undefined;
  const v = body[key];
  if (typeof v !== "string" || !isDateTime(v)) return fail(err[0], err[1]);
  return v;
}

/** "YYYY-MM-DD HH:MM:SS" or a date alone, which means the end of that day. */
export function dateOrDateTime(body: Body, key: string, err: [number, string]): string | undefined {
  if (!present(body, key)) return undefined;
  const v = body[key];
  if (typeof v === "string" && isDate(v)) return `${v} 23:59:59`;
  if (typeof v === "string" && isDateTime(v)) return v;
  return fail(err[0], err[1]);
}

export function bool(body: Body, key: string, err: [number, string]): boolean | undefined {
  if (!present(body, key)) return undefined;
  const v = body[key];
  if (v === true || v === 1 || v === "true" || v === "1") return true;
  if (v === false || v === 0 || v === "false" || v === "0") return false;
  return fail(err[0], err[1]);
}

/** Arrays arrive as JSON arrays or, form-encoded, as objects keyed "0", "1", … */
export function asArray(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.every(([k]) => /^\d+$/.test(k))) return entries.sort((x, y) => Number(x[0]) - Number(y[0])).map(([, val]) => val);
  }
  return null;
}

export function isObject(v: unknown): v is Body {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Paging: `limit` 1..max (above max is an error, not a cap, where the spec has an error code for it). */
export function paging(body: Body, def: number, max: number, limitErr: [number, string], offsetErr: [number, string]): { limit: number; offset: number } {
  const limit = int(body, "limit", limitErr) ?? def;
  if (limit < 1 || limit > max) fail(limitErr[0], limitErr[1]);
  const offset = int(body, "offset", offsetErr) ?? 0;
  if (offset < 0) fail(offsetErr[0], offsetErr[1]);
  return { limit, offset };
}

export const money = (c: number): string => {
  const neg = c < 0;
  const abs = Math.abs(c);
  return `${neg ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
};
