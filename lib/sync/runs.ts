import { sql } from "kysely";
import type { RunKind, RunStatus } from "@/db/schema";
import { toJson, type Database } from "../db";

export interface RunCounts {
  created?: number;
  updated?: number;
  skipped?: number;
  failed?: number;
}

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
export async function setRunProgress(database: Database, runId: string, progress: { done: number; total: number | null; etaSeconds?: number | null; note?: string }): Promise<void> {
  await database.updateTable("sync_runs").set({ progress: toJson(progress) }).where("id", "=", runId).execute();
}

export async function finishRun(database: Database, runId: string, status: Exclude<RunStatus, "running">, error?: Record<string, unknown>): Promise<void> {
  await database
    .updateTable("sync_runs")
    .set({ status, finished_at: new Date(), error: toJson(error ?? null) })
    .where("id", "=", runId)
    .execute();
}
