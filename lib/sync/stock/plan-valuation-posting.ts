/**
 * The inventory valuation posting for one period (Bestandsveränderung), as a pure decision:
 *
 *   required = value at period end − value at the previous valuation
 *   diff     = required − what was already posted for this period
 *
 * One free posting for `diff`: an increase debits the stock account and credits the stock-change account, a
 * decrease the other way round. A correction of a period therefore posts only the difference, and the stock
 * account's balance always equals the latest valuation (plus the opening balance the books already had).
 */
export interface ValuationAccounts {
  /** Bestand Waren (SKR03 3980 / SKR04 1140). */
  stock: number;
  /** Bestandsveränderungen (SKR03 3960 / SKR04 5880). */
  stockChange: number;
}

export interface PlannedValuationPosting {
  /** Signed change in cents (+ increase, − decrease). */
  signedCents: number;
  /** What BB gets: always positive. */
  amountCents: number;
  debitAccount: number;
  creditAccount: number;
  text: string;
  date: string;
}

export interface ValuationPlan {
  /** What the period's postings must add up to. */
  requiredCents: number;
  diffCents: number;
  /** "baseline": the first valuation only records the value. */
  status: "baseline" | "unchanged" | "post";
  posting: PlannedValuationPosting | null;
}

/** BB posting texts: unique per period and sequence so a read-back finds exactly this posting. */
export function valuationText(period: string, seq: number): string {
  return seq === 1 ? `Bestandsveränderung ${period} (Butlerbridge)` : `Bestandsveränderung ${period} Korrektur ${seq - 1} (Butlerbridge)`;
}

export function planValuationPosting(input: {
  period: string;
  /** YYYY-MM-DD: the period's last day. */
  date: string;
  valueCents: number;
  /** Null: this is the first valuation. */
  previousValueCents: number | null;
  postedCents: number;
  firstValuation: "baseline" | "post_full_value";
  accounts: ValuationAccounts;
  /** 1 for the period's first posting, 2… for corrections. */
  seq: number;
}): ValuationPlan {
  const first = input.previousValueCents === null;
  if (first && input.firstValuation === "baseline" && input.postedCents === 0) {
    return { requiredCents: 0, diffCents: 0, status: "baseline", posting: null };
  }
  const requiredCents = input.valueCents - (input.previousValueCents ?? 0);
  const diffCents = requiredCents - input.postedCents;
  if (diffCents === 0) return { requiredCents, diffCents, status: "unchanged", posting: null };
  const increase = diffCents > 0;
  return {
    requiredCents,
    diffCents,
    status: "post",
    posting: {
      signedCents: diffCents,
      amountCents: Math.abs(diffCents),
      debitAccount: increase ? input.accounts.stock : input.accounts.stockChange,
      creditAccount: increase ? input.accounts.stockChange : input.accounts.stock,
      text: valuationText(input.period, input.seq),
      date: input.date,
    },
  };
}
