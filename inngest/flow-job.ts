import type { Flow } from "@/db/schema";
import { db } from "@/lib/db";
import { envSubset } from "@/lib/env";
import { jobEvents, type JobEventData, type JobEventName, type ORDERS_SYNC_EVENT, type PRODUCTS_SYNC_EVENT, type STOCK_SYNC_EVENT, TENANT_UNINSTALLED_EVENT } from "@/lib/jobs/events";
import { listTenantsForFlow } from "@/lib/sync/list-tenants-for-flow";
import { buildSyncDeps, type SyncDepsFactory } from "@/lib/sync/deps";
import type { FlowRequest, SyncFlow } from "@/lib/sync/flow";
import { recordJobFailure } from "@/lib/sync/record-job-failure";
import { latestRunningRun } from "@/lib/sync/runs";
import { defineJob, type JobDefinition } from "./define";
import { asJobStep } from "./errors";

export interface FlowJobDefinition<N extends JobEventName> extends JobDefinition<JobEventData<N> & FlowRequest> {
  flow: Flow;
  /** The event that starts (and continues) a run. */
  event: N;
  /** The same job with its clients built by `factory`: how tests, benchmarks and the chaos worker run the real job. */
  withDeps(factory: SyncDepsFactory): FlowJobDefinition<N>;
}

const tenantDeps: SyncDepsFactory = (tenantId) => buildSyncDeps(db(), tenantId);

/**
 * The one job shape of every sync flow: `start` → steps (each memoised and retried on its own) until the flow
 * is through or `stepsPerRun` is spent → a continuation event that resumes where it got to → `finish`. One
 * run per tenant at a time; an uninstall cancels it at its next step; a run that gives up is closed as
 * failed and reported once. The continuation goes to the first trigger.
 */
export function defineFlowJob<N extends JobEventName, P, R>(
  def: { id: string; name: string; triggers: readonly [N, ...N[]]; flow: SyncFlow<JobEventData<N> & FlowRequest, P, R> },
  deps: SyncDepsFactory = tenantDeps,
): FlowJobDefinition<N> {
  type E = JobEventData<N> & FlowRequest;
  const { flow } = def;
  const continueWith = def.triggers[0];
  const job = defineJob<E>({
    id: def.id,
    name: def.name,
    triggers: def.triggers.map((event) => ({ event })),
    // Every trigger of a flow job shares one schema, the first one's. TypeScript cannot follow a generic
    // index into the event map back to that schema's output type, so it is asserted here once; the
    // triggers' names are what tie a flow to its events, and those are checked.
    schema: jobEvents[continueWith] as unknown as JobDefinition<E>["schema"],
    retries: 5,
    // One run per tenant, and a ceiling per flow across all tenants and instances, so a burst of due tenants
    // queues instead of exhausting the database pool.
    concurrency: [{ key: "event.data.tenantId", limit: 1 }, { limit: envSubset("FLOW_CONCURRENCY").FLOW_CONCURRENCY }],
    cancelOn: [{ event: TENANT_UNINSTALLED_EVENT, match: "data.tenantId" }],
    async handler({ event, step }) {
      const request = event.data;
      // Built per step: a step may run in another process than the one before it.
      const stepDeps = () => deps(request.tenantId);
      const run = await step.run("start", () => asJobStep(() => flow.start(stepDeps(), request)));
      if (!run.proceed) return { skipped: run.reason };
      const runId = run.runId;
      let position = flow.resume(request);
      let done = false;
      for (let index = 0; !done && index < flow.stepsPerRun; index++) {
        // The closure gets a binding of its own: `position` is reassigned below.
        const at = position;
        const result = await step.run(flow.stepId(at, index), () => asJobStep(() => flow.step(stepDeps(), { event: request, runId, position: at, index })));
        const next = flow.advance(result);
        if (next.paused) return { paused: true };
        position = next.next;
        done = next.done;
      }
      if (!done) {
        const handOver = flow.handOver(request, runId, position);
        await step.sendEvent("continue", { name: continueWith, data: handOver.data });
        return handOver.result;
      }
      return step.run("finish", () => asJobStep(() => flow.finish(stepDeps(), { event: request, runId })));
    },
    async onFailure({ event, error }) {
      const { database } = deps(event.data.tenantId);
      const runId = event.data.runId ?? (await latestRunningRun(database, event.data.tenantId, flow.flow));
      await recordJobFailure(database, { tenantId: event.data.tenantId, flow: flow.flow, runId, error });
    },
  });
  return { ...job, flow: flow.flow, event: continueWith, withDeps: (factory) => defineFlowJob(def, factory) };
}

type PollableEvent = typeof ORDERS_SYNC_EVENT | typeof PRODUCTS_SYNC_EVENT | typeof STOCK_SYNC_EVENT;

/**
 * On a cron ticking every minute: one "poll" event per tenant whose flow is on and whose minute it is (each tenant
 * polls on its own minute of the interval, poll-slot.ts), so a thousand tenants do not all start at once and one
 * slow tenant never delays another.
 */
export function definePollJob(def: { id: string; name: string; flow: Flow; cron: string; event: PollableEvent }): JobDefinition<Record<string, never>> {
  return defineJob({
    id: def.id,
    name: def.name,
    triggers: [{ cron: def.cron }],
    retries: 2,
    concurrency: [{ limit: 1 }],
    async handler({ event, step }) {
      // The tick's own minute, not the time the handler happens to run: a retried or late handler polls the same tenants.
      const tick = new Date(event.ts ?? Date.now());
      const tenants = await step.run("list-tenants", () => listTenantsForFlow(db(), def.flow, tick));
      if (tenants.length) await step.sendEvent("fan-out", tenants.map((tenantId) => ({ name: def.event, data: { tenantId, kind: "poll" } })));
      return { tenants: tenants.length };
    },
  });
}
