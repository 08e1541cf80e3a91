import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error";
import type { BookingPlan } from "./booking-plan";
import { buildBookingPlan, type PlanContext } from "./build-booking-plan";
import { PT, line, pay, sale, skr03Mappings } from "./fixtures.test-helpers";
import { mergeSummaries, summarizeSale } from "./summarize-sale";
import { validateSale } from "./validate-sale";

const ctx = (overrides: Partial<PlanContext> = {}): PlanContext => ({
  kind: "sale",
  invoiceNumber: "LS-1-220000000277",
  date: "2026-03-14",
  bookingTime: "10:05:00",
  shopId: "1",
  registerId: "1",
  debtor: { number: 10000, name: "Laufkundschaft" },
  dueDate: "2026-03-14",
  linkToSaleId: null,
  label: "Verkauf 220000000277",
  comment: "Lightspeed-Verkauf 220000000277",
  ...overrides,
});

const sum = (xs: { amount: number }[]) => xs.reduce((a, x) => a + x.amount, 0);

/** Every plan must balance: receipt lines = receipt amount, each transaction's lines = its amount. */
function expectBalanced(plan: BookingPlan) {
  if (plan.receipt) expect(sum(plan.receipt.lines)).toBe(plan.receipt.amount);
  for (const t of plan.tenders) expect(sum(t.lines)).toBe(t.amount);
  for (const l of [...(plan.receipt?.lines ?? []), ...plan.tenders.flatMap((t) => t.lines)]) expect(l.amount).not.toBe(0);
}

function plan(s: ReturnType<typeof sale>, overrides: Partial<PlanContext> = {}) {
  const m = skr03Mappings();
  validateSale(s, { maxSaleTotalCents: 10_000_000 });
  return buildBookingPlan(summarizeSale(s, m), m, ctx(overrides));
}

