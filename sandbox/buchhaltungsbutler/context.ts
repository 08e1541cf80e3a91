import type { Clock } from "@/lib/clock";
import type { SbTenant } from "./model";
import type { Body } from "./params";

/** Every unverified point of the reference, as a switch; the defaults are the stricter reading. */
export interface SbStrictness {
  /** receipts/get without `deleted` lists deleted receipts too (flagged "1"), so clients must check the flag. */
  listIncludesDeleted: boolean;
  /** Posting `amounts` (and free posting `amount`) must be "0000.00" strings, not JSON numbers. */
  postingAmountsMustBeStrings: boolean;
  /** settings/update/debtor|creditor clears every field that is not sent (send the full record). */
  updateClearsOmitted: boolean;
  /** settings/add-batch/debtors drops `email` (the spec's batch item has no email field). */
  batchDebtorEmail: "ignored" | "accepted";
  /** Whether the collective debtor 10000 may be named explicitly as `creditor_debtor`/`debtor`. */
  acceptCollectiveDebtor: boolean;
  /** settings/get/debtors|creditors: the largest page; a bigger `limit` is silently capped (no error code exists). */
  personListMax: number;
  /** Longest accepted receipt counterparty / transaction to_from. */
  counterpartyMax: number;
  /** Longest accepted transaction purpose. */
  purposeMax: number;
  /**
   * What an over-limit call gets on the endpoints whose spec lists a throttle answer (403/15 on the add, batch and
   * upload endpoints; the message follows the endpoint: "adding …" or "upload is temporarily restricted").
   */
  throttle: { status: number; code: number; message: string };
  /**
   * What an over-limit call gets everywhere else. The spec gives those endpoints no throttle answer (and on
   * receipts/get code 15 means "invalid sort field"), so the sandbox answers with a status and no BB code:
   * a client has to recognise it without one.
   */
  throttleUndocumented: { status: number; code: number | null; message: string };
  /**
   * receipts/get/<id> for an id that does not exist: "error" = 400/5 "invalid id_by_customer specified", the only
   * answer the spec lists besides 200; "empty" = 200 with empty data.
   */
  unknownReceiptId: "error" | "empty";
  /** Throttled calls still count towards the windows. */
  countThrottled: boolean;
  /** Batch errors echo the item as an object (seen live) or as the spec's array of values. */
  batchRequestDataShape: "object" | "array";
  /** Transaction ids come back as numbers (seen live) rather than strings (spec). */
  transactionIdsAsNumbers: boolean;
  /** Cost locations named in postings must exist. */
  costLocationMustExist: boolean;
  /** Assigning an already assigned pair: a no-op success, or an error (code 5). */
  duplicateAssignment: "noop" | "error";
}

export const DEFAULT_STRICTNESS: SbStrictness = {
  listIncludesDeleted: true,
  postingAmountsMustBeStrings: true,
  updateClearsOmitted: true,
  batchDebtorEmail: "ignored",
  acceptCollectiveDebtor: false,
  personListMax: 100,
  counterpartyMax: 100,
  purposeMax: 255,
  throttle: { status: 403, code: 15, message: "adding is temporarily restricted" },
  throttleUndocumented: { status: 429, code: null, message: "Too Many Requests" },
  unknownReceiptId: "error",
  countThrottled: true,
  batchRequestDataShape: "object",
  transactionIdsAsNumbers: true,
  costLocationMustExist: true,
  duplicateAssignment: "noop",
};

export interface SbLimits {
  /** Calls per tenant per window (all endpoints). */
  perWindow: number;
  windowMs: number;
  /** Each batch endpoint: one call per this many ms. */
  batchIntervalMs: number;
  batchMaxItems: number;
  uploadsPerWindow: number;
  /** How long a sums report takes to generate in the background (sandbox clock). */
  reportGenerationMs: number;
}

export const DEFAULT_LIMITS: SbLimits = { perWindow: 100, windowMs: 60_000, batchIntervalMs: 5_000, batchMaxItems: 50, uploadsPerWindow: 10, reportGenerationMs: 3_000 };

export interface UploadedFile {
  content: Buffer;
  name: string;
}

export interface Ctx {
  tenant: SbTenant;
  body: Body;
  /** The id in `receipts/get/<id>` style paths. */
  pathId: string | undefined;
  file: UploadedFile | undefined;
  clock: Clock;
  strict: SbStrictness;
  limits: SbLimits;
}

export type Handler = (ctx: Ctx) => Record<string, unknown>;

// Formatters are expensive to create; one each, reused.
const DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" });
const DAY_TIME = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Berlin",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** Today's date on the sandbox clock (Europe/Berlin, as BB presumably uses). */
export function today(clock: Clock): string {
  return DAY.format(new Date(clock.now()));
}

export function nowDateTime(clock: Clock): string {
  const parts = DAY_TIME.formatToParts(new Date(clock.now()));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}

export const ok = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ success: true, message: "", ...extra });
export const list = (data: unknown[]): Record<string, unknown> => ({ success: true, message: "", rows: data.length, data });
