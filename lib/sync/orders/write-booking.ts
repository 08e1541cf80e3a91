import type { BbClient } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import type { BookingPlan } from "./booking-plan";
import { assignments } from "./write-booking/assignments";
import { comments } from "./write-booking/comments";
import { giftCardAssignments, giftCardPostings } from "./write-booking/gift-cards";
import { receiptPostings } from "./write-booking/receipt-postings";
import { receipts } from "./write-booking/receipts";
import { ChunkRun, type WritePhase } from "./write-booking/run-phase";
import { tenderPostings } from "./write-booking/tender-postings";
import { tenders } from "./write-booking/tenders";
import { newReadBackCache, type ChunkOptions, type ReadBackCache, type WriteItem, type WriteOutcome, type WriteState } from "./write-booking/types";

export { newReadBackCache, type ReadBackCache, type WriteItem, type WriteOutcome, type WriteState } from "./write-booking/types";

/**
 * Executes booking plans against BuchhaltungsButler exactly once. BB has no idempotency key, so:
 *  - every id is saved in sync_links the moment it exists;
 *  - before creating a receipt or a payment we look for it in BB (by invoice number, by purpose + date +
 *    amount) — one lookup per record in steady state, one listing per date range for a batch;
 *  - a write whose effect cannot be listed cheaply (postings, assignments) is marked as intended in the link
 *    first; only a record that died with such a mark is checked in BB before the write is repeated;
 *  - a timeout or 5xx during a write is read back by the client before anything is sent again.
 * Backfills use BB's batch endpoints (≤ 50 items per call); polls use single calls. Each step is a phase in
 * `write-booking/`; `runPhase` there owns the protocol.
 */

/** BB allows one call per 5 s on each batch endpoint; this many chunks in flight keep every endpoint busy. */
const CHUNKS_IN_FLIGHT = 10;
/** BB's limit of items per batch call. */
const CHUNK = 50;

export async function writeBookings(
  database: Database,
  client: BbClient,
  items: WriteItem[],
  options: { batch: boolean; comment: boolean; cache?: ReadBackCache },
): Promise<WriteOutcome[]> {
  const writer = new PipelinedWriter(database, client, options);
  for (const item of items) writer.add(item);
  return writer.finish();
}

/** Items a chunk puts on each batch endpoint; a chunk stays within BB's 50 items per call on all of them. */
function loadOf(item: WriteItem): number[] {
  const p = item.plan;
  return [p.receipt ? 1 : 0, p.tenders.length, p.freePostings.length];
}

/** A record whose gift-card postings are still to be written (or assigned to its receipt). */
function needsFree(plan: BookingPlan, state: WriteState): boolean {
  return plan.freePostings.some((f) => !state.free?.[f.key]?.posted || (f.clearsReceipt && !!state.receiptId && !state.free?.[f.key]?.assigned));
}

/** A record whose first pass is written, waiting for its gift-card postings. */
interface Continued {
  origin: WriteItem;
  first: Extract<WriteOutcome, { ok: true }>;
}

interface Chunk {
  items: WriteItem[];
  /** For a gift-card chunk: what each item continues. */
  continues?: Continued[];
}

/** Chunks waiting for a slot beyond those in flight before `room()` holds the reader back. */
const CHUNKS_QUEUED = 4;

export interface WriterOptions {
  batch: boolean;
  comment: boolean;
  cache?: ReadBackCache;
  /**
   * Called once per item when its write is complete (gift-card postings included). With it, the writer keeps
   * nothing after that and `finish()` returns no outcomes: the caller records each item as it settles, so a
   * long stream holds only what is in flight.
   */
  onSettled?: (item: WriteItem, outcome: WriteOutcome) => void;
}

/**
 * Writes plans as they are added: every full chunk (≤ 50 items on each batch endpoint) starts at once, up to
 * CHUNKS_IN_FLIGHT at a time, so preparing the next sales, reading Lightspeed and waiting for BB's batch slots
 * all overlap. Gift-card postings are rare (a few per chunk), so in batch mode they are collected across chunks
 * and written 50 at a time, with one listing to learn their ids, instead of a few single calls per chunk.
 * Single-call mode writes everything at the end, in order.
 */
export class PipelinedWriter {
  private buffer: WriteItem[] = [];
  private load = [0, 0, 0];
  private readonly order: WriteItem[] = [];
  private readonly results = new Map<WriteItem, WriteOutcome>();
  private readonly queue: Chunk[] = [];
  private freeBuffer: Continued[] = [];
  private running = 0;
  private failure: unknown;
  private waiters: { ready: () => boolean; resolve: () => void }[] = [];
  private readonly cache: ReadBackCache;

  constructor(
    private readonly database: Database,
    private readonly client: BbClient,
    private readonly options: WriterOptions,
  ) {
    this.cache = options.cache ?? newReadBackCache();
  }

