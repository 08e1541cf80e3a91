import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { BbRateSlot } from "@/db/schema";
import type { Clock } from "../clock";
import { toJson, type Database } from "../db";
import { AppError } from "../errors/app-error";

/**
 * One rate limiter per tenant, shared by every flow and every process that calls BuchhaltungsButler for it.
 *
 * BB allows 100 calls per minute per tenant (all endpoints, shared with every other app of the merchant),
 * one call per 5 s on each batch endpoint, and 10 uploads per minute. The state is a row per (tenant, bucket)
 * in Postgres: a call locks its rows (in a fixed order, so two processes cannot deadlock), checks the exact
 * rolling windows, and records a slot. The slot is stamped again with the time the answer arrived: BB counts
 * a call when it arrives, which is never later than our answer, so measuring the window from the answer keeps
 * us under the limit whatever the network latency.
 *
 * Why not Inngest flow control: Inngest throttles function *starts*, not the calls made inside steps; several
 * functions (orders, catalogue, setup checks) share one tenant budget; and the inline driver used in dev/CI has
 * no cross-process state. Postgres is already shared by every process.
 */
export interface RateLimits {
  perWindow: number;
  windowMs: number;
  batchIntervalMs: number;
  uploadsPerWindow: number;
}

export const BB_RATE_LIMITS: RateLimits = { perWindow: 100, windowMs: 60_000, batchIntervalMs: 5_000, uploadsPerWindow: 10 };

export const BB_BATCH_PATHS = new Set([
  "receipts/addBatch",
  "transactions/addBatch",
  "transactions/assign-batch/receipt",
  "postings/add-batch/receipts",
  "postings/add-batch/transactions",
  "postings/add-batch/free",
  "settings/add-batch/debtors",
  "settings/add-batch/creditors",
]);

export interface RateLimiterOptions {
  limits?: Partial<RateLimits>;
  /** Give up waiting after this long (clock ms) with RATE_LIMITED, so a job step can be rescheduled instead. */
  maxWaitMs?: number;
  /** A slot still open after this long belongs to a crashed process; it counts as answered then. */
  staleOpenMs?: number;
}

export interface RatePermit {
  /** Call once the answer (or the failure) is in. */
  release(): Promise<void>;
}

export interface RateLimiter {
  acquire(path: string): Promise<RatePermit & { waitedMs: number }>;
}

type Bucket = { name: string; max: number; windowMs: number };

