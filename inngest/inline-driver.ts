import { randomUUID } from "node:crypto";
import { NonRetriableError, RetryAfterError } from "inngest";
import { parseCron, type CronSchedule } from "@/lib/cron";
import { cronTriggers, evaluateKey, eventNames, type AnyJobDefinition, type JobEvent, type JobStep } from "./define";
import { parseJobEvent } from "./to-inngest";

/**
 * Runs job definitions in-process for dev, the demo and CI, with the Inngest semantics the app relies on:
 * event dispatch to matching triggers, `step.run` memoised per run, per-step retries with exponential
 * backoff, `RetryAfterError` honoured, `NonRetriableError` not retried, `onFailure` after the last attempt,
 * concurrency limits per key, and cron triggers. It keeps no state across restarts: the flows themselves are
 * written to survive that (sync_links, cursors), exactly as they must under real Inngest.
 */
export interface InlineDriverOptions {
  definitions: AnyJobDefinition[];
  /** Delay before retry number `n` (1-based). Default: 1 s · 2^(n-1), ±20 % jitter, capped at 5 min. */
  backoffMs?: (retry: number) => number;
  /** Multiplies every sleep (backoff, RetryAfter, step.sleep); tests use a tiny factor. */
  timeScale?: number;
  onRunFinished?: (run: RunRecord) => void;
  logger?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /**
   * Where sent events wait until every run they started has ended. Without it a restart (deploy, Ctrl-C, crash)
   * loses work that was asked for but not done; with it the next start runs it again (the flows resume safely).
   */
  outbox?: InlineOutbox;
}

export interface InlineOutbox {
  /** Records an event; recording one that is there already is not an error (a resumed event). */
  add(event: JobEvent<unknown>): Promise<void>;
  remove(eventId: string): Promise<void>;
  /** Everything recorded and not yet done, oldest first. */
  pending(): Promise<JobEvent<unknown>[]>;
}

export type RunStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

export interface RunRecord {
  runId: string;
  functionId: string;
  event: JobEvent<unknown>;
  status: RunStatus;
  result?: unknown;
  error?: Error;
  /** Attempts per step id (1 = succeeded first time). Also `__handler__` for code outside steps. */
  attempts: Record<string, number>;
  startedAt?: number;
  finishedAt?: number;
  cancelRequested?: boolean;
}

class RunCancelledError extends Error {
  constructor() {
    super("run cancelled");
    this.name = "RunCancelledError";
  }
}

class StepExhaustedError extends Error {
  constructor(
    readonly stepId: string,
    readonly original: Error,
  ) {
    super(original.message, { cause: original });
    this.name = "StepError";
  }
}

class Semaphore {
  private active = 0;
  private waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
  get idle(): boolean {
    return this.active === 0 && this.waiters.length === 0;
  }
}

function parseDuration(d: string | number): number {
  if (typeof d === "number") return d;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(d.trim());
  if (!m) throw new Error(`invalid duration "${d}"`);
  const n = Number(m[1]);
  const unit = m[2] ?? "ms";
  return n * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
}

function retryAfterMs(err: RetryAfterError): number {
  const v = err.retryAfter;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? 1000 : Math.max(0, at - Date.now());
}

const defaultBackoff = (retry: number) => {
  const base = Math.min(300_000, 1_000 * 2 ** (retry - 1));
  return base * (0.8 + Math.random() * 0.4);
};

function jsonRoundTrip<T>(value: T): { value: T; bytes: number } {
  // Inngest serialises step results; emulating it here makes a Date-returning step fail in tests, not in prod.
  if (value === undefined) return { value, bytes: 0 };
  const json = JSON.stringify(value);
  return { value: JSON.parse(json) as T, bytes: Buffer.byteLength(json) };
}

