import Decimal from "decimal.js";
import { AppError } from "../../errors/app-error";
import type { LsSale, LsSalePayment } from "../../lightspeed/domain";
import { vatCodeForRate, type VatCode } from "../../mapping/chart-defaults";
import type { OrderMappings } from "../../mapping/order-mappings";
import { decimal, toCents, type Cents } from "../../money";
import { saleBookingTime, saleBusinessDate } from "./sale-references";

/**
 * One sale reduced to what accounting needs: exact gross per (revenue account × VAT code), the rounded sale
 * total, and its money movements classified by the payment-type mapping. Summaries of several sales merge
 * (daily-summary mode), so every amount here is additive.
 */
export interface RevenueGroup {
  account: number;
  vat: VatCode;
  /** Exact, unrounded (Lightspeed line values carry up to 7 decimals). */
  gross: string;
}

export interface TenderMovement {
  paymentTypeId: string;
  paymentTypeName: string;
  account: number;
  /** Amount without the tip. */
  base: Cents;
  tip: Cents;
  /**
   * Set when the money came in on an earlier business day than the sale was completed (a layaway, special-order
   * or work-order instalment): an advance payment (Anzahlung), booked on its own day (see plan-deposits.ts).
   */
  deposit?: Deposit;
}

export interface Deposit {
  salePaymentId: string;
  /** Business date the payment was taken, YYYY-MM-DD. */
  date: string;
  /** Local time of day for the cash book, "HH:MM:SS". */
  time: string;
  /**
   * Already booked while the sale was open (under the sale's link), with this split over the VAT codes: a daily
   * summary then only clears it, with exactly the amounts that went onto the advance-payment accounts.
   */
  booked?: { vat: VatCode; amount: Cents }[];
}

export interface SaleSummary {
  saleIds: string[];
  /** Header totals, rounded by Lightspeed, summed: the truth for the receipt amount. */
  total: Cents;
  revenue: RevenueGroup[];
  tenders: TenderMovement[];
  /** Positive: paid with a gift card (liability decreases). Negative: a gift card was bought. */
  giftCard: Cents;
  /** Positive: charged to the customer's account (open item). Negative: paid into the account. */
  onAccount: Cents;
  byPaymentType: Record<string, Cents>;
}

const key = (g: { account: number; vat: VatCode }) => `${g.account}|${g.vat}`;

function describe(sale: LsSale): string {
  return `sale ${sale.ticketNumber || sale.saleId}`;
}

/** Tax rate of a taxed line as a percent key ("19"). */
function lineRateKey(sale: LsSale, line: LsSale["lines"][number]): { rate: string; vat: VatCode } {
  const tax2 = decimal(line.tax2Rate || "0");
  if (!tax2.isZero()) {
    throw new AppError("RECORD_INVALID", {
      detail: `${describe(sale)}, line ${line.saleLineId}: a second tax (${tax2.times(100).toString()} %) is not used in Germany and cannot be booked`,
      fixHint: "Check the tax category of this shop in Lightspeed.",
    });
  }
  const vat = vatCodeForRate(line.tax1Rate || "0");
  const percent = decimal(line.tax1Rate || "0").times(100).toDecimalPlaces(2).toString();
  if (!vat) {
    throw new AppError("MAPPING_MISSING", {
      detail: `${describe(sale)}, line ${line.saleLineId}: VAT rate ${percent} % cannot be booked (BuchhaltungsButler takes 19 %, 7 % or 0 %)`,
      fixHint: "Correct the tax class of this item in Lightspeed, or book this sale manually.",
    });
  }
  return { rate: percent.replace(/\.0+$/, ""), vat };
}

type Groups = Map<string, { account: number; vat: VatCode; gross: Decimal }>;

function addToGroup(groups: Groups, g: { account: number; vat: VatCode }, gross: Decimal) {
  const existing = groups.get(key(g));
  if (existing) existing.gross = existing.gross.plus(gross);
  else groups.set(key(g), { ...g, gross });
}

