import type { Cents } from "../../money";
import type { VatCode } from "../../mapping/chart-defaults";

/**
 * What one receipt in BuchhaltungsButler will consist of, computed before anything is sent: the dry run shows
 * it, the writer executes it step by step, reconciliation compares against it. Pure data, JSON-safe.
 */
export interface PlannedPostingLine {
  account: number;
  vat: VatCode;
  /** Gross; the lines of a receipt or a transaction sum to its amount exactly. */
  amount: Cents;
  text: string;
  /** Transaction postings only: clear this plan's receipt (open item) with this line. */
  clearsReceipt?: boolean;
  /** Transaction postings only: clear this earlier receipt of the debtor (a payment into their account). */
  openItemReceiptId?: string;
}

export interface PlannedTender {
  /** Unique per plan: "1", "2", … — part of the transaction purpose, which is how a lost write is found again. */
  key: string;
  paymentTypeIds: string[];
  paymentTypeName: string;
  account: number;
  /** What arrived on (or left) the payment account, tips included. */
  amount: Cents;
  purpose: string;
  bookingDate: string; // "YYYY-MM-DD HH:MM:SS"
  bookingText: string;
  lines: PlannedPostingLine[];
}

export interface PlannedFreePosting {
  key: string;
  date: string;
  text: string;
  amount: Cents; // positive
  debitAccount: number;
  creditAccount: number;
  vat: VatCode;
  /** Assign the plan's receipt to this posting (gift-card redemption clears the open item). */
  clearsReceipt: boolean;
}

export interface BookingPlan {
  kind: "sale" | "day";
  /** Lightspeed sale ids covered by this plan. */
  saleIds: string[];
  invoiceNumber: string;
  /** Business date, YYYY-MM-DD. */
  date: string;
  shopId: string;
  registerId: string | null;
  debtor: { number: number; name: string };
  /** Null when nothing is owed for goods (a pure gift-card sale, an even exchange). */
  receipt: {
    amount: Cents;
    dueDate: string | null;
    lines: PlannedPostingLine[];
    /** A refund points at the original sale's receipt when we know it. */
    linkToSaleId: string | null;
  } | null;
  tenders: PlannedTender[];
  freePostings: PlannedFreePosting[];
  comment: string;
  /** Totals for the dry run and reconciliation: gross per VAT code and per payment type, in cents. */
  totals: {
    gross: Cents;
    byVat: Partial<Record<VatCode, Cents>>;
    byPaymentType: Record<string, Cents>;
    tips: Cents;
    rounding: Cents;
  };
}

/** The plan's payments as they went in: each on its own day (a deposit is dated before the sale). */
export function paymentsOfPlan(plan: BookingPlan): { account: number; amount: Cents; date: string }[] {
  return plan.tenders.map((t) => ({ account: t.account, amount: t.amount, date: t.bookingDate.slice(0, 10) }));
}
