import { describe, expect, it } from "vitest";
import type { Cents } from "../../money";
import { buildBookingPlan } from "./build-booking-plan";
import { PT, line, pay, sale, skr03Mappings } from "./fixtures.test-helpers";
import { settleAccountPayment } from "./settle-account-payment";
import { summarizeSale } from "./summarize-sale";

const m = skr03Mappings();
const planOf = (s: ReturnType<typeof sale>) =>
  buildBookingPlan(summarizeSale(s, m), m, {
    kind: "sale", invoiceNumber: "LS-1-9", date: "2026-03-20", bookingTime: "10:00:00", shopId: "1", registerId: "1",
    debtor: { number: 10042, name: "Muster GmbH" }, dueDate: null, linkToSaleId: null, label: "Sale 9", comment: "",
  });
const c = (n: number) => n as Cents;

describe("settleAccountPayment", () => {
  it("#14.12 a payment into the account clears the customer's open receipts oldest first; the excess stays a credit", () => {
    const paidIn = planOf(sale("0", [], [pay(PT.account!, "-150.00"), pay(PT.cash!, "150.00")]));
    expect(paidIn.receipt).toBeNull();
    const settled = settleAccountPayment(paidIn, c(15000), [{ receiptId: "7", open: c(10000) }, { receiptId: "9", open: c(3000) }]);
    expect(settled.tenders[0]!.lines.map((l) => [l.account, l.amount, l.openItemReceiptId ?? null])).toEqual([
      [10042, 10000, "7"],
      [10042, 3000, "9"],
      [10042, 2000, null],
    ]);
    expect(settled.tenders[0]!.amount).toBe(15000);
  });

  it("#14.12 goods bought and the account paid in one sale: only the amount paid in goes to the old receipts", () => {
    const mixed = planOf(sale("50.00", [line("50.00")], [pay(PT.account!, "-100.00"), pay(PT.cash!, "150.00")]));
    const settled = settleAccountPayment(mixed, c(10000), [{ receiptId: "7", open: c(10000) }]);
    expect(settled.tenders[0]!.lines.map((l) => [l.amount, l.openItemReceiptId ?? null, !!l.clearsReceipt])).toEqual([
      [10000, "7", false],
      [5000, null, true],
    ]);
  });

  it("leaves a plan without money paid in unchanged", () => {
    const p = planOf(sale("20.00", [line("20.00")], [pay(PT.cash!, "20.00")]));
    expect(settleAccountPayment(p, c(0), [{ receiptId: "7", open: c(100) }])).toBe(p);
  });
});
