import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { addDays } from "@/lib/time";
import type { BbPosting } from "@/lib/buchhaltungsbutler";
import { getLink } from "../links";
import { correctionDate } from "./correction-date";
import { PT, line, pay, sale, skr03Mappings } from "./fixtures.test-helpers";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import type { OrderRunContext } from "./order-run-context";
import { loadOrderSettings } from "./order-settings";
import { processSale } from "./process-sale";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const noLock = { getPostings: async () => [] as BbPosting[] };
const lockedTo = (date: string) => ({ getPostings: async () => [{ date, fixed: true } as BbPosting] });
const berlin = { timeZone: "Europe/Berlin", cutoffHour: 0 };

describe("correctionDate", () => {
  it("is the business day the change was noticed, never the closed day it corrects", async () => {
    expect(await correctionDate(noLock, { originalDate: "2026-03-14", detectedAt: new Date("2026-03-16T10:00:00Z"), ...berlin, after: true })).toMatchObject({ date: "2026-03-16", bookingTime: "11:00:00", lockedUntil: null });
    // Noticed while the day itself was still running (a clock behind): still not on the closed day.
    expect((await correctionDate(noLock, { originalDate: "2026-03-14", detectedAt: new Date("2026-03-14T10:00:00Z"), ...berlin, after: true })).date).toBe("2026-03-15");
    // A sale's own re-post may fall on its day when it was edited that day.
    expect((await correctionDate(noLock, { originalDate: "2026-03-14", detectedAt: new Date("2026-03-14T10:00:00Z"), ...berlin, after: false })).date).toBe("2026-03-14");
  });

  it("moves past the last locked (fixed) posting and says so", async () => {
    const d = await correctionDate(lockedTo("2026-03-31"), { originalDate: "2026-03-14", detectedAt: new Date("2026-03-16T10:00:00Z"), ...berlin, after: true });
    expect(d).toMatchObject({ date: "2026-04-01", bookingTime: "00:00:00", lockedUntil: "2026-03-31" });
    expect(d.note).toContain("2026-03-31");
  });

  it("follows a lock that reaches past one look-ahead window", async () => {
    // Festgeschrieben up to 10 May, with a posting every day until then.
    const daily = {
      getPostings: async (f: { dateFrom: string; dateTo: string }) => {
        const out: BbPosting[] = [];
        for (let d = f.dateFrom; d <= f.dateTo && d <= "2026-05-10"; d = addDays(d, 1)) out.push({ date: d, fixed: true } as BbPosting);
        return out;
      },
    };
    const d = await correctionDate(daily, { originalDate: "2026-03-14", detectedAt: new Date("2026-03-16T10:00:00Z"), ...berlin, after: true });
    expect([d.date, d.lockedUntil]).toEqual(["2026-05-11", "2026-05-10"]);
  });
});

describe("#14.10 a re-posted sale is a correction", () => {
  it("#14.10 an edited sale's re-post is dated the day of the change, not back on the sale's day", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } }, settings: { editsAfterSync: "repost" } });
    const mappings = skr03Mappings();
    mappings.defaultDebtor = { postingAccountNumber: 10001, name: "Laufkundschaft" };
    const { settings } = await loadOrderSettings(database, world.tenantId);
    const ctx: OrderRunContext = { database, bb: world.bbClient(), tenantId: world.tenantId, runId: null, settings, mappings, shopTimeZone: () => "Europe/Berlin", redactPii: false, comments: true };

    const original = sale("11.90", [line("11.90")], [pay(PT.cash!, "11.90")]);
    expect(await processSale(ctx, original)).toBe("created");
    const edited = { ...sale("15.00", [line("15.00")], [pay(PT.cash!, "15.00")]), saleId: original.saleId, ticketNumber: original.ticketNumber, completeTime: original.completeTime, updateTime: "2026-03-16T10:00:00.000Z", timeStamp: "2026-03-16T10:00:00.000Z" };
    expect(await processSale(ctx, edited)).toBe("updated");

    const bb = world.bb.tenant(world.bbApiKey);
    const invoice = `LS-1-${original.ticketNumber}`;
    const repost = bb.receipts.filter((r) => !r.deleted && r.invoiceNumber === `${invoice}-K1`);
    expect(repost.map((r) => [r.date, r.amount])).toEqual([["2026-03-16", 1500]]);
    expect(bb.transactions.filter((t) => t.purpose.startsWith(`${invoice}-K1/`)).map((t) => [t.bookingDate.slice(0, 10), t.amount])).toEqual([["2026-03-16", 1500]]);
    expect(repost[0]!.comments.join(" ")).toContain("2026-03-14");
  }, 120_000);
});

describe("#14.10 a reversal is a correction too", () => {
  it("#14.10 a sale voided into a locked period is reversed on the first open day", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
    const mappings = skr03Mappings();
    mappings.defaultDebtor = { postingAccountNumber: 10001, name: "Laufkundschaft" };
    const { settings } = await loadOrderSettings(database, world.tenantId);
    const ctx: OrderRunContext = { database, bb: world.bbClient(), tenantId: world.tenantId, runId: null, settings, mappings, shopTimeZone: () => "Europe/Berlin", redactPii: false, comments: false };

    const original = sale("11.90", [line("11.90")], [pay(PT.cash!, "11.90")]);
    expect(await processSale(ctx, original)).toBe("created");
    // The merchant booked something on the 17th and locked the books up to that day; the void is from the 16th.
    await ctx.bb.addFreePosting({ date: "2026-03-17", text: "Privatentnahme", amount: 2000 as never, debitAccount: 1360, creditAccount: 1590, vat: "0_none" });
    world.bb.tenant(world.bbApiKey).fixedUntil = "2026-03-17";
    const outcome = await processSale(ctx, { ...original, voided: true, updateTime: "2026-03-16T10:00:00.000Z", timeStamp: "2026-03-16T10:00:00.000Z" });
    expect(outcome, JSON.stringify((await getLink(database, world.tenantId, "sale", original.saleId))?.last_error)).toBe("voided");

    const bb = world.bb.tenant(world.bbApiKey);
    const reversal = bb.transactions.filter((t) => t.purpose.endsWith("/S"));
    expect(reversal.map((t) => [t.bookingDate.slice(0, 10), t.amount])).toEqual([["2026-03-18", -1190]]);
    expect(bb.postingsByTransaction.get(reversal[0]!.id)?.length).toBeGreaterThan(0);
  }, 120_000);
});
