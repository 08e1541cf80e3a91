import { sql } from "kysely";
import * as z from "zod";
import type { Clock } from "../clock";
import { toJson, type Database } from "../db";
import { logger } from "../log";

/**
 * Paces requests for one (account × OAuth client) bucket. Lightspeed drains the bucket continuously at the
 * drip rate; this keeps an estimate from the last `X-LS-Api-Bucket-Level` / `-Drip-Rate` / `-Burst-Level`
 * headers, predicts each request's cost, and sends only when the request fits: it never relies on the API's
 * "first overflow is allowed" grace. One request is in flight per bucket in this process; across processes and
 * flows the bucket's state is one row in Postgres, booked before each send (see BucketStore).
 */
export interface SchedulerStats {
  requests: number;
  drips: number;
  throttled429: number;
  retries: number;
  bucketLevel: number;
  bucketSize: number;
  dripRate: number;
  /** Clock milliseconds spent waiting for room in the bucket or for Retry-After. */
  waitingMs: number;
  /** Clock milliseconds until the next request may go out (0 when it could go now). */
  nextSendInMs: number;
}

export interface RateHeaders {
  get(name: string): string | null;
}

const BURST_WINDOW_MS = 1_050;
const MARGIN_MS = 10;

/** What we know of one bucket: Lightspeed's last figures plus every request sent since (by any process). */
const bucketState = z.object({
  size: z.number().positive(),
  drip: z.number().positive(),
  burstLimit: z.number().positive(),
  level: z.number().min(0),
  levelAt: z.number(),
  blockedUntil: z.number(),
  recentSends: z.array(z.number()),
});
export type BucketState = z.infer<typeof bucketState>;

const initialState = (): BucketState => ({ size: 90, drip: 1, burstLimit: 20, level: 0, levelAt: 0, blockedUntil: 0, recentSends: [] });

function levelNow(s: BucketState, now: number): number {
  return Math.max(0, s.level - (s.drip * (now - s.levelAt)) / 1000);
}

/** Clock milliseconds until a request of `cost` may be sent. */
function waitFor(s: BucketState, cost: number, now: number): number {
  let wait = Math.max(0, s.blockedUntil - now);
  const room = s.size - levelNow(s, now);
  if (room < cost) wait = Math.max(wait, ((cost - room) / s.drip) * 1000 + MARGIN_MS);
  const recent = s.recentSends.filter((t) => now - t < BURST_WINDOW_MS);
  if (recent.length >= s.burstLimit) wait = Math.max(wait, recent[recent.length - s.burstLimit]! + BURST_WINDOW_MS - now + MARGIN_MS);
  return wait;
}

/** Books a request into the bucket the moment it is sent, so every process sees it before Lightspeed reports it. */
function reserve(s: BucketState, cost: number, now: number): void {
  s.level = levelNow(s, now) + cost;
  s.levelAt = now;
  s.recentSends = [...s.recentSends.filter((t) => now - t < BURST_WINDOW_MS), now];
}

/**
 * Lightspeed's headers after an answer. Its level counts what it has received; ours also counts what other
 * processes have sent and it has not answered yet — the higher of the two is the safe one.
 */
function applyHeaders(s: BucketState, headers: RateHeaders, now: number): number | null {
  const bucket = headers.get("x-ls-api-bucket-level");
  if (bucket) {
    const [level, size] = bucket.split("/").map((v) => Number.parseFloat(v));
    if (size !== undefined && Number.isFinite(size) && size > 0) s.size = size;
    if (level !== undefined && Number.isFinite(level)) {
      s.level = Math.max(levelNow(s, now), level);
      s.levelAt = now;
    }
  }
  const drip = Number.parseFloat(headers.get("x-ls-api-drip-rate") ?? "");
  if (Number.isFinite(drip) && drip > 0) s.drip = drip;
  const burst = headers.get("x-ls-api-burst-level");
  const limit = burst ? Number.parseFloat(burst.split("/")[1] ?? "") : Number.NaN;
  if (Number.isFinite(limit) && limit > 0) s.burstLimit = limit;
  const cost = Number.parseFloat(headers.get("x-ls-api-request-cost") ?? "");
  return Number.isFinite(cost) ? cost : null;
}

/**
 * Where a bucket's state lives. In memory it is this process's alone; in Postgres it is shared by every flow
 * and process that calls Lightspeed for the account (the three flows of a tenant run as separate functions,
 * possibly on separate instances, and Lightspeed's bucket is one per account × client).
 */
export interface BucketStore {
  /** Sends now (returns 0, the request booked) or says how long to wait. One decision at a time per bucket. */
  tryReserve(cost: number, now: number): Promise<number>;
  update(change: (s: BucketState) => void): Promise<void>;
  /** The last state this process read or wrote. */
  snapshot(): BucketState;
}

export function memoryBucketStore(): BucketStore {
  const s = initialState();
  return {
    async tryReserve(cost, now) {
      const wait = waitFor(s, cost, now);
      if (wait <= 0) reserve(s, cost, now);
      return wait;
    },
    async update(change) {
      change(s);
    },
    snapshot: () => s,
  };
}

/** The bucket as a row of `ls_rate_buckets`, locked for each decision so two processes never both take the last room. */
const STATE_FROM_OTHER_CLOCK_MS = 10 * 60_000;

