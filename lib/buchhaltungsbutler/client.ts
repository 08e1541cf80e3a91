import "server-only";
import { systemClock, type Clock } from "../clock";
import type { Database } from "../db";
import { env } from "../env";
import { chartOps } from "./chart";
import { checkConnection } from "./check-connection";
import type { OpsContext } from "./context";
import { loadBbCredentials } from "./credentials";
import { personOps } from "./debtors";
import { postingOps } from "./postings";
import { createRateLimiter, type RateLimiter, type RateLimiterOptions } from "./rate-limiter";
import { receiptOps } from "./receipts";
import { transactionOps } from "./transactions";
import { createTransport } from "./transport";
import type { BbClientStats, BbConnectionCheck, BbCredentials } from "./types";

export interface BbClientOptions {
  database: Database;
  tenantId: string;
  /** Given during setup (before they are saved); otherwise loaded from the connection on first use. */
  credentials?: BbCredentials;
  clock?: Clock;
  /** Defaults to BB_API_BASE_URL. */
  baseUrl?: string;
  /** Wall-clock ms per request. */
  timeoutMs?: number;
  /** Attempts for a read or a throttled call, and for a write whose outcome was unknown. */
  maxAttempts?: number;
  /** First retry backoff (clock ms); doubles per attempt. */
  backoffMs?: number;
  /** Wait before reading back after a lost answer (clock ms). */
  readBackDelayMs?: number;
  limiter?: RateLimiter;
  limiterOptions?: RateLimiterOptions;
  /** The spec's batch debtor item has no e-mail; until verified, debtors with an e-mail are added one by one. */
  batchDebtorEmail?: boolean;
}

/**
 * The BuchhaltungsButler client: one typed method per endpoint the product uses, all through one transport
 * and the tenant's shared rate limiter. Writes are exactly-once by read-back (BB has no idempotency key).
 */
export function createBbClient(opts: BbClientOptions) {
  const clock = opts.clock ?? systemClock;
  const stats: BbClientStats = { calls: 0, byPath: {}, throttled: 0, retries: 0, recovered: 0, unconfirmed: 0, waitedMs: 0 };
  let creds: Promise<BbCredentials> | undefined = opts.credentials ? Promise.resolve(opts.credentials) : undefined;
  const credentials = () => {
    creds ??= loadBbCredentials(opts.database, opts.tenantId).catch((e: unknown) => {
      creds = undefined;
      throw e;
    });
    return creds;
  };
  const backoffMs = opts.backoffMs ?? 1_000;
  const maxAttempts = opts.maxAttempts ?? 4;
  const call = createTransport({
    baseUrl: opts.baseUrl ?? env().BB_API_BASE_URL,
    credentials,
    clock,
    limiter: opts.limiter ?? createRateLimiter(opts.database, opts.tenantId, clock, opts.limiterOptions),
    stats,
    timeoutMs: opts.timeoutMs ?? 60_000,
    maxAttempts,
    backoffMs,
    throttleBackoffMs: 5_000,
  });
  const ctx: OpsContext = {
    call,
    clock,
    stats,
    database: opts.database,
    tenantId: opts.tenantId,
    readBackDelayMs: opts.readBackDelayMs ?? 3_000,
    writeAttempts: maxAttempts,
    backoffMs,
  };

  const receipts = receiptOps(ctx);
  const transactions = transactionOps(ctx);
  const postings = postingOps(ctx, {
    receiptDate: async (id) => {
      const r = await receipts.getReceipt(id);
      return r ? (r.deliveryDate ?? r.date) : null;
    },
    transactionDate: async (id) => (await transactions.getTransaction(id))?.bookingDate.slice(0, 10) ?? null,
  });
  const people = personOps(ctx, { batchAcceptsEmail: opts.batchDebtorEmail ?? false });
  const chart = chartOps(ctx);

  /** A posting without lines on an existing receipt: BB answers "debtor posting is not activated" or a validation error. */
  async function probeReceiptPosting(receiptId: string): Promise<void> {
    // Sent as a read: without lines it can never book anything, so retrying it after a lost answer is safe.
    await call("postings/add/receipt", { receipt_id_by_customer: Number(receiptId), postingaccounts: [], postingtexts: [], vats: [], amounts: [] }, { write: false });
  }

  return {
    ...receipts,
    ...transactions,
    ...postings,
    ...people,
    ...chart,
    checkConnection: (): Promise<BbConnectionCheck> =>
      checkConnection({
        listAccounts: chart.listAccounts,
        listPostingAccounts: chart.listPostingAccounts,
        getReceipts: (f) => receipts.getReceipts(f),
        probeReceiptPosting,
      }),
    stats: (): BbClientStats => ({ ...stats, byPath: { ...stats.byPath } }),
  };
}

export type BbClient = ReturnType<typeof createBbClient>;
