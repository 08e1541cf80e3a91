import type { Flow, RunKind } from "@/db/schema";
import type { SyncDeps } from "./deps";

export type FlowStart = { proceed: true; runId: string } | { proceed: false; reason: string };

/** What every flow's event carries: whose, which kind of run, and (on a continuation) which run. */
export interface FlowRequest {
  tenantId: string;
  kind: RunKind;
  runId?: string;
}

/**
 * One sync flow as the job kernel (inngest/flow-job.ts) drives it: start a run, then bounded steps, each
 * idempotent and memoised by its id, until the flow says it is done or the run's step budget is spent and a
 * continuation event takes over; then finish. Framework-free, so the flow owns what a step does and the
 * kernel owns how steps are run, retried and handed over.
 *
 * `P` is where a step begins (a phase, or nothing for the page-by-page order flow); `R` is the step's JSON
 * result, which the kernel only reads through `advance`.
 */
export interface SyncFlow<E extends FlowRequest, P, R> {
  flow: Flow;
  /** Steps per run before a continuation event takes over (keeps runs far below Inngest's step limit). */
  stepsPerRun: number;
  start(deps: SyncDeps, event: E): Promise<FlowStart>;
  /** Where this run's first step begins: the continuation's position, or the flow's beginning. */
  resume(event: E): P;
  /** The step's id. Inngest memoises by id; a repeated id gets a counter suffix. */
  stepId(position: P, index: number): string;
  /** One step, its counts and progress recorded before it returns. */
  step(deps: SyncDeps, input: { event: E; runId: string; position: P; index: number }): Promise<R>;
  /** Where the next step begins, whether the flow is through, and whether to stop the run where it is. */
  advance(result: R): { next: P; done: boolean; paused: boolean };
  /** The continuation event's data, and what the run that hands over returns. */
  handOver(event: E, runId: string, position: P): { data: E; result: Record<string, unknown> };
  finish(deps: SyncDeps, input: { event: E; runId: string }): Promise<unknown>;
}
