import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error";
import { buildBookingPlan, type PlanContext } from "./build-booking-plan";
import { PT, line, pay, sale, skr03Mappings } from "./fixtures.test-helpers";
import { mergeSummaries, summarizeSale } from "./summarize-sale";

const ctx: PlanContext = {
  kind: "sale",
  invoiceNumber: "LS-1-1",
  date: "2026-03-14",
  bookingTime: "10:00:00",
  shopId: "1",
  registerId: "1",
  debtor: { number: 10000, name: "Laufkundschaft" },
  dueDate: null,
  linkToSaleId: null,
  label: "Verkauf 1",
  comment: "",
};

function singlePurpose() {
  const m = skr03Mappings();
  m.giftCardKind = { kind: "single_purpose", account: 8400, vat: "19_vat" };
  return m;
}

const revenueOf = (p: ReturnType<typeof buildBookingPlan>) => (p.receipt?.lines ?? []).map((l) => [l.account, l.vat, l.amount]);

describe("#14.13 tax-free lines", () => {
  it("#14.13 a line sold without tax goes to the tax-free account with keine USt., also with category accounts on", () => {
    const m = skr03Mappings();
    m.categories.set("5|0", { account: 8499 });
    const s = sale("21.90", [line("11.90"), line("10.00", "0")], [pay(PT.cash!, "21.90")]);
    const summary = summarizeSale(s, m, { useCategoryAccounts: true, categoryOf: () => "5" });
    expect(revenueOf(buildBookingPlan(summary, m, ctx))).toEqual([
      [8400, "19_vat", 1190],
      [8100, "0_none", 1000],
    ]);
  });

  it("#14.13 without a tax-free account the sale fails with what to map", () => {
    const m = skr03Mappings();
    m.taxFree = null;
    const s = sale("10.00", [line("10.00", "0")], [pay(PT.cash!, "10.00")]);
    expect(() => summarizeSale(s, m)).toThrow(AppError);
  });
});

describe("#14.14 single-purpose vouchers", () => {
  it("#14.14 multi-purpose (the default) keeps today's liability", () => {
    const m = skr03Mappings();
    const p = buildBookingPlan(summarizeSale(sale("0.00", [], [pay(PT.gift!, "-50.00"), pay(PT.cash!, "50.00")]), m), m, ctx);
    expect(p.receipt).toBeNull();
    expect(p.freePostings.map((f) => [f.debitAccount, f.creditAccount, f.amount])).toEqual([[10000, 1796, 5000]]);
  });

  it("#14.14 a voucher sold is revenue at its rate on the receipt, paid by the tender, no free posting", () => {
    const m = singlePurpose();
    const p = buildBookingPlan(summarizeSale(sale("0.00", [], [pay(PT.gift!, "-50.00"), pay(PT.cash!, "50.00")]), m), m, ctx);
    expect(revenueOf(p)).toEqual([[8400, "19_vat", 5000]]);
    expect(p.receipt!.amount).toBe(5000);
    expect(p.freePostings).toEqual([]);
    expect(p.tenders.map((t) => [t.account, t.amount, t.lines[0]!.clearsReceipt])).toEqual([[1000, 5000, true]]);
    expect(p.totals.byVat).toEqual({ "19_vat": 5000 });
  });

  it("#14.14 a voucher that pays for all the goods leaves no receipt and no revenue", () => {
    const m = singlePurpose();
    // Two lines whose exact values add up to a tenth of a cent less than the header total.
    const p = buildBookingPlan(summarizeSale(sale("35.00", [line("20.0000000"), line("14.9990000")], [pay(PT.gift!, "35.00")]), m), m, ctx);
    expect(p.receipt).toBeNull();
    expect(p.freePostings).toEqual([]);
    expect(p.tenders).toEqual([]);
  });

  it("#14.14 a partial redemption books only what is paid on top, on the goods' own accounts", () => {
    const m = singlePurpose();
    m.categories.set("5|19", { account: 8401 });
    const s = sale("80.00", [line("80.00")], [pay(PT.gift!, "50.00"), pay(PT.card!, "30.00")]);
    const p = buildBookingPlan(summarizeSale(s, m, { useCategoryAccounts: true, categoryOf: () => "5" }), m, ctx);
    expect(revenueOf(p)).toEqual([[8401, "19_vat", 3000]]);
    expect(p.tenders.map((t) => [t.account, t.amount])).toEqual([[1792, 3000]]);
  });

  it("#14.14 a single-purpose voucher that pays for goods at another rate fails the sale with what to fix", () => {
    const m = singlePurpose();
    const s = sale("30.00", [line("10.00"), line("20.00", "0.07")], [pay(PT.gift!, "30.00")]);
    expect(() => summarizeSale(s, m)).toThrow(/multi-purpose/);
  });

  it("#14.14 a refund paid out onto a voucher keeps the revenue (the money stayed in the shop as a voucher)", () => {
    const m = singlePurpose();
    const p = buildBookingPlan(summarizeSale(sale("-35.00", [line("-35.00")], [pay(PT.gift!, "-35.00")]), m), m, ctx);
    expect(p.receipt).toBeNull();
    expect(p.freePostings).toEqual([]);
  });

  it("#14.14 a day that sells one voucher and redeems another books the net revenue once", () => {
    const m = singlePurpose();
    const sold = summarizeSale(sale("10.00", [line("10.00")], [pay(PT.gift!, "-25.00"), pay(PT.cash!, "35.00")]), m);
    const redeemed = summarizeSale(sale("40.00", [line("40.00")], [pay(PT.gift!, "25.00"), pay(PT.card!, "15.00")]), m);
    const p = buildBookingPlan(mergeSummaries([sold, redeemed]), m, { ...ctx, kind: "day" });
    expect(revenueOf(p)).toEqual([[8400, "19_vat", 5000]]);
    expect(p.tenders.map((t) => [t.account, t.amount])).toEqual([
      [1000, 3500],
      [1792, 1500],
    ]);
  });
});