describe("booking plan for one sale", () => {
  it("posts revenue per account × VAT code and one cash transaction clearing the receipt", () => {
    const p = plan(sale("15.40", [line("11.90"), line("3.50", "0.07")], [pay(PT.cash!, "15.40")]));
    expectBalanced(p);
    expect(p.receipt!.amount).toBe(1540);
    expect(p.receipt!.lines).toEqual([
      { account: 8400, vat: "19_vat", amount: 1190, text: "LS-1-220000000277 Erlöse 19 %" },
      { account: 8300, vat: "7_vat", amount: 350, text: "LS-1-220000000277 Erlöse 7 %" },
    ]);
    expect(p.tenders).toHaveLength(1);
    expect(p.tenders[0]).toMatchObject({ account: 1000, amount: 1540, purpose: "LS-1-220000000277/1", bookingDate: "2026-03-14 10:05:00" });
    expect(p.tenders[0]!.lines).toEqual([{ account: 10000, vat: "0_none", amount: 1540, text: "LS-1-220000000277 Laufkundschaft", clearsReceipt: true }]);
    expect(p.totals.byVat).toEqual({ "19_vat": 1190, "7_vat": 350 });
  });

  it("takes the header total as the truth and books the rounding difference on the rounding account", () => {
    // Two 19 % lines of 1.1050000 and one 7 % line of 1.0050000: groups round to 2.21 and 1.01 (3.22),
    // Lightspeed rounds the exact sum 3.215 to 3.22 — equal here; with a third group the cent shows.
    const s = sale("3.22", [line("1.1050000"), line("1.1050000"), line("1.0050000", "0.07")], [pay(PT.cash!, "3.22")]);
    expectBalanced(plan(s));
    const s2 = sale("3.01", [line("1.0049000"), line("1.0049000", "0.07"), line("1.0049000", "0")], [pay(PT.cash!, "3.01")]);
    const p2 = plan(s2);
    expectBalanced(p2);
    expect(p2.receipt!.amount).toBe(301);
    expect(p2.receipt!.lines.find((l) => l.text.includes("Rundung"))).toMatchObject({ account: 8200, vat: "0_none", amount: 1 });
    expect(p2.totals.rounding).toBe(1);
  });

  it("splits cash and card into two transactions, card on the clearing account, never on cash", () => {
    const p = plan(sale("100.00", [line("100.00")], [pay(PT.cash!, "30.00"), pay(PT.card!, "70.00")]));
    expectBalanced(p);
    expect(p.tenders.map((t) => [t.account, t.amount])).toEqual([
      [1000, 3000],
      [1792, 7000],
    ]);
  });

  it("books a tip on the tips account inside the card transaction, not as revenue", () => {
    const p = plan(sale("20.00", [line("20.00")], [pay(PT.card!, "22.00", "2.00")]));
    expectBalanced(p);
    expect(p.receipt!.amount).toBe(2000);
    expect(p.tenders[0]!.amount).toBe(2200);
    expect(p.tenders[0]!.lines).toEqual([
      expect.objectContaining({ account: 10000, amount: 2000, clearsReceipt: true }),
      expect.objectContaining({ account: 1590, amount: 200 }),
    ]);
    expect(p.totals.tips).toBe(200);
  });

  it("posts a refund as a negative receipt on the same revenue account and VAT code", () => {
    const p = plan(sale("-11.90", [line("-11.90", "0.19", { unitQuantity: "-1", parentSaleLineID: "5" } as never)], [pay(PT.cash!, "-11.90")]), { linkToSaleId: "42" });
    expectBalanced(p);
    expect(p.receipt).toMatchObject({ amount: -1190, linkToSaleId: "42" });
    expect(p.receipt!.lines).toEqual([expect.objectContaining({ account: 8400, vat: "19_vat", amount: -1190 })]);
    expect(p.tenders[0]).toMatchObject({ account: 1000, amount: -1190 });
  });

  it("treats a gift-card sale as a liability, not revenue", () => {
    // The customer buys a 50 € card with cash: no goods, so no receipt; the value moves from the debtor
    // (paid by the cash) to the liability account.
    const p = plan(sale("0.00", [], [pay(PT.cash!, "50.00"), pay(PT.gift!, "-50.00")]));
    expectBalanced(p);
    expect(p.receipt).toBeNull();
    expect(p.tenders).toHaveLength(1);
    expect(p.tenders[0]).toMatchObject({ account: 1000, amount: 5000 });
    expect(p.tenders[0]!.lines).toEqual([expect.objectContaining({ account: 10000, amount: 5000, clearsReceipt: false })]);
    expect(p.freePostings).toEqual([expect.objectContaining({ amount: 5000, debitAccount: 10000, creditAccount: 1796, vat: "0_none", clearsReceipt: false })]);
    expect(p.totals.byVat).toEqual({});
  });

  it("books goods plus a gift card bought in the same sale", () => {
    const p = plan(sale("11.90", [line("11.90")], [pay(PT.card!, "61.90"), pay(PT.gift!, "-50.00")]));
    expectBalanced(p);
    expect(p.receipt!.amount).toBe(1190);
    expect(p.tenders[0]!.lines.map((l) => [l.account, l.amount])).toEqual([[10000, 6190]]);
    expect(p.freePostings).toEqual([expect.objectContaining({ amount: 5000, debitAccount: 10000, creditAccount: 1796 })]);
  });

  it("issues store credit on a gift card for a refund", () => {
    const p = plan(sale("-10.00", [line("-10.00")], [pay(PT.gift!, "-10.00")]));
    expectBalanced(p);
    expect(p.receipt!.amount).toBe(-1000);
    expect(p.tenders).toEqual([]);
    expect(p.freePostings).toEqual([expect.objectContaining({ amount: 1000, debitAccount: 10000, creditAccount: 1796, clearsReceipt: true })]);
  });

  it("redeems a gift card with a free posting from the liability to the debtor", () => {
    const p = plan(sale("30.00", [line("30.00")], [pay(PT.gift!, "25.00"), pay(PT.cash!, "5.00")]));
    expectBalanced(p);
    expect(p.tenders).toHaveLength(1);
    expect(p.tenders[0]!.lines).toEqual([expect.objectContaining({ account: 10000, amount: 500, clearsReceipt: true })]);
    expect(p.freePostings).toEqual([expect.objectContaining({ amount: 2500, debitAccount: 1796, creditAccount: 10000, vat: "0_none", clearsReceipt: true })]);
  });

  it("leaves an on-account sale as an open item with no transaction", () => {
    const p = plan(sale("119.00", [line("119.00")], [pay(PT.account!, "119.00")]), { debtor: { number: 10023, name: "Muster GmbH" }, dueDate: "2026-03-28" });
    expectBalanced(p);
    expect(p.receipt).toMatchObject({ amount: 11900, dueDate: "2026-03-28" });
    expect(p.tenders).toEqual([]);
    expect(p.freePostings).toEqual([]);
  });

  it("fails alone with a clear message for an unmapped payment type", () => {
    const s = sale("10.00", [line("10.00")], [pay(PT.paypal!, "10.00")]);
    const err = (() => {
      try {
        plan(s);
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err!.code).toBe("MAPPING_MISSING");
    expect(err!.detail).toContain('payment type "PayPal" (id 7) is not mapped');
    expect(err!.fixHint).toContain("Mappings → Payment types");
  });

  it("rejects a sale whose lines do not add up, whose payments do not match, or whose amounts are absurd", () => {
    expect(() => plan(sale("50.00", [line("40.00")], [pay(PT.cash!, "50.00")]))).toThrow(/lines add up to 40.00 € but its total is 50.00 €/);
    expect(() => plan(sale("50.00", [line("50.00")], [pay(PT.cash!, "45.00")]))).toThrow(/payments \(45.00 € without tips\) do not match its total \(50.00 €\)/);
    expect(() => plan(sale("1000000000000", [line("1000000000000")], [pay(PT.cash!, "1000000000000")]))).toThrow(/larger than the limit/);
    expect(() => plan(sale("abc", [line("1.00")], [pay(PT.cash!, "1.00")]))).toThrow(/total "abc" is not a number/);
  });

  it("refuses VAT rates BuchhaltungsButler cannot book", () => {
    expect(() => plan(sale("11.60", [line("11.60", "0.16")], [pay(PT.cash!, "11.60")]))).toThrow(/VAT rate 16 % cannot be booked/);
  });
});

describe("daily summary", () => {
  it("merges a day's sales into one receipt per VAT code and one transaction per payment type", () => {
    const m = skr03Mappings();
    const sales = [
      sale("11.90", [line("11.90")], [pay(PT.cash!, "11.90")]),
      sale("23.80", [line("20.00"), line("3.80", "0.07")], [pay(PT.card!, "23.80")]),
      sale("-11.90", [line("-11.90")], [pay(PT.cash!, "-11.90")]),
      sale("5.00", [line("5.00", "0.07")], [pay(PT.cash!, "5.00")]),
    ];
    const merged = mergeSummaries(sales.map((s) => summarizeSale(s, m)));
    const p = buildBookingPlan(merged, m, ctx({ kind: "day", invoiceNumber: "Z-1-2026-03-14" }));
    expectBalanced(p);
    expect(p.saleIds).toHaveLength(4);
    expect(p.receipt!.amount).toBe(2880);
    expect(p.totals.byVat).toEqual({ "19_vat": 2000, "7_vat": 880 });
    expect(p.tenders.map((t) => [t.account, t.amount])).toEqual([
      [1000, 500],
      [1792, 2380],
    ]);
  });
});

describe("#14.2 daily summary: the plan's tender keys", () => {
  it("#14.2 day plan tender keys follow the payment type, not the order the day's sales were read in", () => {
    const m = skr03Mappings();
    const cash = sale("11.90", [line("11.90")], [pay(PT.cash!, "11.90")]);
    const card = sale("23.80", [line("23.80")], [pay(PT.card!, "23.80")]);
    const dayPlan = (sales: ReturnType<typeof sale>[]) =>
      buildBookingPlan(mergeSummaries(sales.map((s) => summarizeSale(s, m))), m, ctx({ kind: "day", invoiceNumber: "Z-1-2026-03-14" }));
    const keyed = (p: BookingPlan) => Object.fromEntries(p.tenders.map((t) => [t.key, [t.account, t.amount, t.purpose]]));
    const a = dayPlan([cash, card]);
    const b = dayPlan([card, cash]);
    // A retry that reads the same sales in another order must name each payment exactly as the first attempt did.
    expect(keyed(b)).toEqual(keyed(a));
    expect(a.tenders.map((t) => t.account)).toEqual([1000, 1792]);
    expect(new Set(a.tenders.map((t) => t.key)).size).toBe(2);
  });
});
