import type { BatchOutcome, BbClient, BbPosting } from "../../../buchhaltungsbutler";
import type { Database } from "../../../db";
import { toAppError } from "../../../errors/app-error";
import { saveLinks, type LinkEntity } from "../../links";
import type { ChunkOptions, Work, WriteItem, WriteOutcome } from "./types";

/**
 * A phase with only a few items goes out as single calls: each costs one call of the minute's budget but does not
 * occupy the batch endpoint's 5-second slot that full chunks are queuing for.
 */
const SINGLES_BELOW = 4;

/** The first and last of some dates: one listing covers a chunk's days. */
export function range(dates: string[]): { dateFrom: string; dateTo: string } {
  const sorted = [...dates].sort();
  return { dateFrom: sorted[0]!, dateTo: sorted[sorted.length - 1]! };
}

/**
 * One chunk on its way through the phases: the records, what of them is still to be saved in their links, and
 * the listings the phases share.
 */
export class ChunkRun {
  readonly work: Work[];
  // Changed records are saved together after each step of the write (one statement, not one per record).
  private readonly dirty = new Map<Work, string>();
  // With the date range it was taken for: a phase whose records lie outside it must not read "not there" from it.
  private postingsCache: { dateFrom: string; dateTo: string; rows: BbPosting[] } | null = null;