/**
 * A line Lightspeed sells as not taxable goes to the tax-free revenue account with "keine USt.": BB has no other
 * code for an exempt sale, and the account is what files it under Kennzahl 48. Category accounts are left out on
 * purpose: they are created under the taxed revenue parents and would file the line as a taxed sale.
 */
function addTaxFreeLine(groups: Groups, sale: LsSale, mappings: OrderMappings, gross: Decimal) {
  if (!mappings.taxFree) {
    throw new AppError("MAPPING_MISSING", {
      detail: `${describe(sale)} has a line sold as not taxable, and no revenue account for tax-free lines is mapped`,
      fixHint: "Choose the account for tax-free lines under Mappings → Tax.",
    });
  }
  addToGroup(groups, { account: mappings.taxFree.account, vat: "0_none" }, gross);
}

/**
 * A single-purpose voucher (§3 (14) UStG) is taxed when it is sold: selling it is the supply itself, so its value
 * becomes revenue at the voucher's rate, and goods it pays for later are not revenue a second time.
 * `movement` is the sale's gift-card payments: negative = a voucher was sold (or a refund paid out onto one),
 * positive = a voucher paid for goods.
 *
 * A redemption takes its value off the goods revenue of the voucher's rate (sorted by account, so the result does
 * not depend on line order); goods it fully pays for leave no receipt at all. A voucher sold on a sale that also
 * returns goods of its rate first offsets that refund (the refunded money stayed in the shop as a voucher, so
 * the revenue stays), the rest is revenue on the voucher's account.
 */
function bookSinglePurposeVoucher(groups: Groups, sale: LsSale, voucher: { account: number; vat: VatCode }, movement: Cents) {
  const sameRate = [...groups.values()].filter((g) => g.vat === voucher.vat).sort((a, b) => a.account - b.account);
  let rest = decimal(Math.abs(movement)).dividedBy(100);
  if (movement < 0) {
    for (const g of sameRate.filter((x) => x.gross.isNegative())) {
      const take = Decimal.min(rest, g.gross.negated());
      g.gross = g.gross.plus(take);
      rest = rest.minus(take);
    }
    if (rest.isPositive() && !rest.isZero()) addToGroup(groups, voucher, rest);
    return;
  }
  const goods = sameRate.filter((x) => x.gross.isPositive() && !x.gross.isZero());
  for (const g of goods) {
    const take = Decimal.min(rest, g.gross);
    g.gross = g.gross.minus(take);
    rest = rest.minus(take);
  }
  if (rest.isZero()) return;
  // Lightspeed rounds the sale total, not the lines: a redemption of the whole total may exceed the exact goods
  // value by that rounding, and no more.
  const exactLines = sale.lines.reduce((a, l) => a.plus(decimal(l.calcTotal)), decimal(0));
  const roundingSlack = decimal(sale.total).minus(exactLines).abs();
  const last = goods.at(-1);
  if (last && rest.lessThanOrEqualTo(roundingSlack)) {
    last.gross = last.gross.minus(rest);
    return;
  }
  throw new AppError("RECORD_INVALID", {
    detail: `${describe(sale)}: a single-purpose voucher (VAT ${voucher.vat === "19_vat" ? "19" : "7"} %) paid ${rest.toFixed(2)} € more than the goods at that rate; a voucher that buys goods at another rate is multi-purpose (§3 (15) UStG)`,
    fixHint: "If your vouchers can buy goods at more than one VAT rate, set gift cards to multi-purpose under Mappings → Gift cards; otherwise book this sale manually.",
  });
}

function activePayments(sale: LsSale): LsSalePayment[] {
  return sale.payments.filter((p) => !p.archived && !decimal(p.amount).isZero());
}

export interface SummarizeOptions {
  categoryOf?: (itemId: string) => string | null;
  useCategoryAccounts?: boolean;
  /** The shop's business day: with it, payments taken on an earlier day than the completion are deposits. */
  businessDay?: { timeZone: string; cutoffHour: number };
}

