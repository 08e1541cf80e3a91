import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import type { LsSale } from "@/lib/lightspeed/domain";
import { getLink } from "../links";
import { PT, line, pay, sale, skr03Mappings } from "./fixtures.test-helpers";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import type { OrderRunContext } from "./order-run-context";
import { loadOrderSettings } from "./order-settings";
import { postClosedDays } from "./post-closed-days";
import { prepareSale } from "./process-sale";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const DAY = "2026-03-14";
const DAY_KEY = `1|*|${DAY}`;

async function summaryWorld(): Promise<{ w: OrderWorld; ctx: OrderRunContext }> {
  const w = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } }, settings: { postingMode: "daily_summary", individualForIdentifiedCustomers: false } });
  const mappings = skr03Mappings();
  mappings.defaultDebtor = { postingAccountNumber: 10001, name: "Laufkundschaft" };
  const { settings } = await loadOrderSettings(database, w.tenantId);
  const ctx: OrderRunContext = { database, bb: w.bbClient(), tenantId: w.tenantId, runId: null, settings, mappings, shopTimeZone: () => "Europe/Berlin", redactPii: false, comments: false };
  return { w, ctx };
}

/** A sale of the 14th that reaches the sync only later (an offline register, a late edit of its time stamp). */
function lateSale(total: string, type = PT.cash!, seenAt = "2026-03-16T10:00:00.000Z"): LsSale {
  return sale(total, [line(total)], [pay(type, total)], { completeTime: "2026-03-14T15:00:00.000Z", timeStamp: seenAt, updateTime: seenAt });
}

async function defer(ctx: OrderRunContext, sales: LsSale[]) {
  for (const s of sales) expect((await prepareSale(ctx, s)).kind).toBe("outcome");
}

const ours = (w: OrderWorld, prefix: string) => {
  const bb = w.bb.tenant(w.bbApiKey);
  return {
    receipts: bb.receipts.filter((r) => !r.deleted && r.invoiceNumber.startsWith(prefix)),
    transactions: bb.transactions.filter((t) => t.purpose.startsWith(prefix)),
    postingsOf: (transactionId: number) => bb.postingsByTransaction.get(transactionId) ?? [],
  };
};

describe("#14.2 daily summary: the plan is pinned before the first write", () => {
  it("#14.2 a crash mid-write followed by a late sale: the retry finishes the pinned plan and the late sale becomes a correction", async () => {
    const { w, ctx } = await summaryWorld();
    world = w;
    await defer(ctx, [sale("11.90", [line("11.90")], [pay(PT.cash!, "11.90")]), sale("23.80", [line("23.80")], [pay(PT.card!, "23.80")])]);

    // BB takes the receipt and both payments, then refuses to post the payments until the run dies.
    w.bb.faults.set({ error500Rate: 1, error500AfterCommitShare: 0, paths: ["postings/add/transaction"] });
    await expect(postClosedDays(ctx, new Date("2026-03-15T12:00:00.000Z"))).rejects.toThrow();
    w.bb.faults.reset();
    const pinned = await getLink(database, w.tenantId, "day", DAY_KEY);
    expect(pinned?.target_ids.plan?.tenders.map((t) => [t.key, t.amount])).toEqual([
      ["1-1000", 1190],
      ["2-1792", 2380],
    ]);

    // Before the retry a sale of the same day arrives.
    await defer(ctx, [lateSale("5.00")]);
    await postClosedDays(ctx, new Date("2026-03-16T12:00:00.000Z"));
    await postClosedDays(ctx, new Date("2026-03-16T12:10:00.000Z"));

    const day = ours(w, `Z-1-${DAY}`);
    const main = day.receipts.filter((r) => r.invoiceNumber === `Z-1-${DAY}`);
    expect(main.map((r) => r.amount)).toEqual([3570]);
    const mainPayments = day.transactions.filter((t) => /^Z-1-2026-03-14\/[^/]+$/.test(t.purpose));
    expect(mainPayments.map((t) => [t.account, t.amount]).sort()).toEqual([
      [1000, 1190],
      [1792, 2380],
    ]);
    for (const t of mainPayments) expect(day.postingsOf(t.id).length, t.purpose).toBeGreaterThan(0);
    const correction = day.receipts.filter((r) => r.invoiceNumber === `Z-1-${DAY}-K1`);
    expect(correction.map((r) => r.amount)).toEqual([500]);
    const correctionPayments = day.transactions.filter((t) => t.purpose.startsWith(`Z-1-${DAY}-K1/`));
    expect(correctionPayments.map((t) => [t.account, t.amount])).toEqual([[1000, 500]]);
    for (const t of correctionPayments) expect(day.postingsOf(t.id).length, t.purpose).toBeGreaterThan(0);

    const link = await getLink(database, w.tenantId, "day", DAY_KEY);
    expect(link?.status).toBe("done");
    expect(link?.target_ids.plan?.totals.gross).toBe(3570);
    expect(link?.target_ids.corrections).toBe(1);
    expect(link?.target_ids.postedSummary?.total).toBe(4070);
  }, 120_000);
});