export function postgresBucketStore(database: Database, key: string, clockNow: () => number): BucketStore {
  let last = initialState();
  let rowExists = false;
  const locked = async (decide: (s: BucketState) => boolean): Promise<void> => {
    if (!rowExists) {
      await database.insertInto("ls_rate_buckets").values({ bucket_key: key, state: toJson(initialState()) }).onConflict((oc) => oc.column("bucket_key").doNothing()).execute();
      rowExists = true;
    }
    await database.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("ls_rate_buckets").select("state").where("bucket_key", "=", key).forUpdate().executeTakeFirstOrThrow();
      const parsed = bucketState.safeParse(row.state);
      // A state from a clock far ahead of ours (a benchmark's accelerated clock on the same database) says nothing about now.
      const s = parsed.success && parsed.data.levelAt - clockNow() < STATE_FROM_OTHER_CLOCK_MS ? parsed.data : initialState();
      const write = decide(s);
      last = s;
      if (write) await trx.updateTable("ls_rate_buckets").set({ state: toJson(s), updated_at: sql<Date>`now()` }).where("bucket_key", "=", key).execute();
    });
  };
  return {
    async tryReserve(cost) {
      let wait = 0;
      await locked((s) => {
        // The time once the row is ours: waiting for the lock must not make the decision stale.
        const now = clockNow();
        wait = waitFor(s, cost, now);
        if (wait > 0) return false;
        reserve(s, cost, now);
        return true;
      });
      return wait;
    },
    async update(change) {
      await locked((s) => (change(s), true));
    },
    snapshot: () => last,
  };
}

/** What a bucket's state means at `now`: the level drained since it was last booked, and the wait before the next send. */
export function bucketFigures(s: BucketState, now: number): Pick<SchedulerStats, "bucketLevel" | "bucketSize" | "dripRate" | "nextSendInMs"> {
  return { bucketLevel: Math.round(levelNow(s, now) * 1000) / 1000, bucketSize: s.size, dripRate: s.drip, nextSendInMs: Math.max(0, s.blockedUntil - now) };
}

/** A bucket's state as stored, for screens in any process (null: no request yet). */
export async function readSharedBucket(database: Database, key: BucketKey): Promise<BucketState | null> {
  const row = await database.selectFrom("ls_rate_buckets").select("state").where("bucket_key", "=", bucketKeyString(key)).executeTakeFirst();
  const parsed = bucketState.safeParse(row?.state);
  return parsed.success ? parsed.data : null;
}

export class RequestScheduler {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly counters = { requests: 0, drips: 0, throttled429: 0, retries: 0, waitingMs: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly store: BucketStore = memoryBucketStore(),
  ) {}

  /**
   * Runs `send` when a request of `cost` fits, one at a time in this process. `send` returns the response
   * headers (or null on a network error) so the estimate follows the server.
   */
  run<T>(cost: number, send: () => Promise<{ value: T; headers: RateHeaders | null }>): Promise<T> {
    const job = this.tail.then(async () => {
      for (;;) {
        const wait = await this.store.tryReserve(cost, this.clock.now());
        if (wait <= 0) break;
        this.counters.waitingMs += wait;
        await this.clock.sleep(wait);
      }
      this.counters.requests++;
      const { value, headers } = await send();
      // The request was booked before it went out, so a failure to record Lightspeed's figures only loses a
      // correction of the estimate; losing the answer instead would fail the step over a bookkeeping write.
      if (headers) await this.observe(headers).catch((e: unknown) => logger().warn({ err: e }, "Could not record Lightspeed's bucket headers"));
      return value;
    });
    this.tail = job.catch(() => undefined);
    return job;
  }

  /** Reads the bucket headers (names case-insensitive, values fractional). */
  async observe(headers: RateHeaders): Promise<void> {
    const now = this.clock.now();
    let cost: number | null = null;
    await this.store.update((s) => {
      cost = applyHeaders(s, headers, now);
    });
    if (cost !== null) this.counters.drips = Math.round((this.counters.drips + cost) * 1e6) / 1e6;
  }

  /** A 429: nothing goes out before Retry-After; a leaky-bucket 429 also means the bucket is full. */
  throttled(retryAfterSeconds: number, type: string | null): Promise<void> {
    const now = this.clock.now();
    this.counters.throttled429++;
    return this.queue((s) => {
      s.blockedUntil = Math.max(s.blockedUntil, now + Math.max(type === "api-burst-limiter" ? 1 : 0, retryAfterSeconds) * 1000);
      if (type !== "api-burst-limiter") {
        s.level = Math.max(levelNow(s, now), s.size);
        s.levelAt = now;
      }
    });
  }

  /** Backoff for 5xx/network errors, shared by everything queued on this bucket. */
  backoff(ms: number): Promise<void> {
    this.counters.retries++;
    const until = this.clock.now() + ms;
    return this.queue((s) => {
      s.blockedUntil = Math.max(s.blockedUntil, until);
    });
  }

  /** A change that every request queued after it must see. */
  private queue(change: (s: BucketState) => void): Promise<void> {
    const job = this.tail.then(() => this.store.update(change));
    this.tail = job.catch(() => undefined);
    return job;
  }

  stats(): SchedulerStats {
    return { ...this.counters, ...bucketFigures(this.store.snapshot(), this.clock.now()) };
  }
}

export interface BucketKey {
  apiBaseUrl: string;
  accountId: string;
  clientId: string;
}

const bucketKeyString = (key: BucketKey) => `${key.apiBaseUrl}|${key.accountId}|${key.clientId}`;

const registry = new Map<string, RequestScheduler>();

/** One scheduler per (API host, account, client) in this process; its budget is the row all processes share. */
export function schedulerFor(key: BucketKey, clock: Clock, database: Database): RequestScheduler {
  const k = bucketKeyString(key);
  let s = registry.get(k);
  if (!s) {
    s = new RequestScheduler(clock, postgresBucketStore(database, k, () => clock.now()));
    registry.set(k, s);
  }
  return s;
}
