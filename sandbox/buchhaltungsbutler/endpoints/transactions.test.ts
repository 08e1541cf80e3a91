import { describe, expect, it } from "vitest";
import { err, errorOf, sandboxWithTenant } from "../test-helpers";

const DEBTOR = 10003;
const s = await sandboxWithTenant({
  debtors: [{ number: DEBTOR, name: "Max Mustermann" }],
  paymentAccounts: [
    { number: 1000, name: "Kasse", type: "cash", revisionSafe: true },
    { number: 1792, name: "EC/Kreditkarte", type: "other" },
  ],
});

const tx = (over: Record<string, unknown> = {}) => ({ account: 1000, to_from: "Max Mustermann", amount: 119, booking_date: "2026-03-14 10:05:00", purpose: "LS-1/1", ...over });
const newReceipt = async (invoice: string, amount = 119) =>
  Number((await s.call("receipts/add", { type: "invoice outbound", counterparty: "Max", invoice_number: invoice, date: "2026-03-14", amount, currency: "EUR", creditor_debtor: DEBTOR })).json.id_by_customer);

describe("transactions/add", () => {
  it("creates a payment; the id comes back as a number (seen live)", async () => {
    const a = await s.call("transactions/add", tx({ booking_text: "", purpose: "", value_date: "2026-03-15 00:00:00", currency: "EUR" }));
    expect(a.json).toEqual({ success: true, message: "", id_by_customer: expect.any(Number) });
  });

  it.each([
    ["no account", { account: undefined }, 5],
    ["account not a number", { account: "Kasse" }, 6],
    ["account that is no payment account", { account: 8400 }, 7],
    ["Geldtransit as payment account", { account: 1360 }, 7],
    ["no to_from", { to_from: undefined }, 8],
    ["empty to_from", { to_from: "" }, 9],
    ["no amount", { amount: undefined }, 10],
    ["amount 0", { amount: 0 }, 13],
    ["amount with three decimals", { amount: 1.005 }, 13],
    ["no booking date", { booking_date: undefined }, 14],
    ["booking date without time", { booking_date: "2026-03-14" }, 16],
    ["bad value date", { value_date: "2026-03-14" }, 17],
    ["empty account number", { account_number: "" }, 18],
    ["bad bank code", { bank_code: "12" }, 19],
    ["empty bank name", { bank_name: "" }, 20],
    ["purpose over 255 characters", { purpose: "x".repeat(256) }, 21],
    ["empty type", { type: "" }, 22],
    ["booking text not a string", { booking_text: 5 }, 24],
    ["empty payment reference", { payment_reference: "" }, 25],
    ["unknown currency", { currency: "EURO" }, 26],
  ])("rejects %s", async (_n, over, code) => {
    expect(errorOf(await s.call("transactions/add", tx(over)))).toEqual(err(400, code));
  });

  it("answers an empty body with error 23", async () => {
    expect(errorOf(await s.call("transactions/add", undefined, { raw: "" }))).toEqual(err(400, 23));
  });

  it("refuses payments dated in a fixed (festgeschrieben) period", async () => {
    s.sandbox.tenant(s.apiKey).fixedUntil = "2026-02-28";
    try {
      expect(errorOf(await s.call("transactions/add", tx({ booking_date: "2026-02-10 12:00:00" })))).toEqual(err(400, 16));
    } finally {
      s.sandbox.tenant(s.apiKey).fixedUntil = null;
    }
  });
});

describe("transactions/addBatch", () => {
  it("maps partial failures into errors[]", async () => {
    const items = [tx({ purpose: "TB-1" }), tx({ purpose: "TB-2", account: 4711 }), tx({ purpose: "TB-3" })];
    const a = await s.call("transactions/addBatch", { transactions: items });
    expect((a.json.transactions as unknown[]).length).toBe(2);
    expect(a.json.errors).toEqual([{ success: false, error_code: 7, message: "account does not exist for the customer", request_data: items[1] }]);
  });

  it("refuses more than 50", async () => {
    const many = Array.from({ length: 51 }, (_, i) => tx({ purpose: `TM-${i}` }));
    expect(errorOf(await s.call("transactions/addBatch", { transactions: many }))).toEqual(err(400, 5));
  });
});