export function summarizeSale(sale: LsSale, mappings: OrderMappings, options: SummarizeOptions = {}): SaleSummary {
  const groups: Groups = new Map();
  for (const line of sale.lines) {
    const gross = decimal(line.calcTotal);
    if (!line.tax) {
      addTaxFreeLine(groups, sale, mappings, gross);
      continue;
    }
    const { rate, vat } = lineRateKey(sale, line);
    const taxTarget = mappings.taxRates.get(rate);
    if (!taxTarget) {
      throw new AppError("MAPPING_MISSING", {
        detail: `VAT rate ${rate} % has no revenue account (${describe(sale)})`,
        fixHint: `Map VAT rate ${rate} % to a revenue account under Mappings → Tax.`,
      });
    }
    if (taxTarget.vat !== vat) {
      // A 19 % line booked with a 7 % code would file the wrong VAT: never guess, make the merchant fix it.
      throw new AppError("MAPPING_MISSING", {
        detail: `VAT rate ${rate} % is mapped with VAT code ${taxTarget.vat}, which does not match the rate (${describe(sale)})`,
        fixHint: `Correct the mapping of VAT rate ${rate} % under Mappings → Tax.`,
      });
    }
    let account = taxTarget.account;
    if (options.useCategoryAccounts && line.itemId && options.categoryOf) {
      const categoryId = options.categoryOf(line.itemId);
      // Category accounts exist per VAT rate (created under the 19 % / 7 % revenue parents): key "categoryID|rate".
      const categoryAccount = categoryId ? mappings.categories.get(`${categoryId}|${rate}`) : undefined;
      // A category account only replaces the account; the VAT code still comes from the line's rate.
      if (categoryAccount) account = categoryAccount.account;
    }
    addToGroup(groups, { account, vat: taxTarget.vat }, gross);
  }

  const tenders: TenderMovement[] = [];
  let giftCard = 0;
  let onAccount = 0;
  const byPaymentType: Record<string, Cents> = {};
  for (const p of activePayments(sale)) {
    const target = mappings.paymentTypes.get(p.paymentTypeId);
    const name = p.paymentType?.name ?? `#${p.paymentTypeId}`;
    if (!target) {
      throw new AppError("MAPPING_MISSING", {
        detail: `payment type "${name}" (id ${p.paymentTypeId}) is not mapped (${describe(sale)})`,
        fixHint: `Map the payment type "${name}" to a BuchhaltungsButler payment account under Mappings → Payment types, then retry this sale.`,
        context: { paymentTypeId: p.paymentTypeId },
      });
    }
    const amount = toCents(p.amount);
    const tip = toCents(p.tipAmount || "0");
    byPaymentType[p.paymentTypeId] = ((byPaymentType[p.paymentTypeId] ?? 0) + amount) as Cents;
    switch (target.kind) {
      case "tender": {
        const deposit = options.businessDay ? depositOf(sale, p, options.businessDay) : undefined;
        tenders.push({ paymentTypeId: p.paymentTypeId, paymentTypeName: name, account: target.account, base: (amount - tip) as Cents, tip, ...(deposit ? { deposit } : {}) });
        break;
      }
      case "gift_card":
        if (tip !== 0) throw new AppError("RECORD_INVALID", { detail: `${describe(sale)}: a tip on a gift-card payment cannot be booked` });
        giftCard += amount;
        break;
      case "on_account":
        if (tip !== 0) throw new AppError("RECORD_INVALID", { detail: `${describe(sale)}: a tip on an on-account payment cannot be booked` });
        onAccount += amount;
        break;
      case "ignore":
        throw new AppError("MAPPING_MISSING", {
          detail: `payment type "${name}" is set to "not booked", but ${describe(sale)} has a payment of ${p.amount} with it`,
          fixHint: `Map "${name}" to a payment account under Mappings → Payment types.`,
        });
    }
  }

  let total: number = toCents(sale.total);
  if (mappings.giftCardKind.kind === "single_purpose" && giftCard !== 0) {
    bookSinglePurposeVoucher(groups, sale, mappings.giftCardKind, giftCard as Cents);
    // The receipt is what is owed for revenue: a voucher sold is owed on top of the goods, one redeemed is not owed.
    total -= giftCard;
    giftCard = 0;
  }

  return {
    saleIds: [sale.saleId],
    total: total as Cents,
    revenue: [...groups.values()].map((g) => ({ account: g.account, vat: g.vat, gross: g.gross.toString() })),
    tenders,
    giftCard: giftCard as Cents,
    onAccount: onAccount as Cents,
    byPaymentType,
  };
}

