import type { AppError } from "../../../errors/app-error";
import type { Cents } from "../../../money";
import type { LinkEntity } from "../../links";
import type { BookingPlan } from "../booking-plan";

/** What a sale's (or day's) link holds about its write: every BB id the moment it exists, and what is done. */
export interface WriteState {
  invoiceNumber: string;
  receiptId?: string;
  /** What the receipt in BB is for: a plan with another amount goes the correction way, never onto it. */
  receiptAmount?: Cents;
  receiptPosted?: boolean;
  commented?: boolean;
  tenders?: Record<string, { transactionId?: string; assigned?: boolean; posted?: boolean }>;
  free?: Record<string, { posted?: boolean; assigned?: boolean }>;
  /** "already in BuchhaltungsButler — linked": the receipt was found there, not created by this write. */
  adoptedReceipt?: boolean;
  /** Writes started but not confirmed (a crash between sending and saving leaves them here). */
  intents?: string[];
}

export interface WriteItem {
  target: { tenantId: string; entity: LinkEntity; sourceId: string };
  plan: BookingPlan;
  initial: WriteState | undefined;
}

export type WriteOutcome = { ok: true; state: WriteState; created: boolean; adopted: boolean } | { ok: false; state: WriteState; error: AppError };

/** One record while its chunk is written; the phases change `state`, the first failure stops the record. */
export interface Work {
  item: WriteItem;
  state: WriteState;
  created: boolean;
  error?: AppError;
}

/** Listings of what BB already holds, shared by the chunks of one write (one listing per date range). */
export interface ReadBackCache {
  receipts: Map<string, Promise<Map<string, { id: string; amount: Cents }[]>>>;
  transactions: Map<string, Promise<Map<string, string>>>;
}

export function newReadBackCache(): ReadBackCache {
  return { receipts: new Map(), transactions: new Map() };
}

/** The listing under `key`, started once: chunks in flight at the same time share one call. */
export function cachedListing<T>(cache: Map<string, Promise<T>>, key: string, list: () => Promise<T>): Promise<T> {
  let listing = cache.get(key);
  if (!listing) {
    listing = list();
    cache.set(key, listing);
  }
  return listing;
}

export interface ChunkOptions {
  batch: boolean;
  comment: boolean;
  cache: ReadBackCache;
  /** Gift-card postings are left to a later chunk that collects them across chunks. */
  deferFree: boolean;
}