export class InlineDriver {
  private readonly defs: AnyJobDefinition[];
  private readonly backoffMs: (retry: number) => number;
  private readonly timeScale: number;
  private readonly semaphores = new Map<string, Semaphore>();
  private readonly pending = new Set<Promise<void>>();
  private readonly seenEventIds = new Map<string, number>();
  private readonly crons: { def: AnyJobDefinition; schedule: CronSchedule }[] = [];
  private cronTimer: NodeJS.Timeout | undefined;
  private lastCronTick = 0;
  /** Runs still open per persisted event: the event leaves the outbox when the last one ends. */
  private readonly openRunsByEvent = new Map<string, number>();
  private closing = false;
  readonly runs = new Map<string, RunRecord>();
  /**
   * The largest step output and event payload seen, as serialised JSON bytes: Inngest refuses a step output over
   * 4 MB and an event over 256 KB (512 KB on paid plans), so benchmarks report these against the limits. And the
   * longest step attempt in wall-clock ms: on a serverless host a step is one request, ended at the host's limit.
   */
  readonly sizes = { maxStepOutputBytes: 0, maxEventBytes: 0, maxStepWallMs: 0 };

  constructor(private readonly options: InlineDriverOptions) {
    this.defs = options.definitions;
    this.backoffMs = options.backoffMs ?? defaultBackoff;
    this.timeScale = options.timeScale ?? 1;
    for (const def of this.defs) for (const c of cronTriggers(def)) this.crons.push({ def, schedule: parseCron(c) });
    const ids = new Set<string>();
    for (const def of this.defs) {
      if (ids.has(def.id)) throw new Error(`duplicate job id ${def.id}`);
      ids.add(def.id);
    }
  }

  /** Dispatches events to every definition with a matching trigger. Returns the started run ids. */
  async send(events: JobEvent<unknown> | JobEvent<unknown>[]): Promise<{ ids: string[]; runIds: string[] }> {
    const list = Array.isArray(events) ? events : [events];
    const ids: string[] = [];
    const runIds: string[] = [];
    for (const raw of list) {
      const event: JobEvent<unknown> = { ...raw, id: raw.id ?? randomUUID(), ts: raw.ts ?? Date.now(), data: raw.data ?? {} };
      const eventBytes = Buffer.byteLength(JSON.stringify(event));
      if (eventBytes > this.sizes.maxEventBytes) this.sizes.maxEventBytes = eventBytes;
      ids.push(event.id!);
      // Inngest dedupes events by id for 24 h; so do we.
      if (raw.id) {
        const seen = this.seenEventIds.get(raw.id);
        if (seen && Date.now() - seen < 86_400_000) continue;
        this.seenEventIds.set(raw.id, Date.now());
      }
      this.cancelMatching(event);
      const targets = this.defs.filter((def) => eventNames(def).includes(event.name));
      if (targets.length > 0 && this.options.outbox) await this.persist(event);
      // While shutting down, work is only recorded: the next start runs it.
      if (this.closing) continue;
      for (const def of targets) runIds.push(this.start(def, event));
    }
    return { ids, runIds };
  }

  private async persist(event: JobEvent<unknown>): Promise<void> {
    try {
      await this.options.outbox!.add(event);
      this.openRunsByEvent.set(event.id!, 0);
    } catch (e) {
      this.options.logger?.warn({ event: event.name, err: e }, "inline job event not persisted; it is lost if the process stops before it is done");
    }
  }

  /** Runs what an earlier process was asked to do and did not finish. */
  async resumeOutbox(): Promise<number> {
    if (!this.options.outbox) return 0;
    const left = await this.options.outbox.pending();
    if (left.length > 0) await this.send(left);
    return left.length;
  }

  /**
   * SIGTERM: no new runs start (events are still recorded), and running ones get up to `graceMs` to finish.
   * Whatever is not done by then stays in the outbox for the next start.
   */
  async shutdown(graceMs: number): Promise<{ unfinished: number }> {
    this.closing = true;
    this.stopCron();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    return { unfinished: this.pending.size };
  }

  private cancelMatching(event: JobEvent<unknown>): void {
    const read = (path: string, e: JobEvent<unknown>) => evaluateKey(`event.${path}`, e);
    for (const run of this.runs.values()) {
      if (run.status !== "queued" && run.status !== "running") continue;
      const def = this.defs.find((d) => d.id === run.functionId);
      for (const rule of def?.cancelOn ?? []) {
        if (rule.event === event.name && read(rule.match, event) !== "" && read(rule.match, event) === read(rule.match, run.event)) run.cancelRequested = true;
      }
    }
  }

