import { NonRetriableError } from "inngest";
import { inngest } from "./client";
import type { AnyJobDefinition, JobEvent, JobStep } from "./define";

type CreateOptions = Parameters<typeof inngest.createFunction>[0];

/** Parses event data with the definition's schema; bad data is a permanent failure, not a retry loop. */
export function parseJobEvent(def: AnyJobDefinition, event: { name: string; data?: unknown; id?: string; ts?: number }): JobEvent<unknown> {
  const raw = event.data ?? {};
  if (!def.schema) return { name: event.name, data: raw, id: event.id, ts: event.ts };
  // Cron runs carry no payload of ours.
  if (event.name === "inngest/scheduled.timer") return { name: event.name, data: {}, id: event.id, ts: event.ts };
  const parsed = def.schema.safeParse(raw);
  if (!parsed.success) {
    throw new NonRetriableError(`invalid event data for ${def.id}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return { name: event.name, data: parsed.data, id: event.id, ts: event.ts };
}

/** The same definition, as an Inngest function for the serve handler and for @inngest/test. */
export function toInngestFunction(def: AnyJobDefinition) {
  const options = {
    id: def.id,
    name: def.name ?? def.id,
    triggers: def.triggers,
    retries: def.retries,
    concurrency: def.concurrency,
    cancelOn: def.cancelOn,
    onFailure: def.onFailure
      ? async (ctx: { event: { data: { event: { name: string; data?: unknown; id?: string } } }; error: Error; runId: string; step: unknown }) =>
          def.onFailure!({
            event: { name: ctx.event.data.event.name, data: ctx.event.data.event.data ?? {}, id: ctx.event.data.event.id },
            error: ctx.error,
            runId: ctx.runId,
            step: ctx.step as JobStep,
          })
      : undefined,
  } as unknown as CreateOptions;
  return inngest.createFunction(options, async (ctx: { event: { name: string; data?: unknown; id?: string; ts?: number }; step: unknown; runId: string; attempt: number }) =>
    def.handler({ event: parseJobEvent(def, ctx.event), step: ctx.step as JobStep, runId: ctx.runId, attempt: ctx.attempt }),
  );
}
