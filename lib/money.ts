import Decimal from "decimal.js";

/**
 * Money is an integer number of euro cents everywhere inside the app. Lightspeed sends up to 7 decimals as
 * strings; those are parsed with a decimal library and rounded exactly once, half away from zero (kaufmännisch).
 */
export type Cents = number & { readonly __brand: "Cents" };

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export function cents(n: number): Cents {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of cents: ${n}`);
  return n as Cents;
}

/** Exact decimal from an API string ("11.4860025"). Throws on anything that is not a plain decimal number. */
export function decimal(value: string | number): Decimal {
  const s = typeof value === "number" ? String(value) : value.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(s)) throw new RangeError(`not a decimal number: "${value}"`);
  return new D(s);
}

/** Euros as a decimal (any precision) → cents, rounded half away from zero. */
export function toCents(euros: Decimal | string | number): Cents {
  const d = euros instanceof Decimal ? new D(euros) : decimal(euros);
  return cents(d.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber());
}

/** Cents → the wire format BuchhaltungsButler and most APIs expect: "123.45", "-0.50". */
export function formatAmount(c: Cents): string {
  const neg = c < 0;
  const abs = Math.abs(c);
  return `${neg ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Cents → a JSON number with two decimals (BB writes amounts as numbers). Exact for any realistic amount. */
export function toEuroNumber(c: Cents): number {
  return Number(formatAmount(c));
}

export function addCents(...values: Cents[]): Cents {
  return cents(values.reduce<number>((a, b) => a + b, 0));
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const v of values) total += v;
  return cents(total);
}

export function negate(c: Cents): Cents {
  return cents(-c);
}

/**
 * Split `total` over `weights` so the parts sum to `total` exactly (largest remainder method).
 * Used when a header total must be distributed over lines whose own rounding disagrees with it.
 */
export function allocate(total: Cents, weights: Decimal[]): Cents[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a.plus(b), new D(0));
  if (sum.isZero()) {
    const parts = weights.map(() => 0);
    parts[0] = total;
    return parts.map(cents);
  }
  const raw = weights.map((w) => new D(total).times(w).dividedBy(sum));
  const floors = raw.map((r) => r.toDecimalPlaces(0, Decimal.ROUND_DOWN));
  let remainder = total - floors.reduce((a, b) => a + b.toNumber(), 0);
  const order = raw
    .map((r, i) => ({ i, frac: r.minus(floors[i]!).abs() }))
    .sort((a, b) => b.frac.comparedTo(a.frac) || a.i - b.i);
  const result = floors.map((f) => f.toNumber());
  const step = remainder >= 0 ? 1 : -1;
  for (let k = 0; remainder !== 0; k = (k + 1) % order.length) {
    result[order[k]!.i]! += step;
    remainder -= step;
  }
  return result.map(cents);
}

export { D as Decimal };