describe("#14.10 corrections are dated when they happen", () => {
  async function postedDay() {
    const { w, ctx } = await summaryWorld();
    world = w;
    await defer(ctx, [sale("11.90", [line("11.90")], [pay(PT.cash!, "11.90")])]);
    await postClosedDays(ctx, new Date("2026-03-15T12:00:00.000Z"));
    expect((await getLink(database, w.tenantId, "day", DAY_KEY))?.status).toBe("done");
    return { w, ctx };
  }

  it("#14.10 a correction to a posted day is dated the day it is booked, never back into the closed day", async () => {
    const { w, ctx } = await postedDay();
    await defer(ctx, [lateSale("5.00")]);
    await postClosedDays(ctx, new Date("2026-03-16T12:00:00.000Z"));

    const day = ours(w, `Z-1-${DAY}`);
    expect(day.receipts.map((r) => [r.invoiceNumber, r.date, r.amount])).toEqual([
      [`Z-1-${DAY}`, DAY, 1190],
      [`Z-1-${DAY}-K1`, "2026-03-16", 500],
    ]);
    const correctionPayments = day.transactions.filter((t) => t.purpose.startsWith(`Z-1-${DAY}-K1/`));
    expect(correctionPayments.map((t) => [t.bookingDate.slice(0, 10), t.amount])).toEqual([["2026-03-16", 500]]);
    // The closed day itself holds exactly what was posted for it.
    const bb = w.bb.tenant(w.bbApiKey);
    expect(bb.postings.filter((p) => p.date === DAY && !p.cancelled).every((p) => p.amount === 1190)).toBe(true);
    expect(day.receipts[1]!.comments.join(" ")).toContain(DAY);
  }, 120_000);

  it("#14.10 a locked period (Festschreibung) moves the correction to the first open date with a note naming the original day", async () => {
    const { w, ctx } = await postedDay();
    // The merchant booked something on the 17th and locked the books up to that day.
    await ctx.bb.addFreePosting({ date: "2026-03-17", text: "Privatentnahme", amount: 2000 as never, debitAccount: 1360, creditAccount: 1590, vat: "0_none" });
    w.bb.tenant(w.bbApiKey).fixedUntil = "2026-03-17";

    await defer(ctx, [lateSale("5.00")]);
    await postClosedDays(ctx, new Date("2026-03-16T12:00:00.000Z"));

    const link = await getLink(database, w.tenantId, "day", DAY_KEY);
    expect(link?.last_error).toBeNull();
    const day = ours(w, `Z-1-${DAY}`);
    const correction = day.receipts.find((r) => r.invoiceNumber === `Z-1-${DAY}-K1`);
    expect([correction?.date, correction?.amount]).toEqual(["2026-03-18", 500]);
    const payments = day.transactions.filter((t) => t.purpose.startsWith(`Z-1-${DAY}-K1/`));
    expect(payments.map((t) => [t.bookingDate.slice(0, 10), t.amount])).toEqual([["2026-03-18", 500]]);
    for (const t of payments) expect(day.postingsOf(t.id).length).toBeGreaterThan(0);
    const note = correction!.comments.join(" ");
    expect(note).toContain(DAY);
    expect(note).toContain("2026-03-17");
  }, 120_000);
});

describe("#14.2 a correction that fails", () => {
  it("#14.2 a refused correction leaves the posted day and its earlier corrections alone; the retry books it under the next number", async () => {
    const { w, ctx } = await summaryWorld();
    world = w;
    await defer(ctx, [sale("11.90", [line("11.90")], [pay(PT.cash!, "11.90")])]);
    await postClosedDays(ctx, new Date("2026-03-15T12:00:00.000Z"));
    await defer(ctx, [lateSale("5.00")]);
    await postClosedDays(ctx, new Date("2026-03-16T12:00:00.000Z"));

    // A second late sale carries a tip, and no tips account is mapped yet: the correction fails.
    const tips = ctx.mappings.tips;
    ctx.mappings.tips = null;
    const tipped = sale("3.00", [line("3.00")], [pay(PT.cash!, "4.00", "1.00")], { completeTime: "2026-03-14T16:00:00.000Z", timeStamp: "2026-03-17T10:00:00.000Z", updateTime: "2026-03-17T10:00:00.000Z" });
    await defer(ctx, [tipped]);
    await postClosedDays(ctx, new Date("2026-03-17T12:00:00.000Z"));
    expect((await getLink(database, w.tenantId, "day", DAY_KEY))?.status).toBe("failed");

    ctx.mappings.tips = tips;
    await postClosedDays(ctx, new Date("2026-03-17T12:10:00.000Z"));
    const day = ours(w, `Z-1-${DAY}`);
    expect(day.receipts.map((r) => [r.invoiceNumber, r.amount])).toEqual([
      [`Z-1-${DAY}`, 1190],
      [`Z-1-${DAY}-K1`, 500],
      [`Z-1-${DAY}-K2`, 300],
    ]);
    const link = await getLink(database, w.tenantId, "day", DAY_KEY);
    expect([link?.status, link?.target_ids.corrections, link?.target_ids.postedSummary?.total, link?.target_ids.needsCorrection]).toEqual(["done", 2, 1990, false]);
    expect((await getLink(database, w.tenantId, "sale", tipped.saleId))?.status).toBe("done");
  }, 120_000);
});
