import type { Database } from "../db";
import { countUnread, listFatalProblems } from "../notifications/list-notifications";
import { getFlowStatuses, type FlowStatusView } from "./flow-status";
import { lightspeedBudget, type RateBudget } from "./rate-budget";

export interface LiveStatus {
  tenantStatus: string;
  flows: FlowStatusView[];
  unread: number;
  fatal: { id: string; code: string; title: string; link: string | null }[];
  budget: RateBudget | null;
  /** True while any run is active: the client polls faster. */
  active: boolean;
}

/** What the dashboard, the bell and the go-live progress bar poll (GET /api/status). */
export async function getLiveStatus(database: Database, tenantId: string): Promise<LiveStatus> {
  const [tenant, flows, unread, fatal, budget] = await Promise.all([
    database.selectFrom("tenants").select("status").where("id", "=", tenantId).executeTakeFirstOrThrow(),
    getFlowStatuses(database, tenantId),
    countUnread(database, tenantId),
    listFatalProblems(database, tenantId),
    lightspeedBudget(database, tenantId),
  ]);
  return {
    tenantStatus: tenant.status,
    flows,
    unread,
    fatal: fatal.map((f) => ({ id: f.id, code: f.code, title: f.title, link: f.link })),
    budget,
    active: flows.some((f) => f.activeRun !== null),
  };
}
