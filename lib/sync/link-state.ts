import * as z from "zod";
import { AppError } from "../errors/app-error";
import type { VatCode } from "../mapping/chart-defaults";
import type { Cents } from "../money";
import type { BookingPlan } from "./orders/booking-plan";
import type { SaleSummary } from "./orders/summarize-sale";
import type { PlannedValuationPosting } from "./stock/plan-valuation-posting";

/**
 * What `sync_links.target_ids` holds, one schema per kind of link. Rows are read back across releases and after
 * crashes, so every read is parsed here instead of trusting a cast; fields that a record gains step by step (or
 * that an earlier release did not write) are optional. Objects are stripped, not loose: every key the sync writes
 * is declared, and the jsonb merge on write keeps anything a reader does not know about.
 */

// A whole number of cents is exactly what the brand promises (see cents() in lib/money).
const cents = z.custom<Cents>((v) => Number.isSafeInteger(v), { error: "expected a whole number of cents" });
const vatCode = z.enum(["19_vat", "7_vat", "0_none"]);

const postingLine = z.object({ account: z.number(), vat: vatCode, amount: cents, text: z.string(), clearsReceipt: z.boolean().optional(), openItemReceiptId: z.string().optional() });

const bookingPlan = z.object({
  kind: z.enum(["sale", "day"]),
  saleIds: z.array(z.string()),
  invoiceNumber: z.string(),
  date: z.string(),
  shopId: z.string(),
  registerId: z.string().nullable(),
  debtor: z.object({ number: z.number(), name: z.string() }),
  receipt: z.object({ amount: cents, dueDate: z.string().nullable(), lines: z.array(postingLine), linkToSaleId: z.string().nullable() }).nullable(),
  tenders: z.array(
    z.object({
      key: z.string(),
      paymentTypeIds: z.array(z.string()),
      paymentTypeName: z.string(),
      account: z.number(),
      amount: cents,
      purpose: z.string(),
      bookingDate: z.string(),
      bookingText: z.string(),
      lines: z.array(postingLine),
    }),
  ),
  freePostings: z.array(
    z.object({ key: z.string(), date: z.string(), text: z.string(), amount: cents, debitAccount: z.number(), creditAccount: z.number(), vat: vatCode, clearsReceipt: z.boolean() }),
  ),
  comment: z.string(),
  totals: z.object({ gross: cents, byVat: z.partialRecord(vatCode, cents), byPaymentType: z.record(z.string(), cents), tips: cents, rounding: cents }),
});

const saleSummary = z.object({
  saleIds: z.array(z.string()),
  total: cents,
  revenue: z.array(z.object({ account: z.number(), vat: vatCode, gross: z.string() })),
  tenders: z.array(
    z.object({
      paymentTypeId: z.string(),
      paymentTypeName: z.string(),
      account: z.number(),
      base: cents,
      tip: cents,
      deposit: z.object({ salePaymentId: z.string(), date: z.string(), time: z.string(), booked: z.array(z.object({ vat: vatCode, amount: cents })).optional() }).optional(),
    }),
  ),
  giftCard: cents,
  onAccount: cents,
  byPaymentType: z.record(z.string(), cents),
});

/**
 * The writer's progress on one booking (see WriteState in orders/write-booking.ts). A re-post clears the receipt
 * fields with null, so they are nullable.
 */
const writeProgress = {
  invoiceNumber: z.string().optional(),
  receiptId: z.string().nullish(),
  /** The amount the receipt was created (or found) with: a plan for another amount must never post on it. */
  receiptAmount: cents.nullish(),
  receiptPosted: z.boolean().nullish(),
  commented: z.boolean().nullish(),
  adoptedReceipt: z.boolean().nullish(),
  tenders: z.record(z.string(), z.object({ transactionId: z.string().optional(), assigned: z.boolean().optional(), posted: z.boolean().optional() })).optional(),
  free: z.record(z.string(), z.object({ posted: z.boolean().optional(), assigned: z.boolean().optional() })).optional(),
  intents: z.array(z.string()).optional(),
};

