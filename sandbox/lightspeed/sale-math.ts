import { cents2, d, decStr, line7, ZERO, type SDecimal } from "./format";
import type { SaleLineRec, SaleRec } from "./model";

/**
 * The line and header maths of a sale, in one place, used by the generator (to make payments balance), the
 * API renderer and the reports, so all three agree to the cent. See README "Money semantics".
 *
 * Tax-exclusive: unitPrice is net; calcTax1 = (calcSubtotal − discounts) × rate; calcTotal = net + tax.
 * Tax-inclusive: unitPrice is gross; calcTotal = gross after discounts; calcTax1 = calcTotal × rate / (1 + rate).
 * Line values are kept to 7 decimals; the header rounds the sums half-up to cents.
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

const ONE = d(1);

export function lineMath(line: SaleLineRec, isTaxInclusive: boolean, transactionDiscountPercent: string): LineMath {
  const subtotal = d(line.unitPrice).times(line.qty);
  const pct = d(line.discountPercent || "0");
  const sign = line.qty < 0 ? -1 : 1;
  const lineDiscount = pct.isZero() ? d(line.discountAmount || "0").times(sign) : subtotal.times(pct);
  const lineDiscount7 = d(line7(lineDiscount));
  const txPct = d(transactionDiscountPercent || "0");
  const txDiscount7 = d(line7(subtotal.minus(lineDiscount7).times(txPct)));
  const base = subtotal.minus(lineDiscount7).minus(txDiscount7);
  const rate = line.tax ? d(line.tax1Rate || "0") : ZERO;
  let tax7: SDecimal;
  let total7: SDecimal;
  if (isTaxInclusive) {
    total7 = d(line7(base));
    tax7 = d(line7(total7.times(rate).dividedBy(ONE.plus(rate))));
  } else {
    tax7 = d(line7(base.times(rate)));
    total7 = d(line7(base)).plus(tax7);
  }
  const net = isTaxInclusive ? total7.minus(tax7) : d(line7(base));
  return {
    calcSubtotal: line7(subtotal),
    calcLineDiscount: decStr(lineDiscount7),
    calcTransactionDiscount: decStr(txDiscount7),
    calcTax1: decStr(tax7),
    calcTotal: decStr(total7),
    net: decStr(net),
  };
}

export function saleMath(sale: SaleRec): SaleMath {
  const lines = sale.lines.map((l) => lineMath(l, sale.isTaxInclusive, sale.transactionDiscountPercent));
  let sub = ZERO;
  let disc = ZERO;
  let tax = ZERO;
  let total = ZERO;
  let taxable = ZERO;
  let nonTaxable = ZERO;
  let cost = ZERO;
  lines.forEach((m, i) => {
    const rec = sale.lines[i]!;
    sub = sub.plus(m.calcSubtotal);
    disc = disc.plus(m.calcLineDiscount).plus(m.calcTransactionDiscount);
    tax = tax.plus(m.calcTax1);
    total = total.plus(m.calcTotal);
    if (rec.tax && !d(rec.tax1Rate || "0").isZero()) taxable = taxable.plus(m.net);
    else nonTaxable = nonTaxable.plus(m.net);
    cost = cost.plus(d(rec.avgCost || "0").times(rec.qty));
  });
  let paid = ZERO;
  let tips = ZERO;
  for (const p of sale.payments) {
    if (p.archived) continue;
    paid = paid.plus(p.amount);
    tips = tips.plus(p.tipAmount || "0");
  }
  const total2 = cents2(total);
  const tax2 = cents2(tax);
  return {
    lines,
    header: {
      calcSubtotal: decStr(cents2(sub)),
      calcDiscount: decStr(cents2(disc)),
      calcTax1: decStr(tax2),
      calcTax2: "0",
      taxTotal: decStr(tax2),
      total: decStr(total2),
      calcTaxable: decStr(cents2(taxable)),
      calcNonTaxable: decStr(cents2(nonTaxable)),
      calcPayments: decStr(cents2(paid)),
      calcTips: decStr(cents2(tips)),
      balance: decStr(cents2(total2.plus(tips).minus(paid))),
      calcAvgCost: decStr(cents2(cost)),
    },
  };
}

/** Header total only (cheap path for generators and reports). */
export function saleTotal(sale: SaleRec): SDecimal {
  let total = ZERO;
  for (const l of sale.lines) total = total.plus(lineMath(l, sale.isTaxInclusive, sale.transactionDiscountPercent).calcTotal);
  return cents2(total);
}
