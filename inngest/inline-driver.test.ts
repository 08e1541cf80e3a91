import { NonRetriableError, RetryAfterError } from "inngest";
import { describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { defineJob, type AnyJobDefinition } from "./define";
import { InlineDriver } from "./inline-driver";
import type { JobEvent } from "./define";

const fast = (defs: AnyJobDefinition[]) => new InlineDriver({ definitions: defs, backoffMs: () => 1 });

/** A quick step, then one that takes 40 ms before it ends with `end` (its output, or a throw). */
const slowStepJob = (id: string, end: () => unknown) =>
  defineJob({
    id,
    triggers: [{ event: `test/${id}` }],
    retries: 0,
    async handler({ step }) {
      await step.run("quick", () => ({ a: 1 }));
      await step.run("slow", async () => {
        await new Promise((r) => setTimeout(r, 40));
        return end();
      });
    },
  });

describe("inline driver", () => {
  it("retries a failing step the configured number of times, then calls onFailure once", async () => {
    const calls = vi.fn();
    const onFailure = vi.fn(async (_ctx: unknown) => {});
    const def = defineJob({
      id: "flaky",
      triggers: [{ event: "test/flaky" }],
      retries: 3,
      async handler({ step }) {
        await step.run("always-fails", () => {
          calls();
          throw new Error("boom");
        });
      },
      onFailure,
    });
    const driver = fast([def]);
    const { runIds } = await driver.send({ name: "test/flaky", data: { n: 1 } });
    const run = await driver.waitForRun(runIds[0]!);
    expect(run.status).toBe("failed");
    expect(calls).toHaveBeenCalledTimes(4); // first attempt + 3 retries
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure.mock.calls[0]![0]).toMatchObject({ event: { name: "test/flaky", data: { n: 1 } }, error: expect.objectContaining({ message: "boom" }) });
  });

  it("reports the largest step output and event, and the longest step in wall-clock time (what a host's request limit is about)", async () => {
    const driver = fast([slowStepJob("sizes", () => ({ text: "x".repeat(100) }))]);
    const { runIds } = await driver.send({ name: "test/sizes", data: { n: 12345 } });
    expect((await driver.waitForRun(runIds[0]!)).status).toBe("completed");
    expect(driver.sizes.maxStepOutputBytes).toBe(JSON.stringify({ text: "x".repeat(100) }).length);
    expect(driver.sizes.maxEventBytes).toBeGreaterThanOrEqual(JSON.stringify({ n: 12345 }).length);
    // A lower bound only: the slow step slept 40 ms; timers may fire late, never early (1 ms of rounding).
    expect(driver.sizes.maxStepWallMs).toBeGreaterThanOrEqual(39);
  });

  it("counts a failed step attempt's wall time too (a step cut off at a host's limit is the one that matters)", async () => {
    const driver = fast([
      slowStepJob("slow-fail", () => {
        throw new NonRetriableError("cut off");
      }),
    ]);
    const { runIds } = await driver.send({ name: "test/slow-fail", data: {} });
    expect((await driver.waitForRun(runIds[0]!)).status).toBe("failed");
    expect(driver.sizes.maxStepWallMs).toBeGreaterThanOrEqual(39);
  });

  it("memoises completed steps across a retry of the function body", async () => {
    const first = vi.fn(() => ({ at: "x" }));
    let bodyFailures = 0;
    const def = defineJob({
      id: "memo",
      triggers: [{ event: "test/memo" }],
      retries: 2,
      async handler({ step }) {
        const a = await step.run("first", first);
        if (bodyFailures++ < 1) throw new Error("transient outside a step");
        return a;
      },
    });
    const driver = fast([def]);
    const { runIds } = await driver.send({ name: "test/memo", data: {} });
    const run = await driver.waitForRun(runIds[0]!);
    expect(run.status).toBe("completed");
    expect(run.result).toEqual({ at: "x" });
    expect(first).toHaveBeenCalledTimes(1);
  });

  it("does not retry a NonRetriableError", async () => {
    const fn = vi.fn(() => {
      throw new NonRetriableError("bad record");
    });
    const onFailure = vi.fn(async () => {});
    const driver = fast([defineJob({ id: "nr", triggers: [{ event: "test/nr" }], retries: 5, handler: async ({ step }) => step.run("s", fn), onFailure })]);
    const { runIds } = await driver.send({ name: "test/nr", data: {} });
    expect((await driver.waitForRun(runIds[0]!)).status).toBe("failed");
    expect(fn).toHaveBeenCalledTimes(1);
    expect(onFailure).toHaveBeenCalledTimes(1);
  });

  it("waits as long as a RetryAfterError says", async () => {
    const times: number[] = [];
    const def = defineJob({
      id: "ra",
      triggers: [{ event: "test/ra" }],
      retries: 2,
      async handler({ step }) {
        return step.run("s", () => {
          times.push(Date.now());
          if (times.length === 1) throw new RetryAfterError("slow down", 300);
          return "ok";
        });
      },
    });
    const driver = fast([def]);
    const { runIds } = await driver.send({ name: "test/ra", data: {} });
    const run = await driver.waitForRun(runIds[0]!);
    expect(run.result).toBe("ok");
    // RetryAfterError rounds up to whole seconds, as Inngest does.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
  });

  it("never overlaps two runs with the same concurrency key, but runs different keys in parallel", async () => {
    const active = new Map<string, number>();
    let maxSameKey = 0;
    let maxOverall = 0;
    let overall = 0;
    const def = defineJob({
      id: "conc",
      triggers: [{ event: "test/conc" }],
      schema: z.object({ tenantId: z.string() }),
      concurrency: [{ key: "event.data.tenantId", limit: 1 }],
      async handler({ event, step }) {
        await step.run("work", async () => {
          const k = event.data.tenantId;
          active.set(k, (active.get(k) ?? 0) + 1);
          overall++;
          maxSameKey = Math.max(maxSameKey, active.get(k)!);
          maxOverall = Math.max(maxOverall, overall);
          await new Promise((r) => setTimeout(r, 20));
          active.set(k, active.get(k)! - 1);
          overall--;
        });
      },
    });
    const driver = fast([def]);
    await driver.send([
      ...Array.from({ length: 5 }, () => ({ name: "test/conc", data: { tenantId: "a" } })),
      ...Array.from({ length: 5 }, () => ({ name: "test/conc", data: { tenantId: "b" } })),
    ]);
    await driver.idle();
    expect(maxSameKey).toBe(1);
    expect(maxOverall).toBe(2);
    expect([...driver.runs.values()].every((r) => r.status === "completed")).toBe(true);
  });

  it("fires cron triggers on schedule", async () => {
    const ran = vi.fn();
    const def = defineJob({ id: "cron", triggers: [{ cron: "*/5 * * * *" }], handler: async () => ran() });
    const driver = fast([def]);
    expect(driver.tickCron(new Date("2026-11-28T10:03:00Z"))).toEqual([]);
    expect(driver.tickCron(new Date("2026-11-28T10:05:00Z"))).toHaveLength(1);
    await driver.idle();
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it("runs the cron scheduler on the wall clock", async () => {
    vi.useFakeTimers({ now: new Date("2026-11-28T10:04:58Z"), toFake: ["setInterval", "clearInterval", "Date"] });
    try {
      const ran = vi.fn();
      const driver = fast([defineJob({ id: "cron2", triggers: [{ cron: "*/5 * * * *" }], handler: async () => ran() })]);
      driver.startCron();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(ran).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(2_000);
      driver.stopCron();
      vi.useRealTimers();
      await driver.idle();
      expect(ran).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("dispatches step.sendEvent to other functions and rejects invalid event data", async () => {
    const child = vi.fn();
    const parent = defineJob({
      id: "parent",
      triggers: [{ event: "test/parent" }],
      handler: async ({ step }) => step.sendEvent("fan", [{ name: "test/child", data: { tenantId: "t1" } }, { name: "test/child", data: { tenantId: 42 } }]),
    });
    const onFailure = vi.fn(async () => {});
    const kid = defineJob({ id: "child", triggers: [{ event: "test/child" }], schema: z.object({ tenantId: z.string() }), handler: async ({ event }) => child(event.data.tenantId), onFailure });
    const driver = fast([parent, kid]);
    await driver.send({ name: "test/parent", data: {} });
    await driver.idle();
    expect(child).toHaveBeenCalledWith("t1");
    expect(child).toHaveBeenCalledTimes(1);
    expect(onFailure).toHaveBeenCalledTimes(1);
  });

  it("dedupes events by id", async () => {
    const ran = vi.fn();
    const driver = fast([defineJob({ id: "dedupe", triggers: [{ event: "test/d" }], handler: async () => ran() })]);
    await driver.send({ name: "test/d", data: {}, id: "same" });
    await driver.send({ name: "test/d", data: {}, id: "same" });
    await driver.idle();
    expect(ran).toHaveBeenCalledTimes(1);
  });
});

describe("inline driver cancellation", () => {
  it("stops a run at its next step when a matching cancel event arrives, and leaves other keys alone", async () => {
    const reached: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const def = defineJob({
      id: "long",
      triggers: [{ event: "test/long" }],
      schema: z.object({ tenantId: z.string() }),
      cancelOn: [{ event: "test/tenant.uninstalled", match: "data.tenantId" }],
      async handler({ event, step }) {
        await step.run("first", async () => {
          reached.push(`${event.data.tenantId}:first`);
          await gate;
        });
        await step.run("second", () => reached.push(`${event.data.tenantId}:second`));
      },
    });
    const driver = fast([def]);
    const { runIds } = await driver.send([
      { name: "test/long", data: { tenantId: "a" } },
      { name: "test/long", data: { tenantId: "b" } },
    ]);
    await new Promise((r) => setTimeout(r, 10));
    await driver.send({ name: "test/tenant.uninstalled", data: { tenantId: "a" } });
    release();
    await driver.idle();
    expect(driver.runs.get(runIds[0]!)!.status).toBe("cancelled");
    expect(driver.runs.get(runIds[1]!)!.status).toBe("completed");
    expect(reached.sort()).toEqual(["a:first", "b:first", "b:second"]);
  });
});

describe("inline driver outbox and shutdown", () => {
  /** An in-memory outbox standing in for the database table (inngest/outbox.ts has its own test). */
  function memoryOutbox() {
    const events = new Map<string, JobEvent<unknown>>();
    return {
      events,
      outbox: {
        add: async (e: JobEvent<unknown>) => void events.set(e.id!, e),
        remove: async (id: string) => void events.delete(id),
        pending: async () => [...events.values()],
      },
    };
  }

  it("keeps an event until every run it started has ended", async () => {
    const { events, outbox } = memoryOutbox();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = defineJob({ id: "a", triggers: [{ event: "test/two" }], handler: async ({ step }) => step.run("wait", () => gate) });
    const b = defineJob({ id: "b", triggers: [{ event: "test/two" }], handler: async () => "quick" });
    const driver = new InlineDriver({ definitions: [a, b], backoffMs: () => 1, outbox });
    await driver.send({ name: "test/two", data: {} });
    await new Promise((r) => setTimeout(r, 20));
    expect(events.size).toBe(1);
    release();
    await driver.idle();
    expect(events.size).toBe(0);
  });

  it("on shutdown starts nothing new, lets running work finish within the grace time, and the next process runs what is left", async () => {
    const { events, outbox } = memoryOutbox();
    const done: string[] = [];
    const slow = defineJob({
      id: "slow",
      triggers: [{ event: "test/slow" }],
      handler: async ({ event, step }) => step.run("work", async () => {
        await new Promise((r) => setTimeout(r, 30));
        done.push(String((event.data as { n: number }).n));
      }),
    });
    const first = new InlineDriver({ definitions: [slow], backoffMs: () => 1, outbox });
    await first.send({ name: "test/slow", data: { n: 1 } });
    const stopping = first.shutdown(5_000);
    // Asked for while the process is stopping: recorded, not started.
    const late = await first.send({ name: "test/slow", data: { n: 2 } });
    expect(late.runIds).toEqual([]);
    expect(await stopping).toEqual({ unfinished: 0 });
    expect(done).toEqual(["1"]);
    expect([...events.values()].map((e) => e.data)).toEqual([{ n: 2 }]);

    const second = new InlineDriver({ definitions: [slow], backoffMs: () => 1, outbox });
    expect(await second.resumeOutbox()).toBe(1);
    await second.idle();
    expect(done).toEqual(["1", "2"]);
    expect(events.size).toBe(0);
  });

  it("a run cut off by the grace time stays in the outbox", async () => {
    const { events, outbox } = memoryOutbox();
    const endless = defineJob({ id: "endless", triggers: [{ event: "test/endless" }], handler: async ({ step }) => step.run("hang", () => new Promise<void>(() => {})) });
    const driver = new InlineDriver({ definitions: [endless], backoffMs: () => 1, outbox });
    await driver.send({ name: "test/endless", data: {} });
    expect(await driver.shutdown(20)).toEqual({ unfinished: 1 });
    expect(events.size).toBe(1);
  });
});
