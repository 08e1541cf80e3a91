import type { SyncDepsFactory } from "@/lib/sync/deps";
import { parseRunCounts, type StoredRunCounts } from "@/lib/sync/runs";
import type { JobEventInput, JobEventName } from "@/lib/jobs/events";
import type { FlowJobDefinition } from "./flow-job";
import { InlineDriver, type RunRecord } from "./inline-driver";

export interface FlowRunOutcome {
  /** The sync run it recorded, or null when it was skipped before starting one. */
  runId: string | null;
  /** The finished run's status, "paused", "failed", or why it was skipped. */
  status: string;
  counts: StoredRunCounts;
  /** Flow steps over all of the run's continuations. */
  steps: number;
  runs: RunRecord[];
}

/**
 * Runs the real flow job, continuations included, through the inline driver with the caller's clients:
 * for tests, benchmarks and scripts that want a whole sync in-process and its outcome.
 */
export async function runFlowNow<N extends JobEventName>(job: FlowJobDefinition<N>, deps: SyncDepsFactory, data: JobEventInput<N> & { tenantId: string }): Promise<FlowRunOutcome> {
  const driver = new InlineDriver({ definitions: [job.withDeps(deps)], backoffMs: () => 1 });
  await driver.send({ name: job.event, data });
  await driver.idle();
  // In start order: the last is the run that finished the sync (or gave up, or was skipped).
  const runs = [...driver.runs.values()];
  const last = runs.at(-1);
  const steps = runs.reduce((n, r) => n + Object.keys(r.attempts).filter((id) => !["start", "finish", "__handler__"].includes(id)).length, 0);
  const result = (last?.result ?? {}) as { skipped?: string; paused?: boolean; status?: string };
  if (result.skipped !== undefined) return { runId: null, status: result.skipped, counts: parseRunCounts({}), steps, runs };
  const { database } = deps(data.tenantId);
  const row = await database
    .selectFrom("sync_runs")
    .select(["id", "counts"])
    .where("tenant_id", "=", data.tenantId)
    .where("flow", "=", job.flow)
    .orderBy("started_at", "desc")
    .executeTakeFirst();
  const status = runs.some((r) => r.status === "failed") ? "failed" : result.paused ? "paused" : (result.status ?? "unknown");
  return { runId: row?.id ?? null, status, counts: parseRunCounts(row?.counts), steps, runs };
}