export function bucketsFor(path: string, limits: RateLimits): Bucket[] {
  const buckets: Bucket[] = [{ name: "all", max: limits.perWindow, windowMs: limits.windowMs }];
  if (BB_BATCH_PATHS.has(path)) buckets.push({ name: `batch:${path}`, max: 1, windowMs: limits.batchIntervalMs });
  if (path === "receipts/upload") buckets.push({ name: "upload", max: limits.uploadsPerWindow, windowMs: limits.windowMs });
  return buckets.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * When may the next call start in this bucket? 0 = now; otherwise clock ms to wait (or to look again).
 * A blocking call whose answer is still outstanding frees its place a window after that answer arrives, which is
 * later than now: nothing can start in this bucket within the next window, so looking again sooner only costs
 * database round trips (with ten chunks waiting on one batch endpoint, most of the sync's queries).
 */
export function waitFor(slots: BbRateSlot[], bucket: Bucket, now: number, staleOpenMs: number): number {
  const effective = slots.map((s) => (s.open ? (now - s.at > staleOpenMs ? s.at + staleOpenMs : Infinity) : s.at)).sort((a, b) => a - b);
  const live = effective.filter((t) => t > now - bucket.windowMs);
  if (live.length < bucket.max) return 0;
  // The call `max` places back must have left the window.
  const blocker = live[live.length - bucket.max]!;
  if (blocker === Infinity) return bucket.windowMs + 1;
  return Math.max(1, blocker + bucket.windowMs - now + 1);
}

function prune(slots: BbRateSlot[], now: number, windowMs: number, staleOpenMs: number): BbRateSlot[] {
  return slots.filter((s) => (s.open ? now - s.at <= staleOpenMs + windowMs : s.at > now - windowMs));
}

export function createRateLimiter(database: Database, tenantId: string, clock: Clock, options: RateLimiterOptions = {}): RateLimiter {
  const limits = { ...BB_RATE_LIMITS, ...options.limits };
  const maxWaitMs = options.maxWaitMs ?? 10 * 60_000;
  const staleOpenMs = options.staleOpenMs ?? 5 * 60_000;

  /**
   * The limiter's rows only matter for the next minute, so their transactions skip the fsync on commit
   * (synchronous_commit=off keeps them atomic and consistent; only a Postgres crash could lose the last few
   * hundred ms of slots). On a busy disk this is the difference between ~1 and ~10 ms per API call.
   */
  const relaxedCommit = sql<string>`set_config('synchronous_commit', 'off', true)`;

  /**
   * The rows are created once, in their own committed statement, before any transaction locks them: creating
   * them inside the locking transaction lets two processes deadlock (one waits for the other's uncommitted
   * insert while holding the row the other needs next).
   */
  const ensured = new Set<string>();
  async function ensureRows(buckets: Bucket[]): Promise<void> {
    const missing = buckets.filter((b) => !ensured.has(b.name));
    if (!missing.length) return;
    await database
      .insertInto("bb_rate_windows")
      .values(missing.map((b) => ({ tenant_id: tenantId, bucket: b.name, slots: toJson([]), updated_at: new Date() })))
      .onConflict((oc) => oc.columns(["tenant_id", "bucket"]).doNothing())
      .execute();
    for (const b of missing) ensured.add(b.name);
  }

  async function lockRows(trx: Database, buckets: Bucket[]): Promise<Map<string, BbRateSlot[]>> {
    const rows = await trx
      .selectFrom("bb_rate_windows")
      .select(["bucket", "slots", relaxedCommit.as("relaxed")])
      .where("tenant_id", "=", tenantId)
      .where(
        "bucket",
        "in",
        buckets.map((b) => b.name),
      )
      .orderBy("bucket")
      .forUpdate()
      .execute();
    if (rows.length < buckets.length) throw new Error(`rate limiter rows of tenant ${tenantId} are missing (was the tenant deleted?)`);
    return new Map(rows.map((r) => [r.bucket, (r.slots ?? []) as BbRateSlot[]]));
  }

  /** All buckets of the call in one statement (their rows are locked by this transaction already). */
  async function write(trx: Database, slots: Map<string, BbRateSlot[]>): Promise<void> {
    const values = [...slots.entries()].map(([bucket, list]) => sql`(${bucket}::text, ${toJson(list)}::jsonb)`);
    await sql`
      update bb_rate_windows w
         set slots = v.slots, updated_at = now()
        from (values ${sql.join(values)}) as v(bucket, slots)
       where w.tenant_id = ${tenantId} and w.bucket = v.bucket`.execute(trx);
  }

  /**
   * One acquire per path at a time in this process; the others queue here, not in the database. Ten chunks in
   * flight wait for the same batch endpoint: each of them looking at the rows would be turned away but one, and
   * every turn costs a transaction. Other processes still compete through the rows.
   */
  const turns = new Map<string, Promise<void>>();
  async function inTurn<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const before = turns.get(path);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    turns.set(path, mine);
    try {
      if (before) await before;
      return await fn();
    } finally {
      done();
      if (turns.get(path) === mine) turns.delete(path);
    }
  }

  async function acquireNow(path: string): Promise<RatePermit & { waitedMs: number }> {
    const buckets = bucketsFor(path, limits);
    const id = randomUUID();
    let waited = 0;
    await ensureRows(buckets);
    for (;;) {
      const wait = await database.transaction().execute(async (trx) => {
        const rows = await lockRows(trx, buckets);
        const now = clock.now();
        const pruned = new Map(buckets.map((b) => [b.name, prune(rows.get(b.name) ?? [], now, b.windowMs, staleOpenMs)]));
        const need = Math.max(...buckets.map((b) => waitFor(pruned.get(b.name)!, b, now, staleOpenMs)));
        if (need > 0) return need;
        await write(trx, new Map(buckets.map((b) => [b.name, [...pruned.get(b.name)!, { id, at: now, open: true }]])));
        return 0;
      });
      if (wait === 0) break;
      if (waited + wait > maxWaitMs) {
        throw new AppError("RATE_LIMITED", {
          detail: `the BuchhaltungsButler call budget of this shop is used up for the next ${Math.ceil(wait / 1000)} s`,
          retryAfterSeconds: Math.ceil(wait / 1000),
          context: { path, waitedMs: waited },
        });
      }
      await clock.sleep(wait);
      waited += wait;
    }
    let released = false;
    return {
      waitedMs: waited,
      release: async () => {
        if (released) return;
        released = true;
        // Stamp the slot with the answer time. Each bucket is its own autocommit statement: it locks one
        // row at a time, so it can never deadlock with an acquire. The next acquire prunes old slots.
        const now = clock.now();
        for (const b of buckets) {
          await sql`
            update bb_rate_windows
               set slots = (
                     select coalesce(jsonb_agg(case when s->>'id' = ${id}::text
                                                    then jsonb_build_object('id', ${id}::text, 'at', greatest(${now}::float8, (s->>'at')::float8), 'open', false)
                                                    else s end), '[]'::jsonb)
                       from jsonb_array_elements(slots) s),
                   updated_at = now()
             where tenant_id = ${tenantId} and bucket = ${b.name} and ${relaxedCommit} is not null`.execute(database);
        }
      },
    };
  }

  return { acquire: (path) => inTurn(path, () => acquireNow(path)) };
}