  constructor(
    readonly database: Database,
    readonly client: BbClient,
    items: WriteItem[],
    readonly options: ChunkOptions,
  ) {
    this.work = items.map((item) => ({
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
  }

  /** The records no phase has failed yet. */
  live(): Work[] {
    return this.work.filter((w) => !w.error);
  }

  fail(w: Work, e: unknown): void {
    w.error = toAppError(e);
  }

  async persist(w: Work, step: string): Promise<void> {
    this.dirty.set(w, step);
    // Single calls are saved one by one; a batch phase is saved once it is through.
    if (!this.options.batch) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.dirty.size) return;
    const byTarget = new Map<string, { tenantId: string; entity: LinkEntity; rows: { sourceId: string; update: { step: string; targetIds: Record<string, unknown> } }[] }>();
    for (const [w, step] of this.dirty) {
      const k = `${w.item.target.tenantId}|${w.item.target.entity}`;
      const g = byTarget.get(k) ?? { tenantId: w.item.target.tenantId, entity: w.item.target.entity, rows: [] };
      g.rows.push({ sourceId: w.item.target.sourceId, update: { step, targetIds: { ...w.state } } });
      byTarget.set(k, g);
    }
    this.dirty.clear();
    for (const g of byTarget.values()) await saveLinks(this.database, g.tenantId, g.entity, g.rows);
  }

  /** Marks writes as intended, saved before any of them is sent: a crash in between is then visible on resume. */
  async intend(marks: { w: Work; intent: string }[]): Promise<void> {
    for (const { w, intent } of marks) {
      w.state.intents = [...new Set([...(w.state.intents ?? []), intent])];
      this.dirty.set(w, "sending");
    }
    await this.flush();
  }

  done(w: Work, intent: string): void {
    w.state.intents = (w.state.intents ?? []).filter((i) => i !== intent);
  }

  /**
   * Postings already in BB for records that died mid-write: one listing per chunk, shared by the phases that
   * need it, and only taken when some record has such a mark. A later phase reuses the listing only when its
   * dates lie inside the range the listing covers; otherwise it takes a listing of its own range (one phase's
   * records are not another's: a resume may need receipt postings on one day and payment postings on another).
   */
  async postingsOf(ws: Work[]): Promise<BbPosting[]> {
    // Deposits are posted on the days they were paid, before the plan's day.
    const wanted = range(ws.flatMap((w) => [w.item.plan.date, ...w.item.plan.tenders.map((t) => t.bookingDate.slice(0, 10))]));
    const cached = this.postingsCache;
    if (cached && cached.dateFrom <= wanted.dateFrom && wanted.dateTo <= cached.dateTo) return cached.rows;
    this.postingsCache = { ...wanted, rows: await this.client.getPostings(wanted) };
    return this.postingsCache.rows;
  }

  /**
   * What each record came to. A transient failure (BB down after the client's own retries) is the job runner's to
   * retry: everything done so far is saved in the links, so the retry resumes. Only permanent per-record problems
   * are returned.
   */
  outcomes(): WriteOutcome[] {
    const transient = this.work.find((w) => w.error && (w.error.kind === "retryable" || w.error.kind === "internal"));
    if (transient) throw transient.error;
    return this.work.map((w) =>
      w.error ? { ok: false, state: w.state, error: w.error } : { ok: true, state: w.state, created: w.created, adopted: !!w.state.adoptedReceipt && !w.created },
    );
  }
}

/**
 * One step of the write, declared: what it needs, how it reads back, its intent, its sends and what success
 * records. `X` is one thing to write (a record, or one of its tenders or gift-card postings), `I` what BB is sent
 * for it, `R` what BB answers.
 */
export interface Phase<X extends { w: Work }, I, R> {
  name: string;
  /** Off for this chunk (comments outside polls, gift cards collected for a later chunk). */
  skip?: (options: ChunkOptions) => boolean;
  /** What is still to be written, among the records not failed so far. */
  need: (live: Work[]) => X[];
  /**
   * Marks the write before it is sent, for writes whose effect is expensive to list: only a record that died with
   * the mark is read back on resume.
   */
  intent?: (x: X) => string;
  /** Which of `need` may already be in BB; default: those with the intent mark, or all when there is no intent. */
  unsure?: (x: X) => boolean;
  /**
   * BB's word on the unsure ones (`need` for listings that cover the chunk): those already there, with what to
   * record for them. May fail a record whose BB state conflicts with the plan.
   */
  readBack?: (unsure: X[], need: X[], run: ChunkRun) => Promise<Map<X, R>>;
  input: (x: X, run: ChunkRun) => I | Promise<I>;
  /** BB's batch endpoint, when it has one (≤ 50 items, one result per item in order). */
  sendBatch?: (client: BbClient, inputs: I[]) => Promise<BatchOutcome<R>>;
  sendOne: (client: BbClient, input: I) => Promise<R>;
  /** Success, whether BB confirmed a send (`found` false) or already had it. */
  record: (x: X, result: R, found: boolean) => void;
  /** The link's step once `x` is written. */
  step: (x: X) => string;
}

/** Read-back result for writes that answer nothing: these are already in BB. */
export function alreadyThere<X>(xs: X[]): Map<X, void> {
  return new Map(xs.map((x) => [x, undefined]));
}

export interface WritePhase {
  name: string;
  run: (run: ChunkRun) => Promise<void>;
}

/** A phase the chunk writer can run in its list, whatever it writes. */
export function definePhase<X extends { w: Work }, I, R>(phase: Phase<X, I, R>): WritePhase {
  return { name: phase.name, run: (run) => runPhase(phase, run) };
}

/**
 * The one place that owns the write protocol: read back what may be there, mark the intent, send as one batch
 * call or as single calls, record and save each success, fail each record BB refused. A batch call that throws
 * (BB down) ends the chunk; a single call that throws fails only its record.
 */
export async function runPhase<X extends { w: Work }, I, R>(phase: Phase<X, I, R>, run: ChunkRun): Promise<void> {
  if (phase.skip?.(run.options)) return;
  const need = phase.need(run.live());
  if (!need.length) return;
  const { intent } = phase;
  const record = (x: X, result: R, found: boolean) => {
    phase.record(x, result, found);
    if (intent) run.done(x.w, intent(x));
  };

  const unsure = need.filter((x) => (phase.unsure ? phase.unsure(x) : intent ? !!x.w.state.intents?.includes(intent(x)) : true));
  const found = unsure.length && phase.readBack ? await phase.readBack(unsure, need, run) : new Map<X, R>();
  for (const [x, result] of found) {
    record(x, result, true);
    await run.persist(x.w, phase.step(x));
  }

  const send = need.filter((x) => !found.has(x) && !x.w.error);
  if (intent && send.length) await run.intend(send.map((x) => ({ w: x.w, intent: intent(x) })));
  const inputs = await Promise.all(send.map((x) => phase.input(x, run)));
  if (phase.sendBatch && run.options.batch && send.length >= SINGLES_BELOW) {
    const outcome = await phase.sendBatch(run.client, inputs);
    for (let i = 0; i < send.length; i++) {
      const x = send[i]!;
      const r = outcome.results[i]!;
      if (r.ok) record(x, r.value, false);
      else run.fail(x.w, r.error);
      await run.persist(x.w, phase.step(x));
    }
  } else {
    for (let i = 0; i < send.length; i++) {
      const x = send[i]!;
      // A record with several items here (tenders) stops at its first failure.
      if (x.w.error) continue;
      try {
        record(x, await phase.sendOne(run.client, inputs[i]!), false);
        await run.persist(x.w, phase.step(x));
        // A write nothing can look up on resume (a comment) is saved the moment BB took it, also in batch mode:
        // a process killed later in the phase would otherwise send it again.
        if (!phase.readBack && !intent) await run.flush();
      } catch (e) {
        run.fail(x.w, e);
      }
    }
  }
  await run.flush();
}
