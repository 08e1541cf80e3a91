import { describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { defineJob } from "./define";
import { InlineDriver } from "./inline-driver";
import { databaseOutbox } from "./outbox";

const database = testDb();

describe("inline job outbox in the database", () => {
  it("keeps what a stopped process did not finish, and a new process runs it", async () => {
    const ran: number[] = [];
    const def = defineJob({ id: "outbox-job", triggers: [{ event: "test/outbox" }], handler: async ({ event, step }) => step.run("do", () => void ran.push((event.data as { n: number }).n)) });
    const outbox = databaseOutbox(database);
    const stopping = new InlineDriver({ definitions: [def], backoffMs: () => 1, outbox });
    await stopping.shutdown(0);
    await stopping.send({ name: "test/outbox", data: { n: 7 } });
    expect((await outbox.pending()).map((e) => [e.name, e.data])).toEqual([["test/outbox", { n: 7 }]]);

    const next = new InlineDriver({ definitions: [def], backoffMs: () => 1, outbox });
    expect(await next.resumeOutbox()).toBe(1);
    await next.idle();
    expect(ran).toEqual([7]);
    expect(await outbox.pending()).toEqual([]);
  });
});
