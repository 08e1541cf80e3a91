import type * as z from "zod";

/**
 * A job is defined once, framework-free: id, triggers, flow control and a handler that calls lib/. The same
 * definition becomes an Inngest function (production) and runs in the inline driver (dev, demo, CI), so the
 * code that runs in tests is the code that runs in production.
 */
export interface JobEvent<TData = Record<string, unknown>> {
  name: string;
  data: TData;
  id?: string;
  ts?: number;
}

export interface JobStep {
  /** Runs `fn` once per run: its JSON result is memoised, retries and re-entries get the stored value. */
  run<T>(id: string, fn: () => Promise<T> | T): Promise<T>;
  sleep(id: string, duration: string | number): Promise<void>;
  sendEvent(id: string, events: JobEvent<object> | JobEvent<object>[]): Promise<unknown>;
}

export interface JobContext<TData> {
  event: JobEvent<TData>;
  step: JobStep;
  runId: string;
  attempt: number;
}

export interface JobFailureContext<TData> {
  /** The event that started the failed run. */
  event: JobEvent<TData>;
  error: Error;
  runId: string;
  step: JobStep;
}

export type JobTrigger = { event: string } | { cron: string };

export interface ConcurrencyRule {
  /** An expression over the event, e.g. `event.data.tenantId`. Without a key the limit is per function. */
  key?: string;
  limit: number;
}

export interface JobDefinition<TData = Record<string, unknown>> {
  id: string;
  name?: string;
  triggers: JobTrigger[];
  /** Validates event data before the handler sees it; cron runs get `{}`. */
  schema?: z.ZodType<TData>;
  /** Retries after the first attempt, per step (Inngest semantics). */
  retries?: number;
  concurrency?: ConcurrencyRule[];
  /** Runs stop at their next step when a matching event arrives (`match` compares e.g. `data.tenantId`). */
  cancelOn?: { event: string; match: string }[];
  handler(ctx: JobContext<TData>): Promise<unknown>;
  onFailure?(ctx: JobFailureContext<TData>): Promise<unknown>;
}

// The handler is contravariant in TData; the registry holds definitions of different event shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

export function defineJob<TData>(def: JobDefinition<TData>): JobDefinition<TData> {
  return def;
}

/**
 * A scheduled housekeeping job: one run at a time across the app (two overlapping sweeps would do the same work
 * twice), no event payload.
 */
export function defineCronJob(options: { id: string; name: string; cron: string; retries: number }, handler: JobDefinition<Record<string, unknown>>["handler"]): JobDefinition<Record<string, unknown>> {
  return { id: options.id, name: options.name, triggers: [{ cron: options.cron }], retries: options.retries, concurrency: [{ limit: 1 }], handler };
}

export function eventNames(def: AnyJobDefinition): string[] {
  return def.triggers.flatMap((t) => ("event" in t ? [t.event] : []));
}

export function cronTriggers(def: AnyJobDefinition): string[] {
  return def.triggers.flatMap((t) => ("cron" in t ? [t.cron] : []));
}

/** Evaluates a flow-control key such as `event.data.tenantId` against an event. */
export function evaluateKey(expression: string, event: JobEvent<unknown>): string {
  const path = expression.trim().split(".");
  let value: unknown = { event };
  for (const segment of path) {
    if (value === null || typeof value !== "object") return "";
    value = (value as Record<string, unknown>)[segment];
  }
  return value === undefined || value === null ? "" : String(value);
}
