import type { BbClient, BbPosting, BatchOutcome } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import { AppError, toAppError } from "../../errors/app-error";
import type { Cents } from "../../money";
import { saveLinks, type LinkEntity } from "../links";
import type { BookingPlan, PlannedPostingLine } from "./booking-plan";

/**
 * Executes booking plans against BuchhaltungsButler exactly once. BB has no idempotency key, so:
 *  - every id is saved in sync_links the moment it exists;
 *  - before creating a receipt or a payment we look for it in BB (by invoice number, by purpose + date +
 *    amount) — one lookup per record in steady state, one listing per date range for a batch;
 *  - a write whose effect cannot be listed cheaply (postings, assignments) is marked as intended in the link
 *    first; only a record that died with such a mark is checked in BB before the write is repeated;
 *  - a timeout or 5xx during a write is read back by the client before anything is sent again.
 * Backfills use BB's batch endpoints (≤ 50 items per call); polls use single calls.
 */
export interface WriteState {
  invoiceNumber: string;
  receiptId?: string;
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

interface Work {
  item: WriteItem;
  state: WriteState;
  created: boolean;
  error?: AppError;
}

function postingLines(lines: PlannedPostingLine[]) {
  return lines.map((l) => ({ account: l.account, text: l.text, vat: l.vat, amount: l.amount }));
}

function range(dates: string[]): { dateFrom: string; dateTo: string } {
  const sorted = [...dates].sort();
  return { dateFrom: sorted[0]!, dateTo: sorted[sorted.length - 1]! };
}

/** Listings of what BB already holds, shared by the chunks of one write (one listing per date range). */
export interface ReadBackCache {
  receipts: Map<string, Promise<Map<string, { id: string; amount: Cents }[]>>>;
  transactions: Map<string, Promise<Map<string, string>>>;
}

export function newReadBackCache(): ReadBackCache {
  return { receipts: new Map(), transactions: new Map() };
}

/** BB allows one call per 5 s on each batch endpoint; this many chunks in flight keep every endpoint busy. */
const CHUNKS_IN_FLIGHT = 10;
/** BB's limit of items per batch call. */
const CHUNK = 50;
const SINGLES_BELOW = 4;

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

async function writeChunk(
  database: Database,
  client: BbClient,
  items: WriteItem[],
  options: { batch: boolean; comment: boolean; cache: ReadBackCache; deferFree: boolean },
): Promise<WriteOutcome[]> {
  const work: Work[] = items.map((item) => ({
    item,
    created: false,
    state: {
      ...(item.initial ?? {}),
      invoiceNumber: item.plan.invoiceNumber,
      tenders: { ...(item.initial?.tenders ?? {}) },
      free: { ...(item.initial?.free ?? {}) },
      intents: [...(item.initial?.intents ?? [])],
    },
  }));
  const live = () => work.filter((w) => !w.error);
  // A phase with only a few items goes out as single calls: each costs one call of the minute's budget but
  // does not occupy the batch endpoint's 5-second slot that full chunks are queuing for.
  const asBatch = (n: number) => options.batch && n >= SINGLES_BELOW;
  // Changed records are saved together after each step of the write (one statement, not one per record).
  const dirty = new Map<Work, string>();
  const flush = async () => {
    if (!dirty.size) return;
    const byTarget = new Map<string, { tenantId: string; entity: LinkEntity; rows: { sourceId: string; update: { step: string; targetIds: Record<string, unknown> } }[] }>();
    for (const [w, step] of dirty) {
      const k = `${w.item.target.tenantId}|${w.item.target.entity}`;
      const g = byTarget.get(k) ?? { tenantId: w.item.target.tenantId, entity: w.item.target.entity, rows: [] };
      g.rows.push({ sourceId: w.item.target.sourceId, update: { step, targetIds: { ...w.state } } });
      byTarget.set(k, g);
    }
    dirty.clear();
    for (const g of byTarget.values()) await saveLinks(database, g.tenantId, g.entity, g.rows);
  };
  const fail = (w: Work, e: unknown) => {
    w.error = toAppError(e);
  };
  /** Marks writes as intended before sending them: a crash in between is then visible on resume. */
  const persist = async (w: Work, step: string) => {
    dirty.set(w, step);
    // Single calls are saved one by one; a batch phase is saved once it is through (see flush below).
    if (!options.batch) await flush();
  };
  const intend = async (ws: Work[], key: (w: Work) => string[]) => {
    for (const w of ws) {
      w.state.intents = [...new Set([...(w.state.intents ?? []), ...key(w)])];
      await persist(w, "sending");
    }
    await flush();
  };
  const done = (w: Work, intent: string) => {
    w.state.intents = (w.state.intents ?? []).filter((i) => i !== intent);
  };
  const applyBatch = async <T>(ws: Work[], outcome: BatchOutcome<T>, onOk: (w: Work, value: T, i: number) => void, step: string) => {
    for (let i = 0; i < ws.length; i++) {
      const r = outcome.results[i]!;
      if (r.ok) onOk(ws[i]!, r.value, i);
      else fail(ws[i]!, r.error);
      await persist(ws[i]!, step);
    }
  };

  // 1. Receipts: adopt what BB already has under our invoice number, create the rest.
  const needReceipt = live().filter((w) => w.item.plan.receipt && !w.state.receiptId);
  if (needReceipt.length) {
    const existing = new Map<string, { id: string; amount: Cents }[]>();
    if (options.batch) {
      // One listing per business day, shared by every chunk of this write.
      for (const day of [...new Set(needReceipt.map((w) => w.item.plan.date))]) {
        let listing = options.cache.receipts.get(day);
        if (!listing) {
          listing = client.getReceipts({ direction: "outbound", dateFrom: day, dateTo: day }).then((rows) => {
            const m = new Map<string, { id: string; amount: Cents }[]>();
            for (const x of rows) if (!x.deleted) m.set(x.invoiceNumber, [...(m.get(x.invoiceNumber) ?? []), { id: x.id, amount: x.amount }]);
            return m;
          });
          options.cache.receipts.set(day, listing);
        }
        for (const [k, v] of await listing) existing.set(k, [...(existing.get(k) ?? []), ...v]);
      }
    } else {
      for (const w of needReceipt) {
        const r = await client.findReceiptByInvoiceNumber(w.item.plan.invoiceNumber, "outbound");
        if (r) existing.set(r.invoiceNumber, [{ id: r.id, amount: r.amount }]);
      }
    }
    const toCreate: Work[] = [];
    for (const w of needReceipt) {
      const hit = existing.get(w.item.plan.invoiceNumber)?.[0];
      const amount = w.item.plan.receipt!.amount;
      if (!hit) toCreate.push(w);
      else if (hit.amount !== amount) {
        fail(
          w,
          new AppError("UPSTREAM_REJECTED", {
            detail: `BuchhaltungsButler already has a receipt with invoice number ${w.item.plan.invoiceNumber} for ${(hit.amount / 100).toFixed(2)} €, but this record is ${(amount / 100).toFixed(2)} €`,
            fixHint: "Check that receipt in BuchhaltungsButler; delete it if it is wrong, then retry.",
            context: { receiptId: hit.id, dedupeKey: `receipt-conflict:${w.item.plan.invoiceNumber}` },
          }),
        );
      } else {
        w.state.receiptId = hit.id;
        w.state.adoptedReceipt = true;
        await persist(w, "receipt");
      }
    }
    const inputs = await Promise.all(
      toCreate.map(async (w) => {
        const p = w.item.plan;
        const linkTo = p.receipt!.linkToSaleId ? await linkedReceiptId(database, w.item.target.tenantId, p.receipt!.linkToSaleId) : null;
        return {
          type: "invoice outbound" as const,
          counterparty: p.debtor.name,
          invoiceNumber: p.invoiceNumber,
          date: p.date,
          amount: p.receipt!.amount,
          currency: "EUR",
          creditorDebtor: p.debtor.number,
          ...(p.receipt!.dueDate ? { dueDate: p.receipt!.dueDate } : {}),
          ...(linkTo ? { linkToReceiptId: linkTo } : {}),
        };
      }),
    );
    if (asBatch(toCreate.length)) {
      await applyBatch(
        toCreate,
        await client.addReceipts(inputs),
        (w, v) => {
          w.state.receiptId = v.id;
          w.created = true;
        },
        "receipt",
      );
    } else {
      for (let i = 0; i < toCreate.length; i++) {
        const w = toCreate[i]!;
        try {
          w.state.receiptId = (await client.addReceipt(inputs[i]!)).id;
          w.created = true;
          await persist(w, "receipt");
        } catch (e) {
          fail(w, e);
        }
      }
    }
  }

  await flush();

  // 2. A comment naming the Lightspeed record (polls only: backfills stay within BB's 100 calls a minute).
  if (options.comment) {
    for (const w of live().filter((x) => x.item.plan.receipt && x.state.receiptId && !x.state.commented)) {
      try {
        await client.addComment({ receiptId: w.state.receiptId!, text: w.item.plan.comment.slice(0, 210) });
        w.state.commented = true;
        await persist(w, "comment");
      } catch (e) {
        fail(w, e);
      }
    }
  }

  await flush();

  // Postings already in BB for records that died mid-write (only looked up when some record has such a mark).
  let postingsCache: BbPosting[] | null = null;
  const postingsOf = async (ws: Work[]): Promise<BbPosting[]> => {
    postingsCache ??= await client.getPostings(range(ws.map((w) => w.item.plan.date)));
    return postingsCache;
  };
  const uncertain = (ws: Work[], intent: (w: Work) => string) => ws.filter((w) => w.state.intents?.includes(intent(w)));

  // 3. Revenue postings on the receipts.
  {
    const need = live().filter((w) => w.item.plan.receipt && w.state.receiptId && !w.state.receiptPosted);
    const unsure = uncertain(need, () => "receipt_posting");
    if (unsure.length) {
      const posted = new Set((await postingsOf(need)).filter((p) => p.receiptId && !p.transactionId).map((p) => p.receiptId));
      for (const w of unsure) {
        if (!posted.has(w.state.receiptId!)) continue;
        w.state.receiptPosted = true;
        done(w, "receipt_posting");
        await persist(w, "receipt_posted");
      }
    }
    const send = need.filter((w) => !w.state.receiptPosted);
    await intend(send, () => ["receipt_posting"]);
    const inputs = send.map((w) => ({ receiptId: w.state.receiptId!, date: w.item.plan.date, debtor: w.item.plan.debtor.number, lines: postingLines(w.item.plan.receipt!.lines) }));
    const ok = (w: Work) => {
      w.state.receiptPosted = true;
      done(w, "receipt_posting");
    };
    if (asBatch(send.length)) await applyBatch(send, await client.postReceipts(inputs), ok, "receipt_posted");
    else
      for (let i = 0; i < send.length; i++) {
        try {
          await client.postReceipt(inputs[i]!);
          ok(send[i]!);
          await persist(send[i]!, "receipt_posted");
        } catch (e) {
          fail(send[i]!, e);
        }
      }
  }

  await flush();

  // 4. Payments: find or create one transaction per tender.
  {
    type T = { w: Work; key: string };
    const need: T[] = live().flatMap((w) => w.item.plan.tenders.filter((t) => !w.state.tenders![t.key]?.transactionId).map((t) => ({ w, key: t.key })));
    const tender = (x: T) => x.w.item.plan.tenders.find((t) => t.key === x.key)!;
    if (need.length) {
      const found = new Map<string, string>();
      const sig = (purpose: string, date: string, amount: number, account: number) => `${purpose}|${date}|${amount}|${account}`;
      // A payment can only be in BB already if this record was written before (a run that died before saving the
      // id) or its receipt was found there. A record this write meets for the first time has nothing to look up:
      // an uncertain answer to our own call is read back by the client before it returns.
      const lookup = need.filter((x) => x.w.item.initial !== undefined || x.w.state.adoptedReceipt);
      if (options.batch) {
        const accounts = [...new Set(lookup.map((x) => tender(x).account))];
        const days = [...new Set(lookup.map((x) => x.w.item.plan.date))];
        for (const account of accounts) {
          for (const day of days) {
            const key = `${account}|${day}`;
            let listing = options.cache.transactions.get(key);
            if (!listing) {
              listing = client.getTransactions({ account, dateFrom: day, dateTo: day }).then((rows) => new Map(rows.map((t) => [sig(t.purpose, t.bookingDate.slice(0, 10), t.amount, account), t.id])));
              options.cache.transactions.set(key, listing);
            }
            for (const [k, v] of await listing) found.set(k, v);
          }
        }
      } else {
        for (const x of lookup) {
          const t = tender(x);
          const hit = await client.findTransaction({ purpose: t.purpose, date: x.w.item.plan.date, amount: t.amount, account: t.account });
          if (hit) found.set(sig(t.purpose, x.w.item.plan.date, t.amount, t.account), hit.id);
        }
      }
      const toCreate: T[] = [];
      for (const x of need) {
        const t = tender(x);
        const id = found.get(sig(t.purpose, x.w.item.plan.date, t.amount, t.account));
        if (id) {
          x.w.state.tenders![x.key] = { ...x.w.state.tenders![x.key], transactionId: id };
          await persist(x.w, `tender_${x.key}`);
        } else toCreate.push(x);
      }
      const inputs = toCreate.map((x) => {
        const t = tender(x);
        return { account: t.account, toFrom: x.w.item.plan.debtor.name, amount: t.amount, bookingDate: t.bookingDate, purpose: t.purpose, bookingText: t.bookingText };
      });
      if (asBatch(toCreate.length)) {
        const outcome = await client.addTransactions(inputs);
        for (let i = 0; i < toCreate.length; i++) {
          const x = toCreate[i]!;
          const r = outcome.results[i]!;
          if (r.ok) x.w.state.tenders![x.key] = { ...x.w.state.tenders![x.key], transactionId: r.value.id };
          else fail(x.w, r.error);
          await persist(x.w, `tender_${x.key}`);
        }
      } else {
        for (let i = 0; i < toCreate.length; i++) {
          const x = toCreate[i]!;
          if (x.w.error) continue;
          try {
            const id = (await client.addTransaction(inputs[i]!)).id;
            x.w.state.tenders![x.key] = { ...x.w.state.tenders![x.key], transactionId: id };
            await persist(x.w, `tender_${x.key}`);
          } catch (e) {
            fail(x.w, e);
          }
        }
      }
    }
  }

  await flush();

  // 5. Assign each payment to its receipt (open-item matching in BB).
  {
    const need = live().flatMap((w) =>
      w.item.plan.receipt && w.state.receiptId ? w.item.plan.tenders.filter((t) => w.state.tenders![t.key]?.transactionId && !w.state.tenders![t.key]?.assigned).map((t) => ({ w, key: t.key })) : [],
    );
    for (const x of need.filter((n) => n.w.state.intents?.includes(`assign_${n.key}`))) {
      const tx = x.w.state.tenders![x.key]!.transactionId!;
      if ((await client.getAssignedReceipts(tx)).includes(x.w.state.receiptId!)) {
        x.w.state.tenders![x.key]!.assigned = true;
        done(x.w, `assign_${x.key}`);
      }
    }
    const send = need.filter((x) => !x.w.state.tenders![x.key]!.assigned);
    for (const x of send) await intend([x.w], () => [`assign_${x.key}`]);
    const pairs = send.map((x) => ({ transactionId: x.w.state.tenders![x.key]!.transactionId!, receiptId: x.w.state.receiptId! }));
    const ok = (x: (typeof send)[number]) => {
      x.w.state.tenders![x.key]!.assigned = true;
      done(x.w, `assign_${x.key}`);
    };
    if (asBatch(send.length)) {
      const outcome = await client.assignTransactionsToReceipts(pairs);
      for (let i = 0; i < send.length; i++) {
        const r = outcome.results[i]!;
        if (r.ok) ok(send[i]!);
        else fail(send[i]!.w, r.error);
        await persist(send[i]!.w, `tender_${send[i]!.key}_assigned`);
      }
    } else {
      for (let i = 0; i < send.length; i++) {
        if (send[i]!.w.error) continue;
        try {
          await client.assignTransactionToReceipt(pairs[i]!.transactionId, pairs[i]!.receiptId);
          ok(send[i]!);
          await persist(send[i]!.w, `tender_${send[i]!.key}_assigned`);
        } catch (e) {
          fail(send[i]!.w, e);
        }
      }
    }
  }

  await flush();

  // 6. Post each payment against the debtor (and tips), clearing the receipt.
  {
    const need = live().flatMap((w) => w.item.plan.tenders.filter((t) => w.state.tenders![t.key]?.transactionId && !w.state.tenders![t.key]?.posted).map((t) => ({ w, t })));
    const unsure = need.filter((x) => x.w.state.intents?.includes(`post_${x.t.key}`));
    if (unsure.length) {
      const posted = new Set((await postingsOf(need.map((x) => x.w))).map((p) => p.transactionId).filter(Boolean));
      for (const x of unsure) {
        if (!posted.has(x.w.state.tenders![x.t.key]!.transactionId!)) continue;
        x.w.state.tenders![x.t.key]!.posted = true;
        done(x.w, `post_${x.t.key}`);
      }
    }
    const send = need.filter((x) => !x.w.state.tenders![x.t.key]!.posted && !x.w.error);
    for (const x of send) await intend([x.w], () => [`post_${x.t.key}`]);
    const inputs = send.map((x) => ({
      transactionId: x.w.state.tenders![x.t.key]!.transactionId!,
      date: x.w.item.plan.date,
      lines: postingLines(x.t.lines),
      openItemReceiptIds: x.t.lines.map((l) => (l.clearsReceipt && x.w.state.receiptId ? x.w.state.receiptId : null)),
    }));
    const ok = (x: (typeof send)[number]) => {
      x.w.state.tenders![x.t.key]!.posted = true;
      done(x.w, `post_${x.t.key}`);
    };
    if (asBatch(send.length)) {
      const outcome = await client.postTransactions(inputs);
      for (let i = 0; i < send.length; i++) {
        const r = outcome.results[i]!;
        if (r.ok) ok(send[i]!);
        else fail(send[i]!.w, r.error);
        await persist(send[i]!.w, `tender_${send[i]!.t.key}_posted`);
      }
    } else {
      for (let i = 0; i < send.length; i++) {
        if (send[i]!.w.error) continue;
        try {
          await client.postTransaction(inputs[i]!);
          ok(send[i]!);
          await persist(send[i]!.w, `tender_${send[i]!.t.key}_posted`);
        } catch (e) {
          fail(send[i]!.w, e);
        }
      }
    }
  }

  await flush();

  // 7. Gift-card value between the debtor and the liability, then assigned to the receipt it settles.
  // Only free postings are listed here ("free booking"), so a listing over a few days stays one call.
  const freeListing = (ws: Work[]) => client.getPostings({ ...range(ws.map((w) => w.item.plan.date)), account: ["free booking"] });
  if (!options.deferFree) {
    const need = live().flatMap((w) => w.item.plan.freePostings.filter((f) => !w.state.free![f.key]?.posted).map((f) => ({ w, f })));
    const matches = (p: BbPosting, x: (typeof need)[number]) =>
      p.date === x.f.date && p.text === x.f.text && p.amount === x.f.amount && p.debitAccount === x.f.debitAccount && p.creditAccount === x.f.creditAccount && !p.receiptId && !p.transactionId;
    const unsure = need.filter((x) => x.w.state.intents?.includes(`free_${x.f.key}`));
    if (unsure.length) {
      const postings = await freeListing(unsure.map((x) => x.w));
      for (const x of unsure) {
        if (!postings.some((p) => matches(p, x))) continue;
        x.w.state.free![x.f.key] = { posted: true };
        done(x.w, `free_${x.f.key}`);
      }
    }
    const send = need.filter((x) => !x.w.state.free![x.f.key]?.posted && !x.w.error);
    for (const x of send) await intend([x.w], () => [`free_${x.f.key}`]);
    const inputs = send.map((x) => ({ date: x.f.date, text: x.f.text, amount: x.f.amount, debitAccount: x.f.debitAccount, creditAccount: x.f.creditAccount, vat: x.f.vat }));
    const ok = (x: (typeof send)[number]) => {
      x.w.state.free![x.f.key] = { posted: true };
      done(x.w, `free_${x.f.key}`);
    };
    if (asBatch(send.length)) {
      const outcome = await client.addFreePostings(inputs);
      for (let i = 0; i < send.length; i++) {
        const r = outcome.results[i]!;
        if (r.ok) ok(send[i]!);
        else fail(send[i]!.w, r.error);
        await persist(send[i]!.w, `free_${send[i]!.f.key}`);
      }
    } else {
      for (let i = 0; i < send.length; i++) {
        try {
          await client.addFreePosting(inputs[i]!);
          ok(send[i]!);
          await persist(send[i]!.w, `free_${send[i]!.f.key}`);
        } catch (e) {
          fail(send[i]!.w, e);
        }
      }
    }
    // Assigning needs the posting's id, which BB only tells through a listing; there is no batch endpoint for it.
    const toAssign = live().flatMap((w) => w.item.plan.freePostings.filter((f) => f.clearsReceipt && w.state.receiptId && w.state.free![f.key]?.posted && !w.state.free![f.key]?.assigned).map((f) => ({ w, f })));
    if (toAssign.length) {
      const postings = await freeListing(toAssign.map((x) => x.w));
      for (const x of toAssign) {
        const p = postings.find((q) => matches(q, x));
        if (!p) {
          // Posted (we have BB's word for it) but not listed: the open item would stay open with the link "done".
          fail(
            x.w,
            new AppError("UPSTREAM_REJECTED", {
              detail: `the gift-card posting “${x.f.text}” is in BuchhaltungsButler but could not be found to assign it to receipt ${x.w.state.receiptId}`,
              fixHint: "Retry the sale; if it fails again, assign the gift-card posting to the receipt in BuchhaltungsButler by hand.",
            }),
          );
          continue;
        }
        try {
          if (!p.assignedReceiptIds.includes(x.w.state.receiptId!)) await client.assignReceiptToFreePosting(x.w.state.receiptId!, p.id);
          x.w.state.free![x.f.key] = { posted: true, assigned: true };
          await persist(x.w, `free_${x.f.key}_assigned`);
        } catch (e) {
          fail(x.w, e);
        }
      }
    }
  }

  await flush();
  // A transient failure (BB down after the client's own retries) is the job runner's to retry: everything done so
  // far is saved in the links, so the retry resumes. Only permanent per-record problems are returned.
  const transient = work.find((w) => w.error && (w.error.kind === "retryable" || w.error.kind === "internal"));
  if (transient) throw transient.error;
  return work.map((w) =>
    w.error ? { ok: false, state: w.state, error: w.error } : { ok: true, state: w.state, created: w.created, adopted: !!w.state.adoptedReceipt && !w.created },
  );
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

/** The BB receipt of an earlier sale, for linking a refund to it. */
async function linkedReceiptId(database: Database, tenantId: string, saleId: string): Promise<string | null> {
  const row = await database
    .selectFrom("sync_links")
    .select("target_ids")
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where("source_id", "=", saleId)
    .executeTakeFirst();
  return (row?.target_ids as { receiptId?: string } | undefined)?.receiptId ?? null;
}
