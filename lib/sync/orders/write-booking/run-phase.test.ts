import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { createBbClient } from "@/lib/buchhaltungsbutler";
import { AppError } from "@/lib/errors/app-error";
import type { Cents } from "@/lib/money";
import { getLink } from "../../links";
import type { BookingPlan } from "../booking-plan";
import { alreadyThere, ChunkRun, runPhase, type Phase } from "./run-phase";
import { newReadBackCache, type Work, type WriteItem, type WriteState } from "./types";

const database = testDb();

/** Only what runPhase looks at: the invoice number names the record. */
function bare(n: number): BookingPlan {
  const zero = 0 as Cents;
  const totals = { gross: zero, byVat: {}, byPaymentType: {}, tips: zero, rounding: zero };
  return { kind: "sale", saleIds: [String(n)], invoiceNumber: `T-${n}`, date: "2026-03-10", shopId: "1", registerId: null, debtor: { number: 1, name: "x" }, receipt: null, tenders: [], freePostings: [], comment: "", totals };
}

async function chunk(n: number, batch: boolean, initial: (i: number) => WriteState | undefined = () => undefined): Promise<ChunkRun> {
  const tenantId = await createTestTenant(database);
  // The phases below never call BB; the client only has to exist.
  const client = createBbClient({ database, tenantId, baseUrl: "http://127.0.0.1:9" });
  const items: WriteItem[] = Array.from({ length: n }, (_, i) => ({ target: { tenantId, entity: "sale", sourceId: `s${i}` }, plan: bare(i), initial: initial(i) }));
  return new ChunkRun(database, client, items, { batch, comment: false, cache: newReadBackCache(), deferFree: false });
}

/** A phase that "writes" the invoice number through the given sends and records it as commented. */
function phase(sends: Pick<Phase<{ w: Work }, string, void>, "sendBatch" | "sendOne" | "readBack">): Phase<{ w: Work }, string, void> {
  return {
    name: "test",
    need: (live) => live.filter((w) => !w.state.commented).map((w) => ({ w })),
    intent: () => "test_write",
    input: ({ w }) => w.item.plan.invoiceNumber,
    record: ({ w }) => {
      w.state.commented = true;
    },
    step: () => "tested",
    ...sends,
  };
}

describe("runPhase", () => {
  it("saves the intent before sending, reads back only records that died with it, and clears it on success", async () => {
    const run = await chunk(3, false, (i) => (i === 0 ? { invoiceNumber: "T-0", intents: ["test_write"] } : undefined));
    const readBack: string[] = [];
    const savedBeforeSend: unknown[] = [];
    await runPhase(
      phase({
        readBack: async (unsure) => {
          readBack.push(...unsure.map((x) => x.w.item.plan.invoiceNumber));
          return alreadyThere(unsure);
        },
        sendOne: async (_client, invoiceNumber) => {
          const sourceId = run.work.find((w) => w.item.plan.invoiceNumber === invoiceNumber)!.item.target.sourceId;
          savedBeforeSend.push((await getLink(database, run.work[0]!.item.target.tenantId, "sale", sourceId))?.target_ids);
        },
      }),
      run,
    );
    expect(readBack).toEqual(["T-0"]);
    expect(savedBeforeSend).toEqual([expect.objectContaining({ intents: ["test_write"] }), expect.objectContaining({ intents: ["test_write"] })]);
    for (const w of run.work) {
      const link = await getLink(database, w.item.target.tenantId, "sale", w.item.target.sourceId);
      expect(link?.step).toBe("tested");
      expect(link?.target_ids).toEqual(expect.objectContaining({ commented: true, intents: [] }));
    }
  });

  it("sends four or more as one batch call; an item BB refuses fails only its record and later phases skip it", async () => {
    const run = await chunk(5, true);
    const batches: string[][] = [];
    let singles = 0;
    const refuseSecond = phase({
      sendBatch: async (_client, inputs) => {
        batches.push(inputs);
        const results = inputs.map((_, i) => (i === 1 ? { ok: false as const, error: new AppError("UPSTREAM_REJECTED", { detail: "no" }) } : { ok: true as const, value: undefined, recovered: false }));
        return { results, succeeded: inputs.length - 1, failed: 1 };
      },
      sendOne: async () => {
        singles++;
      },
    });
    await runPhase(refuseSecond, run);
    expect(batches).toEqual([["T-0", "T-1", "T-2", "T-3", "T-4"]]);
    expect(singles).toBe(0);

    const seen: string[] = [];
    const look = (live: Work[]) => {
      seen.push(...live.map((w) => w.item.plan.invoiceNumber));
      return [];
    };
    await runPhase({ ...refuseSecond, need: look }, run);
    expect(seen).toEqual(["T-0", "T-2", "T-3", "T-4"]);
    expect(run.outcomes().map((o) => o.ok)).toEqual([true, false, true, true, true]);
  });

  it("sends fewer than four items one by one even in batch mode", async () => {
    const run = await chunk(3, true);
    let batchCalls = 0;
    const sent: string[] = [];
    await runPhase(
      phase({
        sendBatch: async () => {
          batchCalls++;
          return { results: [], succeeded: 0, failed: 0 };
        },
        sendOne: async (_client, invoiceNumber) => {
          sent.push(invoiceNumber);
        },
      }),
      run,
    );
    expect(batchCalls).toBe(0);
    expect(sent).toEqual(["T-0", "T-1", "T-2"]);
  });
});