  /** Invokes one definition directly and waits for its result (step.invoke and tests). */
  async invoke(def: AnyJobDefinition, data: Record<string, unknown>): Promise<RunRecord> {
    const runId = this.start(def, { name: "inngest/function.invoked", data, id: randomUUID(), ts: Date.now() });
    await this.waitForRun(runId);
    return this.runs.get(runId)!;
  }

  /** Resolves when nothing is queued or running, including runs started by runs. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async waitForRun(runId: string): Promise<RunRecord> {
    for (;;) {
      const run = this.runs.get(runId);
      if (!run) throw new Error(`unknown run ${runId}`);
      if (run.status === "completed" || run.status === "failed" || run.status === "cancelled") return run;
      await Promise.race([...this.pending]);
    }
  }

  /** Fires every cron trigger that matches the minute of `at`. */
  tickCron(at: Date = new Date()): string[] {
    const runIds: string[] = [];
    for (const { def, schedule } of this.crons) {
      if (schedule.matches(at)) {
        const event = { name: "inngest/scheduled.timer", data: { cron: schedule.source }, id: randomUUID(), ts: at.getTime() };
        runIds.push(this.start(def, event));
      }
    }
    return runIds;
  }

  /** Starts the cron scheduler: checks once per wall-clock minute. */
  startCron(): void {
    if (this.cronTimer || this.crons.length === 0) return;
    const check = () => {
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      if (minute !== this.lastCronTick) {
        this.lastCronTick = minute;
        this.tickCron(new Date(minute));
      }
    };
    this.lastCronTick = Math.floor(Date.now() / 60_000) * 60_000;
    this.cronTimer = setInterval(check, 1_000);
    this.cronTimer.unref();
  }

  stopCron(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = undefined;
  }

  private sleep(ms: number): Promise<void> {
    const scaled = Math.max(0, ms * this.timeScale);
    return new Promise((resolve) => setTimeout(resolve, scaled));
  }

  private start(def: AnyJobDefinition, event: JobEvent<unknown>): string {
    const runId = randomUUID();
    const record: RunRecord = { runId, functionId: def.id, event, status: "queued", attempts: {} };
    this.runs.set(runId, record);
    const eventId = event.id;
    const tracked = eventId !== undefined && this.openRunsByEvent.has(eventId);
    if (tracked) this.openRunsByEvent.set(eventId, this.openRunsByEvent.get(eventId)! + 1);
    const p = this.execute(def, record).finally(async () => {
      this.pending.delete(p);
      if (tracked) await this.runEnded(eventId);
      this.options.onRunFinished?.(record);
    });
    this.pending.add(p);
    return runId;
  }

  private async runEnded(eventId: string): Promise<void> {
    const open = (this.openRunsByEvent.get(eventId) ?? 1) - 1;
    if (open > 0) {
      this.openRunsByEvent.set(eventId, open);
      return;
    }
    this.openRunsByEvent.delete(eventId);
    await this.options.outbox!.remove(eventId).catch((e: unknown) => this.options.logger?.warn({ eventId, err: e }, "inline job event not removed from the outbox; it will run again after a restart"));
  }

  private semaphoresFor(def: AnyJobDefinition, event: JobEvent<unknown>): Semaphore[] {
    return (def.concurrency ?? []).map((rule, i) => {
      const key = `${def.id}#${i}#${rule.key ? evaluateKey(rule.key, event) : ""}`;
      let s = this.semaphores.get(key);
      if (!s) {
        s = new Semaphore(rule.limit);
        this.semaphores.set(key, s);
      }
      return s;
    });
  }

