import { createBbClient, type BbClient } from "../buchhaltungsbutler";
import { systemClock, type Clock } from "../clock";
import type { Database } from "../db";
import { env } from "../env";
import { createLightspeedClient, type LightspeedClient } from "../lightspeed";

/**
 * Everything a flow talks to, passed down as one argument. The job builds it per step from the tenant's
 * stored connections; tests and benchmarks build it with their sandboxes and clocks. Flow code never
 * constructs a client itself, so what runs in a test is exactly what runs in production, only wired
 * differently. Building it is cheap: both clients load credentials on first use, so an idle step that
 * never calls BB costs nothing for having a BB client.
 */
export interface SyncDeps {
  database: Database;
  ls: LightspeedClient;
  bb: BbClient;
  /** The flow's clock (ms): scaled in tests and benchmarks, so "a day old" means the same to both sides. */
  now: () => number;
  /** Lightspeed pages per step of the product and stock flows; tests shorten it to exercise many steps. */
  pagesPerStep?: number;
  /** Wall-clock budget of one step (default STEP_BUDGET_SECONDS): serverless hosts end longer requests. */
  stepBudgetMs?: number;
}

/**
 * When a step must stop reading more pages: a share of its wall-clock budget, the rest kept for writing what it
 * has read (a backfill step drains its BB pipeline after the last page). Wall clock on purpose: the host's
 * request timeout does not follow a test's scaled clock.
 */
export function readDeadline(deps: Pick<SyncDeps, "stepBudgetMs">, share: number): number {
  return Date.now() + (deps.stepBudgetMs ?? env().STEP_BUDGET_SECONDS * 1000) * share;
}

/** How a job gets its deps for a tenant: `buildSyncDeps` on the process's database, or a test's own. */
export type SyncDepsFactory = (tenantId: string) => SyncDeps;

/** The tenant's own clients from its stored connections; anything given replaces the default. */
export function buildSyncDeps(database: Database, tenantId: string, given: Partial<Omit<SyncDeps, "database">> & { clock?: Clock } = {}): SyncDeps {
  const { clock, ...rest } = given;
  return {
    database,
    ls: rest.ls ?? createLightspeedClient({ database, tenantId, clock }),
    bb: rest.bb ?? createBbClient({ database, tenantId, clock }),
    now: rest.now ?? (() => (clock ?? systemClock).now()),
    ...(rest.pagesPerStep !== undefined ? { pagesPerStep: rest.pagesPerStep } : {}),
    ...(rest.stepBudgetMs !== undefined ? { stepBudgetMs: rest.stepBudgetMs } : {}),
  };
}
