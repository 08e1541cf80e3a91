import { sql } from "kysely";
import * as z from "zod";
import type { Flow, RunKind, RunStatus } from "@/db/schema";
import type { Page } from "../lightspeed";
import { toJson, type Database } from "../db";

/**
 * `sync_runs.counts`: what a run did, summed over its steps. Stored by `addRunCounts` (SQL, so concurrent steps
 * add up); read back through the schema, so a row written by an older version (missing keys) reads as zeros.
 */
export const runCountsSchema = z.object({
  created: z.number().int().catch(0),
  updated: z.number().int().catch(0),
  skipped: z.number().int().catch(0),
  failed: z.number().int().catch(0),
});
export type StoredRunCounts = z.infer<typeof runCountsSchema>;
/** What a step reports: only the counters it touched. */
export type RunCounts = Partial<StoredRunCounts>;

/** `sync_runs.progress`: done / total for the progress bar, an ETA, and the phase a phased flow is in. */
export const runProgressSchema = z.object({
  done: z.number(),
  total: z.number().nullable().default(null),
  etaSeconds: z.number().nullable().optional(),
  note: z.string().optional(),
});
export type RunProgress = z.infer<typeof runProgressSchema>;

export function parseRunCounts(raw: unknown): StoredRunCounts {
  const parsed = runCountsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : { created: 0, updated: 0, skipped: 0, failed: 0 };
}

/** Null until a run has reported progress (a fresh run stores `{}`). */
export function parseRunProgress(raw: unknown): RunProgress | null {
  const parsed = runProgressSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : null;
}

export const zeroCounts = (): StoredRunCounts => ({ created: 0, updated: 0, skipped: 0, failed: 0 });

export async function startRun(database: Database, input: { tenantId: string; flow: string; kind: RunKind; params?: Record<string, unknown> }): Promise<string> {
  const row = await database
    .insertInto("sync_runs")
    .values({ tenant_id: input.tenantId, flow: input.flow, kind: input.kind, params: toJson(input.params ?? {}), progress: toJson({}), counts: toJson({}) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Adds to the run's counters atomically (several steps of one run may report). */
export async function addRunCounts(database: Database, runId: string, counts: RunCounts): Promise<void> {
  const keys = ["created", "updated", "skipped", "failed"] as const;
  const parts = keys.map((k) => sql`${k}::text, coalesce((counts->>${k})::int, 0) + ${counts[k] ?? 0}`);
  await database
    .updateTable("sync_runs")
    .set({ counts: sql`jsonb_build_object(${sql.join(parts)})` })
    .where("id", "=", runId)
    .execute();
}

/** Progress the UI reads: done / total and an ETA from the rate so far. */
export async function setRunProgress(database: Database, runId: string, progress: RunProgress): Promise<void> {
  await database.updateTable("sync_runs").set({ progress: toJson(progress) }).where("id", "=", runId).execute();
}

/** A phase step's counts add to the run's; its progress is the step count within this run and the phase. */
export async function recordPhaseStep(database: Database, runId: string, r: { phase: string; counts: StoredRunCounts }, steps: number): Promise<void> {
  await addRunCounts(database, runId, r.counts);
  await setRunProgress(database, runId, { done: steps, total: null, note: r.phase });
}

export async function readRunProgress(database: Database, runId: string): Promise<{ progress: RunProgress | null; startedAt: Date }> {
  const run = await database.selectFrom("sync_runs").select(["progress", "started_at"]).where("id", "=", runId).executeTakeFirstOrThrow();
  return { progress: parseRunProgress(run.progress), startedAt: run.started_at };
}

export async function finishRun(database: Database, runId: string, status: Exclude<RunStatus, "running">, error?: Record<string, unknown>): Promise<void> {
  await database
    .updateTable("sync_runs")
    .set({ status, finished_at: new Date(), error: toJson(error ?? null) })
    .where("id", "=", runId)
    .execute();
}

export interface FinishedRun {
  status: "succeeded" | "partial";
  counts: StoredRunCounts;
}

/** Closes a run that got to the end: "partial" when any record failed on the way. */
export async function finishRunFromCounts(database: Database, runId: string): Promise<FinishedRun> {
  const run = await database.selectFrom("sync_runs").select("counts").where("id", "=", runId).executeTakeFirstOrThrow();
  const counts = parseRunCounts(run.counts);
  const status = counts.failed > 0 ? "partial" : "succeeded";
  await finishRun(database, runId, status);
  return { status, counts };
}

/** The run a failed first attempt had started (its id is not in the event yet). */
export async function latestRunningRun(database: Database, tenantId: string | undefined, flow: Flow): Promise<string | null> {
  if (!tenantId) return null;
  const row = await database.selectFrom("sync_runs").select("id").where("tenant_id", "=", tenantId).where("flow", "=", flow).where("status", "=", "running").orderBy("started_at", "desc").executeTakeFirst();
  return row?.id ?? null;
}

/** A run still going (a long first load hands over to continuation events) makes a poll unnecessary. */
const ACTIVE_RUN_MS = 2 * 3600_000;

/**
 * Before a new run: a poll is skipped while another run of the flow is active (it reads the same cursor);
 * runs left "running" by a killed process long ago are closed as cancelled. Returns why to skip, or null.
 */
export async function supersedeRuns(database: Database, tenantId: string, flow: Flow, kind: RunKind): Promise<string | null> {
  const running = await database.selectFrom("sync_runs").select(["id", "started_at"]).where("tenant_id", "=", tenantId).where("flow", "=", flow).where("status", "=", "running").execute();
  const now = Date.now();
  const active = running.filter((r) => now - new Date(r.started_at).getTime() < ACTIVE_RUN_MS);
  if (kind === "poll" && active.length > 0) return "another run of this flow is still in progress";
  for (const r of running) if (!active.includes(r)) await finishRun(database, r.id, "cancelled", { detail: "left running (no progress for hours); superseded by a newer run" });
  return null;
}

/**
 * Handles up to `max` pages of one reader; `more` when it stopped because of the budget. The next page is
 * requested while the current one is written (Lightspeed's pacing, not our DB, sets the speed); pages are
 * still handled, and cursors stored, strictly in order.
 */
export async function readPages<T>(
  reader: AsyncIterable<Page<T>>,
  max: number,
  handle: (page: Page<T>) => Promise<void>,
  /** Wall-clock ms after which no further page is read (the step hands over; see readDeadline). */
  deadline = Number.POSITIVE_INFINITY,
): Promise<{ pages: number; more: boolean }> {
  const it = reader[Symbol.asyncIterator]();
  let pages = 0;
  let pending: Promise<IteratorResult<Page<T>>> | null = it.next();
  try {
    while (pending) {
      const r: IteratorResult<Page<T>> = await pending;
      pending = null;
      if (r.done) return { pages, more: false };
      pages++;
      const inTime = Date.now() < deadline;
      if (pages < max && inTime) {
        pending = it.next();
        // Its failure surfaces when awaited; until then it must not count as unhandled.
        pending.catch(() => {});
      }
      await handle(r.value);
      if (pages >= max || !inTime || Date.now() >= deadline) return { pages, more: true };
    }
    return { pages, more: false };
  } finally {
    if (pending) await pending.catch(() => undefined);
    await it.return?.();
  }
}