/** The reversal of a posted sale, step by step (orders/void-posted-sale.ts). */
const voidState = {
  cancelled: z.array(z.string()).optional(),
  /** `postSent`: the counter-transaction's posting was sent; a crash before `posted` is read back, not repeated. */
  reversals: z.record(z.string(), z.object({ transactionId: z.string().optional(), postSent: z.boolean().optional(), posted: z.boolean().optional() })).optional(),
  date: z.string().optional(),
};

/**
 * A booking reversed by an earlier re-post, as reconciliation counts it: its payments went in on its day and
 * back out on the re-post's. No names, so nothing in it outlives the log retention.
 */
const reversedBooking = z.object({
  date: z.string(),
  reversedOn: z.string(),
  /** `date`: the day the payment went in when it was not the booking's (a deposit); absent in older rows. */
  payments: z.array(z.object({ account: z.number(), amount: cents, date: z.string().optional() })),
  transactionIds: z.array(z.string()),
});

const saleLink = z.object({
  ...writeProgress,
  /** Written before the booking, so a refund line finds the sale it refunds. */
  lineIds: z.array(z.string()).optional(),
  /** Daily-summary mode: the day the sale is booked with, and what it adds to it (null once voided). */
  dayKey: z.string().optional(),
  summary: saleSummary.nullish(),
  date: z.string().optional(),
  debtor: z.number().optional(),
  plan: bookingPlan.optional(),
  /** Times the sale was reversed and posted again after an edit. */
  revision: z.number().optional(),
  /** The booking reversed by the last re-post: its plan, its payments' ids and their counter-transactions. */
  previous: z.object({ ...voidState, plan: bookingPlan.nullable(), transactionIds: z.array(z.string()).optional() }).optional(),
  /** Bookings reversed by earlier re-posts (a sale edited more than once), oldest first. */
  reversedBefore: z.array(reversedBooking).optional(),
  void: z.object(voidState).nullish(),
});

const dayLink = z.object({
  ...writeProgress,
  /** Stored before the day's first write (with the summary it was built from, `postedSummary`) and reused. */
  plan: bookingPlan.optional(),
  postedSummary: saleSummary.optional(),
  corrections: z.number().optional(),
  needsCorrection: z.boolean().optional(),
  /**
   * The correction being written, so a crash mid-correction resumes it instead of starting another; its plan
   * (with the date it is booked on) is stored before the first write and never recomputed.
   */
  pendingCorrection: z.object({ n: z.number(), summary: saleSummary, plan: bookingPlan.optional() }).nullish(),
});

/** A correcting receipt to a posted day: its own booking, stored under "<dayKey>#K<n>". */
const dayCorrectionLink = z.object({ ...writeProgress, plan: bookingPlan.optional() });

const categoryLink = z.object({
  account: z.number().optional(),
  name: z.string().optional(),
  parent: z.number().optional(),
  /** Numbers BB refused for this category: never proposed again. */
  rejectedNumbers: z.array(z.number()).optional(),
});

/** Written whole before it is sent, so a read-back after an unclear answer knows exactly what to look for. */
const valuationLink = z.object({
  signedCents: z.number(),
  amountCents: z.number(),
  debitAccount: z.number(),
  creditAccount: z.number(),
  text: z.string(),
  date: z.string(),
});

/** Customers, items and matrices are linked only to record their failures: no target ids. */
const failureOnlyLink = z.object({});

/** What sale, day and correction links share: the writer resumes from it. */
export type WriteProgressState = z.infer<z.ZodObject<typeof writeProgress>>;
export type VoidState = z.infer<z.ZodObject<typeof voidState>>;
export type SaleLinkState = z.infer<typeof saleLink>;
export type ReversedBooking = z.infer<typeof reversedBooking>;
export type DayLinkState = z.infer<typeof dayLink>;
export type DayCorrectionLinkState = z.infer<typeof dayCorrectionLink>;
/**
 * A customer's own debtor: the intent (step "creating") is saved before BB is asked to create it, the debtor's
 * number once it exists, so a create whose answer was lost (or a crash right after it) is read back, not repeated.
 */