/**
 * A payment received before the sale's business day (money in before the goods went out) is a deposit; on a
 * sale still open (a layaway, special order or work order being paid off) every payment is.
 */
function depositOf(sale: LsSale, p: LsSalePayment, day: { timeZone: string; cutoffHour: number }): Deposit | undefined {
  if (!p.createTime || toCents(p.amount) <= 0) return undefined;
  const paid = { completeTime: p.createTime, timeStamp: p.createTime };
  const date = saleBusinessDate(paid, day.timeZone, day.cutoffHour);
  if (sale.completed && date >= saleBusinessDate(sale, day.timeZone, day.cutoffHour)) return undefined;
  return { salePaymentId: p.salePaymentId, date, time: saleBookingTime(paid, day.timeZone, day.cutoffHour) };
}

/** Sums summaries (daily-summary mode): revenue per group stays exact until the one rounding at the end. */
export function mergeSummaries(summaries: SaleSummary[]): SaleSummary {
  const groups = new Map<string, { account: number; vat: VatCode; gross: Decimal }>();
  const byPaymentType: Record<string, Cents> = {};
  let total = 0;
  let giftCard = 0;
  let onAccount = 0;
  const tenders: TenderMovement[] = [];
  for (const s of summaries) {
    total += s.total;
    giftCard += s.giftCard;
    onAccount += s.onAccount;
    for (const g of s.revenue) {
      const existing = groups.get(key(g));
      if (existing) existing.gross = existing.gross.plus(decimal(g.gross));
      else groups.set(key(g), { account: g.account, vat: g.vat, gross: decimal(g.gross) });
    }
    for (const [id, amount] of Object.entries(s.byPaymentType)) byPaymentType[id] = ((byPaymentType[id] ?? 0) + amount) as Cents;
    tenders.push(...s.tenders);
  }
  return {
    saleIds: summaries.flatMap((s) => s.saleIds),
    total: total as Cents,
    revenue: [...groups.values()].map((g) => ({ account: g.account, vat: g.vat, gross: g.gross.toString() })),
    tenders,
    giftCard: giftCard as Cents,
    onAccount: onAccount as Cents,
    byPaymentType,
  };
}

/** The summary with every amount negated: a day's correction is merge(new, negate(posted)). */
export function negateSummary(s: SaleSummary): SaleSummary {
  return {
    saleIds: [],
    total: -s.total as Cents,
    revenue: s.revenue.map((g) => ({ ...g, gross: decimal(g.gross).negated().toString() })),
    tenders: s.tenders.map((t) => ({ ...t, base: -t.base as Cents, tip: -t.tip as Cents })),
    giftCard: -s.giftCard as Cents,
    onAccount: -s.onAccount as Cents,
    byPaymentType: Object.fromEntries(Object.entries(s.byPaymentType).map(([k, v]) => [k, -v as Cents])),
  };
}

/** True when a summary moves no money and no revenue (nothing to correct). */
export function isEmptySummary(s: SaleSummary): boolean {
  const tenders = new Map<string, number>();
  for (const t of s.tenders) tenders.set(`${t.paymentTypeId}|${t.account}`, (tenders.get(`${t.paymentTypeId}|${t.account}`) ?? 0) + t.base + t.tip);
  return s.total === 0 && s.giftCard === 0 && s.onAccount === 0 && s.revenue.every((g) => decimal(g.gross).isZero()) && [...tenders.values()].every((v) => v === 0);
}
