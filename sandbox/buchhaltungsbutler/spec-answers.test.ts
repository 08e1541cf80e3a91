import { describe, expect, it } from "vitest";
import { err, errorOf, manualClock, sandboxWithTenant } from "./test-helpers";

/**
 * Issue 16 items 5–8: places where the sandbox was kinder than BB's spec. Each answer here is the spec's (or,
 * where the spec contradicts itself, the reading the README argues for); the lenient one sits behind a switch.
 */
const DEBTOR = 10003;
const seed = {
  debtors: [{ number: DEBTOR, name: "Max Mustermann" }],
  paymentAccounts: [{ number: 1000, name: "Kasse", type: "cash" as const }],
};
const s = await sandboxWithTenant(seed);

let n = 0;
async function receipt(over: Record<string, unknown> = {}): Promise<number> {
  const a = await s.call("receipts/add", { type: "invoice outbound", counterparty: "Max", invoice_number: `SA-${++n}`, date: "2026-03-14", amount: 119, currency: "EUR", creditor_debtor: DEBTOR, ...over });
  expect(a.json.success).toBe(true);
  return Number(a.json.id_by_customer);
}
const line = { postingaccounts: [8400], postingtexts: ["Waren 19 %"], vats: ["19_vat"], amounts: ["119.00"] };

describe("postings/add/receipt needs the debtor when debtor posting is on (item 5)", () => {
  it("refuses a posting without `debtor` with 43, even when the receipt names one", async () => {
    const rid = await receipt();
    expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: rid, ...line }))).toEqual(err(400, 43));
    expect((await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...line })).json).toEqual({ success: true, message: "" });
  });

  it("refuses it in the batch too, item by item", async () => {
    const rid = await receipt();
    const a = await s.call("postings/add-batch/receipts", { receipts: [{ receipt_id_by_customer: rid, ...line }] });
    expect(a.json.success).toBe(true);
    expect((a.json.errors as { error_code: number }[]).map((e) => e.error_code)).toEqual([43]);
  });
});

describe("receipts/get/<unknown id> (item 6)", () => {
  it("answers 400/5, the only code the spec lists for it", async () => {
    expect(errorOf(await s.call("receipts/get/987654"))).toEqual(err(400, 5));
  });

  it("answers 200 with empty data behind unknownReceiptId: \"empty\"", async () => {
    const lenient = await sandboxWithTenant(seed, { strictness: { unknownReceiptId: "empty" } });
    const a = await lenient.call("receipts/get/987654");
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ success: true, data: [] });
  });
});

describe("throttling answers per endpoint (item 7)", () => {
  const tight = () => sandboxWithTenant(seed, { clock: manualClock(), limits: { perWindow: 1, windowMs: 60_000, batchIntervalMs: 5_000, batchMaxItems: 50, uploadsPerWindow: 10 } });

  it("is 403/15 on an endpoint whose spec lists it", async () => {
    const t = await tight();
    await t.call("settings/get/debtors");
    const a = await t.call("transactions/add", { account: 1000, to_from: "Max", amount: 1, booking_date: "2026-03-14 10:00:00" });
    expect(a.status).toBe(403);
    expect(a.json).toEqual({ success: false, error_code: 15, message: "adding is temporarily restricted" });
  });

  it("is never 15 on receipts/get, where 15 means \"invalid sort field\", nor on other reads", async () => {
    const t = await tight();
    await t.call("settings/get/debtors");
    for (const path of ["receipts/get", "settings/get/debtors", "postings/add/receipt"]) {
      const a = await t.call(path, path === "postings/add/receipt" ? { receipt_id_by_customer: 1, debtor: DEBTOR, ...line } : {});
      expect(a.status, path).toBe(429);
      expect(a.json.error_code, path).toBeUndefined();
      expect(a.json.success, path).toBe(false);
    }
    expect(t.sandbox.stats(t.apiKey).throttled).toBe(3);
  });
});

describe("posting amounts in batches (item 8)", () => {
  it("take \"0000.00\" strings like the single endpoints, and refuse numbers there as well", async () => {
    const [r1, r2] = [await receipt(), await receipt()];
    const a = await s.call("postings/add-batch/receipts", {
      receipts: [
        { receipt_id_by_customer: r1, debtor: DEBTOR, ...line },
        { receipt_id_by_customer: r2, debtor: DEBTOR, ...line, amounts: [119] },
      ],
    });
    expect((a.json.receipts as unknown[]).length).toBe(1);
    expect((a.json.errors as { error_code: number }[]).map((e) => e.error_code)).toEqual([35]);
    const free = await s.call("postings/add-batch/free", {
      free_postings: [
        { date: "2026-03-14", postingtext: "Umbuchung", amount: "10.00", postingaccount_debit: 1590, postingaccount_credit: 1360, vat: "0_none" },
        { date: "2026-03-14", postingtext: "Umbuchung", amount: 10, postingaccount_debit: 1590, postingaccount_credit: 1360, vat: "0_none" },
        { date: "2026-03-14", postingtext: "Umbuchung", amount: "10.5", postingaccount_debit: 1590, postingaccount_credit: 1360, vat: "0_none" },
      ],
    });
    expect((free.json.free_postings as unknown[]).length).toBe(1);
    expect((free.json.errors as { error_code: number }[]).map((e) => e.error_code)).toEqual([21, 21]);
  });
});