  private async execute(def: AnyJobDefinition, record: RunRecord): Promise<void> {
    const held = this.semaphoresFor(def, record.event);
    // Acquire in a fixed order so two rules can't deadlock each other.
    for (const s of held) await s.acquire();
    try {
      record.status = "running";
      record.startedAt = Date.now();
      const retries = def.retries ?? 3;
      const memo = new Map<string, unknown>();
      let handlerFailures = 0;

      for (;;) {
        const step = this.makeStep(memo, record, retries);
        try {
          const event = parseJobEvent(def, record.event);
          record.result = await def.handler({ event, step, runId: record.runId, attempt: handlerFailures });
          record.status = "completed";
          record.attempts.__handler__ = handlerFailures + 1;
          return;
        } catch (e) {
          if (e instanceof RunCancelledError || record.cancelRequested) {
            record.status = "cancelled";
            return;
          }
          const err = e instanceof Error ? e : new Error(String(e));
          // A step that used up its own retries fails the run: Inngest does not re-run the function for it.
          const final = err instanceof StepExhaustedError ? err.original : err;
          handlerFailures++;
          record.attempts.__handler__ = handlerFailures;
          if (err instanceof StepExhaustedError || final instanceof NonRetriableError || handlerFailures > retries) {
            await this.fail(def, record, final);
            return;
          }
          await this.sleep(final instanceof RetryAfterError ? retryAfterMs(final) : this.backoffMs(handlerFailures));
        }
      }
    } finally {
      record.finishedAt = Date.now();
      for (const s of held.reverse()) s.release();
      for (const [key, s] of this.semaphores) if (s.idle) this.semaphores.delete(key);
    }
  }

  private async fail(def: AnyJobDefinition, record: RunRecord, error: Error): Promise<void> {
    record.status = "failed";
    record.error = error;
    this.options.logger?.warn({ functionId: def.id, runId: record.runId, err: error }, "inline job failed");
    if (!def.onFailure) return;
    try {
      await def.onFailure({ event: record.event as JobEvent<never>, error, runId: record.runId, step: this.makeStep(new Map(), record, 0) });
    } catch (e) {
      this.options.logger?.error({ functionId: def.id, runId: record.runId, err: e }, "onFailure handler threw");
    }
  }

  private makeStep(memo: Map<string, unknown>, record: RunRecord, retries: number): JobStep {
    const seen = new Map<string, number>();
    // Repeated ids within one run get a suffix, as Inngest does, so loops of `step.run("page", …)` memoise per call.
    const uniqueId = (id: string) => {
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      return n === 0 ? id : `${id}:${n}`;
    };
    const run = async <T>(rawId: string, fn: () => Promise<T> | T): Promise<T> => {
      const id = uniqueId(rawId);
      if (memo.has(id)) return memo.get(id) as T;
      if (record.cancelRequested) throw new RunCancelledError();
      for (let failures = 0; ; ) {
        const started = Date.now();
        try {
          let output: T;
          try {
            output = await fn();
          } finally {
            // Failed attempts count too: a step a host cuts off at its limit is exactly the one to see.
            this.sizes.maxStepWallMs = Math.max(this.sizes.maxStepWallMs, Date.now() - started);
          }
          const { value, bytes } = jsonRoundTrip(output);
          if (bytes > this.sizes.maxStepOutputBytes) this.sizes.maxStepOutputBytes = bytes;
          memo.set(id, value);
          record.attempts[id] = failures + 1;
          return value;
        } catch (e) {
          const err = e instanceof Error ? e : new Error(String(e));
          failures++;
          record.attempts[id] = failures;
          if (err instanceof NonRetriableError || failures > retries) throw new StepExhaustedError(id, err);
          await this.sleep(err instanceof RetryAfterError ? retryAfterMs(err) : this.backoffMs(failures));
        }
      }
    };
    return {
      run,
      sleep: async (rawId, duration) => {
        const id = uniqueId(rawId);
        if (memo.has(id)) return;
        await this.sleep(parseDuration(duration));
        memo.set(id, null);
      },
      sendEvent: async (rawId, events) => {
        const id = uniqueId(rawId);
        if (memo.has(id)) return memo.get(id);
        const result = await this.send(events as JobEvent<unknown> | JobEvent<unknown>[]);
        memo.set(id, { ids: result.ids });
        return { ids: result.ids };
      },
    };
  }
}