/** `creatingSince` (flow clock): when the debtor's create was last sent, so a late-committed one is waited for. */
const customerLink = z.object({ debtorNumber: z.number().int().optional(), creatingSince: z.number().optional() });
export type CustomerLinkState = z.infer<typeof customerLink>;
export type CategoryLinkState = z.infer<typeof categoryLink>;
export type ValuationLinkState = z.infer<typeof valuationLink>;

export interface LinkStates {
  sale: SaleLinkState;
  day: DayLinkState;
  dayCorrection: DayCorrectionLinkState;
  customer: CustomerLinkState;
  item: z.infer<typeof failureOnlyLink>;
  matrix: z.infer<typeof failureOnlyLink>;
  category: CategoryLinkState;
  valuation: ValuationLinkState;
}
export type LinkKind = keyof LinkStates;
export type LinkState<K extends LinkKind> = LinkStates[K];

// Typed per kind (not as a union) so that a read of kind K yields LinkStates[K] without a cast.
const LINK_SCHEMAS: { [K in LinkKind]: z.ZodType<LinkStates[K]> } = {
  sale: saleLink,
  day: dayLink,
  dayCorrection: dayCorrectionLink,
  customer: customerLink,
  item: failureOnlyLink,
  matrix: failureOnlyLink,
  category: categoryLink,
  valuation: valuationLink,
};

/** The `sync_links.entity` column: a day's corrections are day rows too (reconciliation and retries see them). */
export type LinkEntity = "sale" | "day" | "customer" | "item" | "matrix" | "category" | "valuation";
export const LINK_ENTITY: Record<LinkKind, LinkEntity> = { sale: "sale", day: "day", dayCorrection: "day", customer: "customer", item: "item", matrix: "matrix", category: "category", valuation: "valuation" };

const ENTITIES = new Set<string>(Object.values(LINK_ENTITY));
export function isLinkEntity(value: string): value is LinkEntity {
  return ENTITIES.has(value);
}

/** Why a record last failed (handle-record-failure.ts writes it; the inbox filters on dedupeKey). */
const linkError = z.object({ code: z.string().optional(), detail: z.string().nullish(), fixHint: z.string().nullish(), dedupeKey: z.string().optional(), at: z.string().optional() });
export type LinkError = z.infer<typeof linkError>;

export function parseLinkState<K extends LinkKind>(kind: K, sourceId: string, raw: unknown): LinkStates[K] {
  const r = LINK_SCHEMAS[kind].safeParse(raw);
  if (!r.success) throw storedStateError(`stored ${kind} link ${sourceId}`, r.error, { kind, sourceId });
  return r.data;
}

export function parseLinkError(kind: string, sourceId: string, raw: unknown): LinkError | null {
  if (raw === null || raw === undefined) return null;
  const r = linkError.safeParse(raw);
  if (!r.success) throw storedStateError(`stored last error of ${kind} link ${sourceId}`, r.error, { kind, sourceId });
  return r.data;
}

/** State that does not match its schema is our bug, not the merchant's: INTERNAL, with where and what. */
export function storedStateError(what: string, error: z.ZodError, context: Record<string, unknown>): AppError {
  const issues = error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  return new AppError("INTERNAL", { detail: `${what} does not match its schema: ${issues.join("; ")}`, context: { ...context, issues }, cause: error });
}

// The schemas must describe exactly the types the rest of the sync works with.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [Same<z.infer<typeof bookingPlan>, BookingPlan>, Same<z.infer<typeof saleSummary>, SaleSummary>, Same<ValuationLinkState, PlannedValuationPosting>, Same<z.infer<typeof vatCode>, VatCode>] = [true, true, true, true];
void checks;
