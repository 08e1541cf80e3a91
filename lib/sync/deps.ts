import { createBbClient, type BbClient } from "../buchhaltungsbutler";
import { systemClock, type Clock } from "../clock";
import type { Database } from "../db";
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
  };
}