  add(item: WriteItem): void {
    if (!this.options.onSettled) this.order.push(item);
    if (!this.options.batch) {
      this.buffer.push(item);
      return;
    }
    const l = loadOf(item);
    if (this.buffer.length && this.load.some((v, i) => v + l[i]! > CHUNK)) this.cut();
    this.buffer.push(item);
    this.load = this.load.map((v, i) => v + l[i]!);
  }

  /** A chunk failed (BB down after the client's own retries): nothing more is sent, `finish()` throws. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Resolves when the writer can take more without holding more than a few chunks in waiting. */
  room(): Promise<void> {
    return this.until(() => this.queue.length < CHUNKS_QUEUED || this.failure !== undefined);
  }

  private cut(): void {
    if (!this.buffer.length) return;
    this.queue.push({ items: this.buffer });
    this.buffer = [];
    this.load = [0, 0, 0];
    this.pump();
  }

  private cutFree(): void {
    if (!this.freeBuffer.length) return;
    this.queue.push({ items: this.freeBuffer.map((x) => ({ ...x.origin, initial: x.first.state })), continues: this.freeBuffer });
    this.freeBuffer = [];
    this.pump();
  }

  private settled(item: WriteItem, outcome: WriteOutcome): void {
    if (this.options.onSettled) this.options.onSettled(item, outcome);
    else this.results.set(item, outcome);
  }

  private settle(chunk: Chunk, outcomes: WriteOutcome[]): void {
    chunk.items.forEach((item, i) => {
      const outcome = outcomes[i]!;
      const continued = chunk.continues?.[i];
      if (continued) {
        this.settled(continued.origin, outcome.ok ? { ...continued.first, state: outcome.state } : outcome);
        return;
      }
      if (this.options.batch && outcome.ok && needsFree(item.plan, outcome.state)) {
        this.freeBuffer.push({ origin: item, first: outcome });
        if (this.freeBuffer.reduce((a, x) => a + x.origin.plan.freePostings.length, 0) >= CHUNK) this.cutFree();
        return;
      }
      this.settled(item, outcome);
    });
  }

  private pump(): void {
    while (this.running < CHUNKS_IN_FLIGHT && this.queue.length && this.failure === undefined) {
      const chunk = this.queue.shift()!;
      this.running++;
      void writeChunk(this.database, this.client, chunk.items, { ...this.options, cache: this.cache, deferFree: this.options.batch && !chunk.continues })
        .then((outcomes) => this.settle(chunk, outcomes))
        .catch((e: unknown) => {
          this.failure ??= e;
        })
        .finally(() => {
          this.running--;
          this.pump();
          this.waiters = this.waiters.filter((w) => (w.ready() ? (w.resolve(), false) : true));
        });
    }
  }

  private until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ ready, resolve }));
  }

  /**
   * Nothing in flight, even after a failure: a chunk still writing when the step gives up would race the step's
   * retry for the same sales (both posting one receipt).
   */
  private drained(): Promise<void> {
    return this.until(() => this.running === 0 && (this.queue.length === 0 || this.failure !== undefined));
  }

  /** Batch mode: writes everything added so far, partial chunks and collected gift-card postings included. */
  async flush(): Promise<void> {
    this.cut();
    await this.drained();
    if (this.failure === undefined) {
      this.cutFree();
      await this.drained();
    }
    if (this.failure !== undefined) throw this.failure;
  }

  async finish(): Promise<WriteOutcome[]> {
    if (!this.options.batch) {
      const items = this.buffer;
      this.buffer = [];
      const outcomes = items.length ? await writeChunk(this.database, this.client, items, { ...this.options, cache: this.cache, deferFree: false }) : [];
      items.forEach((item, i) => this.settled(item, outcomes[i]!));
    } else await this.flush();
    return this.order.map((item) => this.results.get(item)!);
  }
}

/** The write in order: a phase sees what the phases before it saved (ids, postings) and skips failed records. */
const PHASES: WritePhase[] = [receipts, comments, receiptPostings, tenders, assignments, tenderPostings, giftCardPostings, giftCardAssignments];

async function writeChunk(database: Database, client: BbClient, items: WriteItem[], options: ChunkOptions): Promise<WriteOutcome[]> {
  const run = new ChunkRun(database, client, items, options);
  for (const phase of PHASES) await phase.run(run);
  return run.outcomes();
}

/** One plan, with single calls (steady state). Throws the plan's error. */
export async function writeBooking(
  database: Database,
  client: BbClient,
  target: WriteItem["target"],
  plan: BookingPlan,
  initial: WriteState | undefined,
  options: { comment: boolean },
): Promise<{ state: WriteState; created: boolean; adopted: boolean }> {
  const [r] = await writeBookings(database, client, [{ target, plan, initial }], { batch: false, comment: options.comment });
  if (!r!.ok) throw r!.error;
  return r!;
}
