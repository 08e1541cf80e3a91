import { describe, expect, it } from "vitest";
import { scaledClock } from "@/lib/clock";
import { addPosting, taxOfGross, trialBalance } from "./ledger";
import { createTenant } from "./model";

describe("ledger", () => {
  it("takes the tax out of a gross amount, rounded half up", () => {
    expect(taxOfGross(11900, 19)).toBe(1900);
    expect(taxOfGross(10700, 19)).toBe(1708);
    expect(taxOfGross(1200, 7)).toBe(79);
    expect(taxOfGross(-11900, 19)).toBe(-1900);
    expect(taxOfGross(500, 0)).toBe(0);
  });

  it("keeps the books balanced for every kind of posting", () => {
    const t = createTenant({ name: "Ledger", debtors: [{ number: 10001, name: "K" }] });
    const clock = scaledClock(1);
    const base = { receiptId: null, transactionId: null, assignedReceiptIds: [], costLocation: null, costLocationTwo: null, date: "2026-03-01", text: "x" };
    addPosting(t, clock, { ...base, kind: "receipt", amount: 11900, vat: "19_vat", debit: 10001, credit: 8400, taxSide: "credit" });
    addPosting(t, clock, { ...base, kind: "transaction", amount: 11900, vat: "0_none", debit: 1000, credit: 10001, taxSide: null });
    addPosting(t, clock, { ...base, kind: "free", amount: 2380, vat: "19_pre", debit: 4930, credit: 1200, taxSide: "debit" });
    addPosting(t, clock, { ...base, kind: "free", amount: 10000, vat: "19_both_1", debit: 3400, credit: 1600, taxSide: "debit" });
    const tb = trialBalance(t);
    expect(tb.totalDebit).toBe(tb.totalCredit);
    const bal = (n: number) => tb.rows.find((r) => r.account === n)?.balance;
    expect([bal(8400), bal(1776), bal(10001), bal(1000), bal(4930), bal(1576), bal(1577), bal(1787)]).toEqual([-10000, -1900, 0, 11900, 2000, 380, 1900, -1900]);
  });
});
