import type { SaleLineRec, SaleRec } from "./model";

/**
 * The line and header maths of a sale, in one place, used by the generator (to make payments balance), the
 * API renderer and the reports, so all three agree to the cent. See README "Money semantics".
 *
 * Tax-exclusive: unitPrice is net; calcTax1 = (calcSubtotal − discounts) × rate; calcTotal = net + tax.
 * Tax-inclusive: unitPrice is gross; calcTotal = gross after discounts; calcTax1 = calcTotal × rate / (1 + rate).
 * Line values are kept to 7 decimals (rounded half away from zero); the header rounds the sums to cents.
 *
 * Exact integer arithmetic in units of 10⁻⁷ € (the API's precision), with rates and percentages as integer
 * fractions: this runs for every sale the sandbox serves, and it must be both exact and fast. BigInt keeps it
 * exact for any amount (absurd ones included).
 */
export interface LineMath {
  calcSubtotal: string;
  calcLineDiscount: string;
  calcTransactionDiscount: string;
  calcTax1: string;
  calcTotal: string;
  /** Net amount after discounts (exclusive of tax), 7 decimals. */
  net: string;
}

export interface HeaderMath {
  calcSubtotal: string;
  calcDiscount: string;
  calcTax1: string;
  calcTax2: string;
  taxTotal: string;
  total: string;
  calcTaxable: string;
  calcNonTaxable: string;
  calcPayments: string;
  calcTips: string;
  balance: string;
  calcAvgCost: string;
}

export interface SaleMath {
  lines: LineMath[];
  header: HeaderMath;
}

const SCALE = 7;
const U = 10n ** BigInt(SCALE);
const CENT = 10n ** BigInt(SCALE - 2);

/** A decimal string as an integer fraction num / 10^k. */
function fraction(s: string): { num: bigint; den: bigint } {
  const t = s.trim();
  const neg = t.startsWith("-");
  const body = neg || t.startsWith("+") ? t.slice(1) : t;
  const [i = "0", f = ""] = body.split(".");
  const num = BigInt(`${i || "0"}${f}`);
  return { num: neg ? -num : num, den: 10n ** BigInt(f.length) };
}

/** A decimal string in 10⁻⁷ units (inputs have at most 7 decimals; more are rounded half-up). */
export function units(s: string): bigint {
  const { num, den } = fraction(s || "0");
  return divRound(num * U, den);
}

/** a / b rounded half away from zero (decimal.js ROUND_HALF_UP). */
function divRound(a: bigint, b: bigint): bigint {
  const neg = a < 0n !== b < 0n;
  const x = a < 0n ? -a : a;
  const y = b < 0n ? -b : b;
  let q = x / y;
  if ((x % y) * 2n >= y) q += 1n;
  return neg ? -q : q;
}

/** 10⁻⁷ units → "11.4860025", no trailing zeros, "-0" → "0". */
export function formatUnits(v: bigint, scale = SCALE): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const unit = 10n ** BigInt(scale);
  const int = abs / unit;
  const frac = (abs % unit).toString().padStart(scale, "0").replace(/0+$/, "");
  const out = frac ? `${int}.${frac}` : `${int}`;
  return neg && out !== "0" ? `-${out}` : out;
}

/** Units rounded half-up to cents, printed without trailing zeros ("34.5"). */
function cents(v: bigint): string {
  return formatUnits(divRound(v, CENT), 2);
}

interface LineUnits {
  subtotal: bigint;
  lineDiscount: bigint;
  txDiscount: bigint;
  tax: bigint;
  total: bigint;
  net: bigint;
}

function lineUnits(line: SaleLineRec, isTaxInclusive: boolean, transactionDiscountPercent: string): LineUnits {
  const subtotal = units(line.unitPrice) * BigInt(line.qty);
  const pct = fraction(line.discountPercent || "0");
  const lineDiscount = pct.num === 0n ? units(line.discountAmount || "0") * (line.qty < 0 ? -1n : 1n) : divRound(subtotal * pct.num, pct.den);
  const tx = fraction(transactionDiscountPercent || "0");
  const txDiscount = tx.num === 0n ? 0n : divRound((subtotal - lineDiscount) * tx.num, tx.den);
  const base = subtotal - lineDiscount - txDiscount;
  const rate = line.tax ? fraction(line.tax1Rate || "0") : { num: 0n, den: 1n };
  if (isTaxInclusive) {
    // total × r / (1 + r) with r = num/den  →  total × num / (den + num)
    const tax = rate.num === 0n ? 0n : divRound(base * rate.num, rate.den + rate.num);
    return { subtotal, lineDiscount, txDiscount, tax, total: base, net: base - tax };
  }
  const tax = rate.num === 0n ? 0n : divRound(base * rate.num, rate.den);
  return { subtotal, lineDiscount, txDiscount, tax, total: base + tax, net: base };
}

function lineStrings(u: LineUnits): LineMath {
  return {
    calcSubtotal: formatUnits(u.subtotal),
    calcLineDiscount: formatUnits(u.lineDiscount),
    calcTransactionDiscount: formatUnits(u.txDiscount),
    calcTax1: formatUnits(u.tax),
    calcTotal: formatUnits(u.total),
    net: formatUnits(u.net),
  };
}

export function lineMath(line: SaleLineRec, isTaxInclusive: boolean, transactionDiscountPercent: string): LineMath {
  return lineStrings(lineUnits(line, isTaxInclusive, transactionDiscountPercent));
}

export function saleMath(sale: SaleRec): SaleMath {
  let sub = 0n;
  let disc = 0n;
  let tax = 0n;
  let total = 0n;
  let taxable = 0n;
  let nonTaxable = 0n;
  let cost = 0n;
  const lines = sale.lines.map((rec) => {
    const u = lineUnits(rec, sale.isTaxInclusive, sale.transactionDiscountPercent);
    sub += u.subtotal;
    disc += u.lineDiscount + u.txDiscount;
    tax += u.tax;
    total += u.total;
    if (rec.tax && fraction(rec.tax1Rate || "0").num !== 0n) taxable += u.net;
    else nonTaxable += u.net;
    cost += units(rec.avgCost || "0") * BigInt(rec.qty);
    return lineStrings(u);
  });
  let paid = 0n;
  let tips = 0n;
  for (const p of sale.payments) {
    if (p.archived) continue;
    paid += units(p.amount);
    tips += units(p.tipAmount || "0");
  }
  const total2 = divRound(total, CENT) * CENT;
  const tax2 = cents(tax);
  return {
    lines,
    header: {
      calcSubtotal: cents(sub),
      calcDiscount: cents(disc),
      calcTax1: tax2,
      calcTax2: "0",
      taxTotal: tax2,
      total: cents(total),
      calcTaxable: cents(taxable),
      calcNonTaxable: cents(nonTaxable),
      calcPayments: cents(paid),
      calcTips: cents(tips),
      balance: cents(total2 + tips - paid),
      calcAvgCost: cents(cost),
    },
  };
}

/** Header total only, as a decimal string rounded to cents. */
export function saleTotal(sale: SaleRec): string {
  let total = 0n;
  for (const l of sale.lines) total += lineUnits(l, sale.isTaxInclusive, sale.transactionDiscountPercent).total;
  return cents(total);
}
