import { describe, expect, it } from "vitest";
import { buildBookingPlan, type PlanContext } from "./build-booking-plan";
import { PT, line, pay, sale, skr03Mappings } from "./fixtures.test-helpers";
import { mergeSummaries, negateSummary, summarizeSale } from "./summarize-sale";

const ctx: PlanContext = {
  kind: "sale",
  invoiceNumber: "LS-1-220000000300",
  date: "2026-04-03",
  bookingTime: "15:00:00",
  shopId: "1",
  registerId: "1",
  debtor: { number: 10001, name: "Erika Mustermann" },
  dueDate: "2026-04-03",
  linkToSaleId: null,
  label: "Sale 220000000300",
  comment: "",
};
const businessDay = { timeZone: "Europe/Berlin", cutoffHour: 0 };

/** A layaway of 119.00 € (19 %) and 53.50 € (7 %), paid 30 + 50 before completion and the rest on completion. */
function layaway() {
  const first = { ...pay(PT.cash!, "30.00"), createTime: "2026-03-28T10:00:00.000Z" };
  const second = { ...pay(PT.card!, "50.00"), createTime: "2026-04-01T09:30:00.000Z" };
  const last = { ...pay(PT.cash!, "92.50"), createTime: "2026-04-03T13:00:00.000Z" };
  return sale("172.50", [line("119.00", "0.19", { isLayaway: true }), line("53.50", "0.07", { isLayaway: true })], [first, second, last], {
    createTime: "2026-03-28T09:55:00.000Z",
    completeTime: "2026-04-03T13:00:00.000Z",
    timeStamp: "2026-04-03T13:00:00.000Z",
  });
}

const sum = (xs: { amount: number }[]) => xs.reduce((a, x) => a + x.amount, 0);

describe("deposits on layaways, special orders and work orders (#14.9)", () => {
  it("#14.9 deposits are cash and VAT on the day they are paid: a transaction on each payment day to the advance-payment account, cleared on completion", () => {
    const m = skr03Mappings();
    const plan = buildBookingPlan(summarizeSale(layaway(), m, { businessDay }), m, ctx);

    // Revenue in full on the completion day.
    expect(plan.receipt?.amount).toBe(17250);
    expect(plan.date).toBe("2026-04-03");

    // One transaction per instalment, each on its own business day.
    const byDay = plan.tenders.map((t) => ({ day: t.bookingDate.slice(0, 10), account: t.account, amount: t.amount }));
    expect(byDay).toEqual([
      { day: "2026-04-03", account: 1000, amount: 9250 },
      { day: "2026-03-28", account: 1000, amount: 3000 },
      { day: "2026-04-01", account: 1792, amount: 5000 },
    ]);

    // A deposit posts to the taxed advance-payment accounts, split by the goods' VAT (119 : 53.50), to the cent.
    const first = plan.tenders.find((t) => t.bookingDate.startsWith("2026-03-28"))!;
    expect(first.lines.map((l) => [l.account, l.vat, l.amount])).toEqual([
      [1718, "19_vat", 2070],
      [1711, "7_vat", 930],
    ]);
    expect(first.lines.every((l) => !l.clearsReceipt)).toBe(true);
    for (const t of plan.tenders) expect(sum(t.lines)).toBe(t.amount);

    // On completion each deposit leaves the advance-payment account to settle the receipt with the same VAT code:
    // the account returns to zero and the VAT of the payment day is taken back exactly.
    const clearing = plan.freePostings.filter((f) => f.clearsReceipt);
    expect(clearing.every((f) => f.date === "2026-04-03" && f.creditAccount === 10001)).toBe(true);
    const perAccount = new Map<number, number>();
    for (const t of plan.tenders) for (const l of t.lines) if (l.account === 1718 || l.account === 1711) perAccount.set(l.account, (perAccount.get(l.account) ?? 0) + l.amount);
    for (const f of clearing) perAccount.set(f.debitAccount, (perAccount.get(f.debitAccount) ?? 0) - f.amount);
    expect([...perAccount.values()]).toEqual([0, 0]);
    expect(clearing.map((f) => f.vat).sort()).toEqual(["19_vat", "19_vat", "7_vat", "7_vat"]);
  });

  it("#14.9 a sale paid in full on its day has no deposits", () => {
    const m = skr03Mappings();
    const s = sale("11.90", [line("11.90")], [{ ...pay(PT.cash!, "11.90"), createTime: "2026-03-14T09:05:00.000Z" }]);
    const plan = buildBookingPlan(summarizeSale(s, m, { businessDay }), m, { ...ctx, date: "2026-03-14" });
    expect(plan.tenders.map((t) => t.key)).toEqual(["1"]);
    expect(plan.freePostings).toEqual([]);
  });

  it("#14.9 a daily-summary correction that nets a posted layaway against itself books no deposit twice", () => {
    const m = skr03Mappings();
    const s = summarizeSale(layaway(), m, { businessDay });
    const plan = buildBookingPlan(mergeSummaries([s, negateSummary(s), s]), m, { ...ctx, kind: "day" });
    expect(plan.tenders.filter((t) => t.key.startsWith("A")).map((t) => t.amount)).toEqual([3000, 5000]);
  });

  it("#14.9 a day correction that takes out a sale whose deposits were booked while it was open reverses only their clearing", () => {
    const m = skr03Mappings();
    const booked = summarizeSale(layaway(), m, { businessDay });
    booked.tenders = booked.tenders.map((t) => (t.deposit ? { ...t, deposit: { ...t.deposit, booked: [{ vat: "19_vat", amount: t.base }] } } : t));
    const plan = buildBookingPlan(negateSummary(booked), m, { ...ctx, kind: "day" });
    expect(plan.tenders.filter((t) => t.key.startsWith("A"))).toEqual([]);
    expect(plan.freePostings.map((f) => [f.debitAccount, f.creditAccount, f.amount, f.clearsReceipt])).toEqual([
      [10001, 1718, 3000, false],
      [10001, 1718, 5000, false],
    ]);
  });
});
