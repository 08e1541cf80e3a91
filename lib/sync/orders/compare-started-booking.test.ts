import { describe, expect, it } from "vitest";
import type { BbPosting } from "@/lib/buchhaltungsbutler";
import type { Cents } from "@/lib/money";
import type { BookingPlan } from "./booking-plan";
import { bookingStarted, startedBookingChanged } from "./compare-started-booking";

function plan(gross: number, account = 1000, vat: "19_vat" | "7_vat" = "19_vat"): BookingPlan {
  const amount = gross as Cents;
  return {
    kind: "sale",
    saleIds: ["1"],
    invoiceNumber: "LS-1-1",
    date: "2026-03-14",
    shopId: "1",
    registerId: "1",
    debtor: { number: 10001, name: "Laufkundschaft" },
    receipt: { amount, dueDate: "2026-03-14", lines: [{ account: 8400, vat, amount, text: "Erlöse" }], linkToSaleId: null },
    tenders: [
      { key: "1", paymentTypeIds: ["1"], paymentTypeName: "Bar", account, amount, purpose: "LS-1-1/1", bookingDate: "2026-03-14 10:00:00", bookingText: "Bar", lines: [{ account: 10001, vat: "0_none", amount, text: "x", clearsReceipt: true }] },
    ],
    freePostings: [],
    comment: "",
    totals: { gross: amount, byVat: { [vat]: amount }, byPaymentType: {}, tips: 0 as Cents, rounding: 0 as Cents },
  };
}

const none = async (): Promise<BbPosting[]> => [];

describe("startedBookingChanged", () => {
  it("lets a booking be finished as the new plan when every written part is the same", async () => {
    // Only the receipt is written; the payment moved from cash to card (not written yet).
    expect(await startedBookingChanged({ receiptId: "5" }, plan(1000), plan(1000, 1792), none)).toBe(false);
  });

  it("sees a receipt written for another amount", async () => {
    expect(await startedBookingChanged({ receiptId: "5" }, plan(1000), plan(2500), none)).toBe(true);
  });

  it("sees a payment written for another account", async () => {
    expect(await startedBookingChanged({ receiptId: "5", tenders: { "1": { transactionId: "9" } } }, plan(1000), plan(1000, 1792), none)).toBe(true);
  });

  it("counts lines sent but unconfirmed as written only when BB has them", async () => {
    const state = { receiptId: "5", intents: ["receipt_posting"] };
    expect(await startedBookingChanged(state, plan(1000), plan(1000, 1000, "7_vat"), none)).toBe(false);
    const posted = async () => [{ receiptId: "5", transactionId: null } as BbPosting];
    expect(await startedBookingChanged(state, plan(1000), plan(1000, 1000, "7_vat"), posted)).toBe(true);
  });

  it("knows a booking with nothing written from one that has started", () => {
    expect(bookingStarted({ tenders: {}, free: {}, intents: [] })).toBe(false);
    expect(bookingStarted({ receiptId: "5" })).toBe(true);
  });
});
