import type { Flow, RunKind, RunStatus } from "@/db/schema";
import type { Database } from "../db";
import { nextPollAt } from "../sync/poll-slot";
import { parseRunCounts, parseRunProgress } from "../sync/runs";

export type StatusLight = "running" | "attention" | "paused";

export interface RunView {
  id: string;
  kind: RunKind;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  counts: { created: number; updated: number; skipped: number; failed: number };
  progress: { done: number; total: number | null; etaSeconds: number | null } | null;
}

export interface FlowStatusView {
  flow: Flow;
  enabled: boolean;
  light: StatusLight;
  /** Why the light is not green, as a message key suffix: "tenant_paused" | "flow_off" | "problems" | "last_run_failed". */
  reason: string | null;
  activeRun: RunView | null;
  lastRun: RunView | null;
  nextRunAt: string | null;
  openProblems: number;
}

const FLOWS: Flow[] = ["orders", "products", "stock"];

function runView(r: { id: string; kind: RunKind; status: RunStatus; started_at: Date; finished_at: Date | null; counts: unknown; progress: unknown }): RunView {
  const p = parseRunProgress(r.progress);
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    counts: parseRunCounts(r.counts),
    progress: p ? { done: p.done, total: p.total, etaSeconds: p.etaSeconds ?? null } : null,
  };
}

/** A run that has not reported for this long is shown as finished-with-problems, not as running forever. */
const STALE_RUN_MS = 30 * 60_000;

/**
 * The status light per flow for the dashboard and the live status API: paused (tenant paused or flow off),
 * attention (open problems or the last run failed), running (all well), with the last and next run.
 */
export async function getFlowStatuses(database: Database, tenantId: string, now = new Date()): Promise<FlowStatusView[]> {
  const [tenant, settings, runs, problems] = await Promise.all([
    database.selectFrom("tenants").select(["status"]).where("id", "=", tenantId).executeTakeFirstOrThrow(),
    database.selectFrom("flow_settings").select(["flow", "enabled", "paused_at", "schedule"]).where("tenant_id", "=", tenantId).execute(),
    Promise.all(
      FLOWS.map((flow) =>
        database
          .selectFrom("sync_runs")
          .select(["id", "kind", "status", "started_at", "finished_at", "counts", "progress"])
          .where("tenant_id", "=", tenantId)
          .where("flow", "=", flow)
          .orderBy("started_at", "desc")
          .limit(5)
          .execute(),
      ),
    ),
    database
      .selectFrom("notifications")
      .select(["flow", (eb) => eb.fn.countAll<string>().as("n")])
      .where("tenant_id", "=", tenantId)
      .where("resolved_at", "is", null)
      .where("severity", "in", ["error", "fatal"])
      .groupBy("flow")
      .execute(),
  ]);
  const problemCount = new Map(problems.map((p) => [p.flow ?? "", Number(p.n)]));
  return FLOWS.map((flow, i) => {
    const s = settings.find((x) => x.flow === flow);
    const enabled = !!s?.enabled && !s.paused_at;
    const flowRuns = runs[i]!;
    const active = flowRuns.find((r) => r.status === "running" && now.getTime() - r.started_at.getTime() < STALE_RUN_MS);
    const last = flowRuns.find((r) => r.status !== "running");
    const open = (problemCount.get(flow) ?? 0) + (problemCount.get("") ?? 0);
    let light: StatusLight = "running";
    let reason: string | null = null;
    if (tenant.status === "paused") [light, reason] = ["paused", "tenant_paused"];
    else if (!enabled) [light, reason] = ["paused", "flow_off"];
    else if (open > 0) [light, reason] = ["attention", "problems"];
    else if (last?.status === "failed") [light, reason] = ["attention", "last_run_failed"];
    let nextRunAt: string | null = null;
    if (enabled && tenant.status === "active") {
      const lastPoll = flowRuns.find((r) => r.kind === "poll");
      nextRunAt = nextPollAt({ tenantId, flow, schedule: s?.schedule ?? null, lastPollAt: lastPoll?.started_at ?? null }, now).toISOString();
    }
    return { flow, enabled, light, reason, activeRun: active ? runView(active) : null, lastRun: last ? runView(last) : null, nextRunAt, openProblems: open };
  });
}
