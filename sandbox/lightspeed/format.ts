import Decimal from "decimal.js";

/**
 * How Lightspeed writes values: every scalar is a string, decimals without trailing zeros and never in
 * exponent notation ("11.4860025", "20", "-3.5"), instants as `2024-12-04T19:53:35+00:00` (seconds, UTC).
 */
export const SD = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type SDecimal = InstanceType<typeof SD>;

export const ZERO = new SD(0);

export function d(value: string | number | SDecimal): SDecimal {
  return new SD(value);
}

/** A decimal as Lightspeed prints it: no trailing zeros, no exponent, "-0" → "0". */
export function decStr(value: SDecimal): string {
  const s = value.toFixed();
  return s === "-0" ? "0" : s;
}

/** Rounded to 7 places (line values), printed without trailing zeros. */
export function line7(value: SDecimal): string {
  return decStr(value.toDecimalPlaces(7, Decimal.ROUND_HALF_UP));
}

/** Rounded half-up to cents (header values), printed without trailing zeros ("34.5"). */
export function cents2(value: SDecimal): SDecimal {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Report amounts are printed with exactly two decimals ("565.00"). */
export function fixed2(value: SDecimal): string {
  const s = cents2(value).toFixed(2);
  return s === "-0.00" ? "0.00" : s;
}

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

export function isoOrEmpty(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "" : isoSeconds(ms);
}

export const bool = (b: boolean): string => (b ? "true" : "false");
export const fk = (id: number | null | undefined): string => (id ? String(id) : "0");

/** PHP-style `urlencode` (what `http_build_query` uses): only A-Z a-z 0-9 - _ . stay, space becomes "+". */
export function phpUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}
