/**
 * Default accounts per chart of accounts, offered in the setup wizard and used until the merchant changes them.
 * Numbers from DATEV SKR03/SKR04 as BuchhaltungsButler uses them; the wizard tells the merchant to confirm
 * them with their tax advisor.
 */
export type Chart = "SKR03" | "SKR04";
export type VatCode = "19_vat" | "7_vat" | "0_none";

export interface ChartDefaults {
  cash: number;
  bank: number;
  /** A payment account of type "other" for card takings (never the cash account: GoBD). */
  cardClearing: number;
  moneyInTransit: number;
  revenue: Record<VatCode, number>;
  /** Rounding differences between Lightspeed's line values and its rounded sale total: a tax-free revenue account. */
  rounding: number;
  /**
   * Lines Lightspeed sells as not taxable (`tax=false`: stamps at face value, lottery tickets, §4 Nr. 8 ff. UStG).
   * BB has no VAT code for exempt sales besides "keine USt." (`0_none`); what puts them in Kennzahl 48 of the VAT
   * return (steuerfreie Umsätze ohne Vorsteuerabzug) is the account, so they need their own account, never the
   * rounding account whose "Erlöse" carry no Kennzahl.
   */
  taxFree: number;
  /** Multi-purpose vouchers sold: a liability until redeemed. */
  giftCardLiability: number;
  /**
   * Advance payments received (erhaltene Anzahlungen) per VAT code: a layaway or special-order instalment is
   * taxed when received (§13 (1) Nr. 1a S. 4 UStG), so the taxed ones sit on the "versteuerte Anzahlungen"
   * automatic accounts until the sale completes.
   */
  advancePayments: Record<VatCode, number>;
  /** Card tips handed on to staff: passed through, not revenue. */
  tips: number;
  collectiveDebtor: number;
  stock: number;
  stockChange: number;
  /** First number for accounts created per category under the revenue parents. */
  categoryAccountRange: { from: number; to: number };
}

export const CHART_DEFAULTS: Record<Chart, ChartDefaults> = {
  SKR03: {
    cash: 1000,
    bank: 1200,
    cardClearing: 1792,
    moneyInTransit: 1360,
    revenue: { "19_vat": 8400, "7_vat": 8300, "0_none": 8200 },
    rounding: 8200,
    taxFree: 8100,
    giftCardLiability: 1796,
    advancePayments: { "19_vat": 1718, "7_vat": 1711, "0_none": 1710 },
    tips: 1590,
    collectiveDebtor: 10000,
    stock: 3980,
    stockChange: 3960,
    categoryAccountRange: { from: 8401, to: 8499 },
  },
  SKR04: {
    cash: 1600,
    bank: 1800,
    cardClearing: 3630,
    moneyInTransit: 1460,
    revenue: { "19_vat": 4400, "7_vat": 4300, "0_none": 4200 },
    rounding: 4200,
    taxFree: 4100,
    giftCardLiability: 3786,
    advancePayments: { "19_vat": 3272, "7_vat": 3260, "0_none": 3250 },
    tips: 1370,
    collectiveDebtor: 10000,
    stock: 1140,
    stockChange: 5880,
    categoryAccountRange: { from: 4401, to: 4499 },
  },
};

/** The VAT code for a Lightspeed tax rate given as a fraction ("0.19"). Null for a rate we cannot book. */
export function vatCodeForRate(rate: string): VatCode | null {
  const percent = Math.round(Number(rate) * 10000) / 100;
  if (percent === 19) return "19_vat";
  if (percent === 7) return "7_vat";
  if (percent === 0) return "0_none";
  return null;
}
