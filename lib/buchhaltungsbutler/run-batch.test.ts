import { describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/buchhaltungsbutler/test-helpers";
import { AppError } from "../errors/app-error";
import { cents } from "../money";
import type { OpsContext } from "./context";
import { runBatch, type BatchSpec } from "./run-batch";
import { connect, testSandbox } from "./test-helpers";
import { BbUncertainWrite, type Transport } from "./transport";

/** Scripted BB answers: each call gets the next answer (or throws it). */
function scripted(answers: ((body: Record<string, unknown>) => Record<string, unknown> | Error)[]) {
  const bodies: Record<string, unknown>[] = [];
  const call: Transport = async (_path, body) => {
    bodies.push(body);
    const next = answers.shift();
    if (!next) throw new Error("unexpected call");
    const a = next(body);
    if (a instanceof Error) throw a;
    return a;
  };
  const ctx: OpsContext = {
    call,
    clock: manualClock(),
    stats: { calls: 0, byPath: {}, throttled: 0, retries: 0, recovered: 0, unconfirmed: 0, waitedMs: 0 },
    database: undefined as never,
    tenantId: "t",
    readBackDelayMs: 0,
    writeAttempts: 3,
    backoffMs: 0,
  };
  return { ctx, bodies };
}

type Item = { n: string; amount: number };
const spec = (items: Item[], readBack: BatchSpec<Item, string>["readBack"] = null): BatchSpec<Item, string> => ({
  path: "receipts/addBatch",
  itemsKey: "receipts",
  responseKey: "receipts",
  errorPath: "receipts/add",
  items,
  toWire: (i) => ({ invoice_number: i.n, amount: i.amount }),
  identity: ["invoice_number", "amount"],
  fromSuccess: (e) => String(e.id_by_customer),
  readBack,
});
const items = (k: number): Item[] => Array.from({ length: k }, (_, i) => ({ n: `I-${i}`, amount: 100 + i }));
const ok = (id: string) => ({ success: true, message: "", id_by_customer: id });

describe("runBatch: mapping BB's batch answers back to the items", () => {
  it("matches errors by request_data (object) and gives the successes, in order, to the other items", async () => {
    const { ctx } = scripted([
      (b) => {
        const sent = b.receipts as Record<string, unknown>[];
        return { success: true, receipts: [ok("11"), ok("13")], errors: [{ success: false, error_code: 20, message: "invalid amount specified", request_data: sent[1] }] };
      },
    ]);
    const out = await runBatch(ctx, spec(items(3)));
    expect(out.results.map((r) => (r.ok ? r.value : r.error.code))).toEqual(["11", "UPSTREAM_REJECTED", "13"]);
    const failed = out.results[1]!;
    expect(!failed.ok && failed.error.detail).toContain("amount");
  });

  it("also reads request_data as the spec's array of values", async () => {
    const { ctx } = scripted([(b) => ({ success: true, receipts: [ok("21")], errors: [{ success: false, error_code: 18, message: "invalid invoice number specified", request_data: Object.values((b.receipts as Record<string, unknown>[])[0]!) }] })]);
    const out = await runBatch(ctx, spec(items(2)));
    expect(out.results.map((r) => (r.ok ? r.value : r.error.context?.errorCode))).toEqual([18, "21"]);
  });

  it("fails a record it cannot build on its own and sends the rest", async () => {
    const { ctx, bodies } = scripted([(b) => ({ success: true, receipts: (b.receipts as unknown[]).map((_, i) => ok(`5${i}`)), errors: [] })]);
    const bad: BatchSpec<Item, string> = {
      ...spec(items(3)),
      toWire: (i) => {
        if (i.n === "I-1") throw new AppError("RECORD_INVALID", { detail: "broken" });
        return { invoice_number: i.n, amount: i.amount };
      },
    };
    const out = await runBatch(ctx, bad);
    expect((bodies[0]!.receipts as unknown[]).length).toBe(2);
    expect(out.results.map((r) => (r.ok ? r.value : r.error.code))).toEqual(["50", "RECORD_INVALID", "51"]);
  });

  it("sends at most 50 items per call", async () => {
    const { ctx, bodies } = scripted(
      [50, 50, 20].map(() => (b: Record<string, unknown>) => ({ success: true, receipts: (b.receipts as unknown[]).map((_, i) => ok(String(i))), errors: [] })),
    );
    const out = await runBatch(ctx, spec(items(120)));
    expect(bodies.map((b) => (b.receipts as unknown[]).length)).toEqual([50, 50, 20]);
    expect(out.succeeded).toBe(120);
  });

  it("reads back when the answer cannot be mapped safely, and retries only what is not there", async () => {
    const readBacks: number[][] = [];
    const { ctx, bodies } = scripted([
      // Three items sent, only one success and no errors: what happened to the others is unknown.
      () => ({ success: true, receipts: [ok("31")], errors: [] }),
      (b) => ({ success: true, receipts: (b.receipts as unknown[]).map(() => ok("33")), errors: [] }),
    ]);
    const out = await runBatch(
      ctx,
      spec(items(3), async (pending) => {
        readBacks.push(pending.map((p) => p.index));
        return new Map([[0, "31"], [1, "32"]]);
      }),
    );
    expect(readBacks).toEqual([[0, 1, 2]]);
    expect((bodies[1]!.receipts as { invoice_number: string }[]).map((r) => r.invoice_number)).toEqual(["I-2"]);
    expect(out.results.map((r) => r.ok && [r.value, r.recovered])).toEqual([["31", true], ["32", true], ["33", false]]);
    expect(ctx.stats.recovered).toBe(2);
  });

  it("a whole call lost after commit: reads back every item, nothing is sent twice", async () => {
    const { ctx, bodies } = scripted([() => new BbUncertainWrite({ path: "receipts/addBatch", status: 504, errorCode: 30, bbMessage: "timeout" })]);
    const out = await runBatch(ctx, spec(items(2), async (pending) => new Map(pending.map((p) => [p.index, `R${p.index}`]))));
    expect(bodies).toHaveLength(1);
    expect(out.results).toEqual([
      { ok: true, value: "R0", recovered: true },
      { ok: true, value: "R1", recovered: true },
    ]);
  });

  it("item errors 0/30 are transient: read back, then resend only those", async () => {
    const { ctx, bodies } = scripted([
      (b) => ({ success: true, receipts: [ok("41")], errors: [{ success: false, error_code: 30, message: "timeout", request_data: (b.receipts as unknown[])[1] }] }),
      () => ({ success: true, receipts: [ok("42")], errors: [] }),
    ]);
    const out = await runBatch(ctx, spec(items(2), async () => new Map()));
    expect((bodies[1]!.receipts as unknown[]).length).toBe(1);
    expect(out.results.map((r) => r.ok && r.value)).toEqual(["41", "42"]);
  });

  it("without a way to read back, an unmappable outcome is OUTCOME_UNKNOWN, not a blind resend", async () => {
    const { ctx, bodies } = scripted([() => new BbUncertainWrite({ path: "receipts/addBatch", status: 599, errorCode: null, bbMessage: "socket hang up" })]);
    const out = await runBatch(ctx, spec(items(2)));
    expect(bodies).toHaveLength(1);
    expect(out.results.every((r) => !r.ok && r.error.code === "OUTCOME_UNKNOWN")).toBe(true);
  });

  it("stops at a tenant-fatal error and fails every remaining item with it", async () => {
    const { ctx, bodies } = scripted([() => new AppError("BB_CREDENTIALS_INVALID")]);
    const out = await runBatch(ctx, spec(items(120)));
    expect(bodies).toHaveLength(1);
    expect(out.failed).toBe(120);
    expect(out.results.every((r) => !r.ok && r.error.code === "BB_CREDENTIALS_INVALID")).toBe(true);
  });
});

describe("runBatch against the sandbox", () => {
  const database = testDb();
  it("maps errors when BB echoes request_data as arrays (spec shape) and retries nothing that failed validation", async () => {
    const sandbox = await testSandbox({ strictness: { batchRequestDataShape: "array" } });
    const { client, bb } = await connect(database, sandbox, { paymentAccounts: [{ number: 1000, name: "Kasse", type: "cash" }] });
    const out = await client.addTransactions([
      { account: 1000, toFrom: "A", amount: cents(100), bookingDate: "2026-03-14", purpose: "T-1" },
      { account: 1234, toFrom: "B", amount: cents(200), bookingDate: "2026-03-14", purpose: "T-2" },
      { account: 1000, toFrom: "C", amount: cents(300), bookingDate: "2026-03-14", purpose: "T-3" },
    ]);
    expect(out.results.map((r) => (r.ok ? bb.transactions.find((t) => t.id === Number(r.value.id))?.purpose : r.error.context?.errorCode))).toEqual(["T-1", 7, "T-3"]);
    expect(sandbox.stats(bb.apiKey).byPath["transactions/addBatch"]).toBe(1);
  });
});