describe("transactions/get", () => {
  it("lists without the account (only the detail has it), amounts as strings", async () => {
    await s.call("transactions/add", tx({ purpose: "TG-1", booking_date: "2026-04-01 09:00:00", amount: -5.5, account: 1792 }));
    const a = await s.call("transactions/get", { date_from: "2026-04-01", date_to: "2026-04-01", account: 1792 });
    expect(a.json).toMatchObject({ success: true, rows: 1 });
    const row = (a.json.data as Record<string, unknown>[])[0]!;
    expect(row).toMatchObject({ purpose: "TG-1", amount: "-5.50", booking_date: "2026-04-01 09:00:00" });
    expect(row.account).toBeUndefined();
    const detail = await s.call(`transactions/get/${row.id_by_customer as number}`);
    expect(detail.json.data).toMatchObject({ account: 1792, purpose: "TG-1", amount: "-5.50", currency: "EUR" });
  });

  it("switches to id order with id_by_customer_from (exclusive)", async () => {
    const a = await s.call("transactions/get", { id_by_customer_from: 1, limit: 3 });
    const ids = (a.json.data as { id_by_customer: number }[]).map((r) => r.id_by_customer);
    expect(ids).toEqual([2, 3, 4]);
  });

  it.each([
    ["bad date_from", { date_from: "1.1.2026" }, 5],
    ["bad date_to", { date_to: "" }, 6],
    ["unknown account", { account: 4711 }, 7],
    ["empty to_from", { to_from: "" }, 8],
    ["limit above 500", { limit: 501 }, 9],
    ["negative offset", { offset: -5 }, 10],
    ["bad id_by_customer_from", { id_by_customer_from: "a" }, 12],
    ["bad id_by_customer_to", { id_by_customer_to: 0 }, 13],
    ["bad date_since_last_modified", { date_since_last_modified: "gestern" }, 14],
  ])("rejects %s", async (_n, body, code) => {
    expect(errorOf(await s.call("transactions/get", body))).toEqual(err(400, code));
  });

  it("answers an unknown id on the detail read with 400/6", async () => {
    expect(errorOf(await s.call("transactions/get/99999"))).toEqual(err(400, 6));
    expect(errorOf(await s.call("transactions/get/x"))).toEqual(err(400, 5));
  });
});

describe("assign / unassign", () => {
  it("assigns m:n, treats a repeated assignment as done, and unassigns", async () => {
    const rid = await newReceipt("AS-1");
    const tid = (await s.call("transactions/add", tx({ purpose: "AS-1/1" }))).json.id_by_customer as number;
    const body = { transaction_id_by_customer: tid, receipt_id_by_customer: rid };
    expect((await s.call("transactions/assign/receipt", body)).json).toEqual({ success: true, message: "" });
    expect((await s.call("transactions/assign/receipt", body)).json.success).toBe(true);
    const assigned = await s.call("transactions/assigned-receipts/get", { transaction_id_by_customer: tid });
    expect(assigned.json).toMatchObject({ rows: 1, data: [{ id_by_customer: String(rid) }] });
    expect((await s.call("transactions/unassign/receipt", body)).json.success).toBe(true);
    expect(errorOf(await s.call("transactions/unassign/receipt", body))).toEqual(err(400, 23));
  });

  it.each([
    ["no transaction id", { receipt_id_by_customer: 1 }, 6],
    ["no receipt id", { transaction_id_by_customer: 1 }, 7],
    ["unknown transaction", { transaction_id_by_customer: 99999, receipt_id_by_customer: 1 }, 8],
    ["unknown receipt", { transaction_id_by_customer: 1, receipt_id_by_customer: 99999 }, 9],
  ])("assign rejects %s", async (_n, body, code) => {
    expect(errorOf(await s.call("transactions/assign/receipt", body))).toEqual(err(400, code));
  });

  it("cannot unassign a receipt a posting already clears (10)", async () => {
    const rid = await newReceipt("AS-2");
    await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, postingaccounts: [8400], postingtexts: ["AS-2"], vats: ["19_vat"], amounts: ["119.00"] });
    const tid = (await s.call("transactions/add", tx({ purpose: "AS-2/1" }))).json.id_by_customer as number;
    await s.call("transactions/assign/receipt", { transaction_id_by_customer: tid, receipt_id_by_customer: rid });
    const post = await s.call("postings/add/transaction", { transaction_id_by_customer: tid, postingaccounts: [DEBTOR], postingtexts: ["AS-2"], vats: ["0_none"], amounts: ["119.00"], oi_receipts_ids_by_customer: [rid] });
    expect(post.json.success).toBe(true);
    expect(errorOf(await s.call("transactions/unassign/receipt", { transaction_id_by_customer: tid, receipt_id_by_customer: rid }))).toEqual(err(400, 10));
  });

  it("assign-batch answers per pair with integer ids and refuses > 50 or none", async () => {
    const rid = await newReceipt("AB-1");
    const tid = (await s.call("transactions/add", tx({ purpose: "AB-1/1" }))).json.id_by_customer as number;
    const a = await s.call("transactions/assign-batch/receipt", {
      transactions_to_receipts: [
        { transaction_id_by_customer: tid, receipt_id_by_customer: rid },
        { transaction_id_by_customer: tid, receipt_id_by_customer: 99999 },
      ],
    });
    expect(a.json.transactions_to_receipts).toEqual([{ success: true, message: "", transaction_id_by_customer: tid, receipt_id_by_customer: rid }]);
    expect(a.json.errors).toEqual([{ success: false, error_code: 9, message: "receipt not found", request_data: { transaction_id_by_customer: tid, receipt_id_by_customer: 99999 } }]);
    const many = Array.from({ length: 51 }, () => ({ transaction_id_by_customer: tid, receipt_id_by_customer: rid }));
    expect(errorOf(await s.call("transactions/assign-batch/receipt", { transactions_to_receipts: many }))).toEqual(err(400, 10));
    expect(errorOf(await s.call("transactions/assign-batch/receipt", { transactions_to_receipts: [] }))).toEqual(err(400, 12));
  });
});
