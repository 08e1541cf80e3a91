import { describe, expect, it } from "vitest";
import { err, errorOf, sandboxWithTenant } from "../test-helpers";

const s = await sandboxWithTenant({ debtors: [{ number: 10001, name: "Kunde" }] });
const s4 = await sandboxWithTenant({ name: "SKR04 GmbH", chart: "SKR04" });

describe("accounts/get and accounts/add", () => {
  it("lists payment accounts as {name, postingaccount_number} strings", async () => {
    const a = await s.call("accounts/get");
    expect(a.json).toEqual({ success: true, message: "", rows: 2, data: [{ name: "Kasse", postingaccount_number: "1000" }, { name: "Bank", postingaccount_number: "1200" }] });
  });

  it("adds a card clearing account inside the chart's range for type other", async () => {
    const a = await s.call("accounts/add", { type: "other", name: "EC/Kreditkarte Lightspeed", postingaccount_number: 1792 });
    expect(a.json).toEqual({ success: true, message: "", postingaccount_number: "1792" });
    const b = await s4.call("accounts/add", { type: "other", name: "Karten", postingaccount_number: 3630 });
    expect(b.json.success).toBe(true);
    const c = await s4.call("accounts/add", { type: "cash", name: "Kasse 2", postingaccount_number: 1610, is_revision_safe: true });
    expect(c.json.success).toBe(true);
  });

  it.each([
    ["no type", { type: undefined }, 5],
    ["an unknown type", { type: "card" }, 6],
    ["no name", { name: undefined }, 7],
    ["a one-letter name", { name: "K" }, 8],
    ["a name that exists", { name: "Kasse" }, 9],
    ["a non-string name", { name: 12 }, 10],
    ["no number", { postingaccount_number: undefined }, 12],
    ["five digits", { postingaccount_number: 17920 }, 13],
    ["Geldtransit (not a payment account range)", { postingaccount_number: 1360 }, 14],
    ["an SKR04 number in SKR03", { postingaccount_number: 3630 }, 14],
    ["a number that exists", { postingaccount_number: 1200, type: "bank/institution" }, 16],
    ["a non-numeric number", { postingaccount_number: "17a2" }, 17],
    ["a bad receipt_creates_transaction", { receipt_creates_transaction: "ja" }, 18],
    ["revision-safe on a non-cash account", { is_revision_safe: true }, 19],
  ])("rejects %s", async (_n, over, code) => {
    const body = { type: "other", name: "Verrechnung", postingaccount_number: 1730, ...over };
    expect(errorOf(await s.call("accounts/add", body))).toEqual(err(400, code));
  });
});

describe("comments/add", () => {
  it("adds a comment to a receipt or a transaction (2–210 characters)", async () => {
    const rid = Number((await s.call("receipts/add", { type: "invoice outbound", counterparty: "X", invoice_number: "C-1", date: "2026-03-01", amount: 1, currency: "EUR" })).json.id_by_customer);
    expect((await s.call("comments/add", { receipt_id_by_customer: rid, comment_text: "Aus Lightspeed Verkauf #1" })).json).toEqual({ success: true, message: "" });
    expect(s.sandbox.tenant(s.apiKey).receipts[rid - 1]!.comments).toEqual(["Aus Lightspeed Verkauf #1"]);
  });

  it.each([
    ["a bad transaction id", { transaction_id_by_customer: "x", comment_text: "ok" }, 5],
    ["a bad receipt id", { receipt_id_by_customer: 0, comment_text: "ok" }, 6],
    ["both ids", { transaction_id_by_customer: 1, receipt_id_by_customer: 1, comment_text: "ok" }, 7],
    ["no id", { comment_text: "ok" }, 8],
    ["an unknown transaction", { transaction_id_by_customer: 999, comment_text: "ok" }, 9],
    ["an unknown receipt", { receipt_id_by_customer: 999, comment_text: "ok" }, 10],
    ["a one-character text", { receipt_id_by_customer: 1, comment_text: "x" }, 12],
    ["a text over 210 characters", { receipt_id_by_customer: 1, comment_text: "x".repeat(211) }, 12],
    ["no text", { receipt_id_by_customer: 1 }, 13],
  ])("rejects %s", async (_n, body, code) => {
    expect(errorOf(await s.call("comments/add", body))).toEqual(err(400, code));
  });
});

describe("cost-locations", () => {
  it("add, get (with code filter), update, delete", async () => {
    expect((await s.call("cost-locations/add", { code: "SHOP1", name: "Laden Mitte" })).json).toEqual({ success: true, message: "", code: "SHOP1" });
    await s.call("cost-locations/add", { code: "SHOP2", name: "Laden Nord" });
    expect((await s.call("cost-locations/get", { code: "SHOP2" })).json).toEqual({ success: true, message: "", rows: 1, data: [{ code: "SHOP2", name: "Laden Nord" }] });
    expect((await s.call("cost-locations/update", { code: "SHOP2", name: "Laden Süd" })).json.success).toBe(true);
    expect((await s.call("cost-locations/delete", { code: "SHOP2" })).json.success).toBe(true);
    expect((await s.call("cost-locations/get", {})).json.rows).toBe(1);
  });

  it.each([
    ["add", { code: "SHOP-1", name: "x" }, 5],
    ["add", { code: "ABCDEFGHIJK", name: "x" }, 5],
    ["add", { code: "NEW1" }, 6],
    ["update", { name: "x" }, 5],
    ["update", { code: "NOPE", name: "x" }, 6],
    ["update", { code: "SHOP1" }, 7],
    ["delete", { code: "NOPE" }, 6],
    ["get", { limit: 1001 }, 5],
    ["get", { offset: -1 }, 6],
    ["get", { code: "A B" }, 7],
  ])("%s rejects %j", async (op, body, code) => {
    expect(errorOf(await s.call(`cost-locations/${op}`, body))).toEqual(err(400, code));
  });

  it("refuses to delete a cost location that postings use (7)", async () => {
    await s.call("cost-locations/add", { code: "USED", name: "Benutzt" });
    await s.call("postings/add/free", { date: "2026-03-01", postingtext: "x", amount: "1.00", postingaccount_debit: 1590, postingaccount_credit: 1360, vat: "0_none", cost_location: "USED" });
    expect(errorOf(await s.call("cost-locations/delete", { code: "USED" }))).toEqual(err(400, 7));
  });

  it("answers an empty body with 23", async () => {
    expect(errorOf(await s.call("cost-locations/get", {}, { apiKey: null }))).toEqual(err(400, 23));
  });
});
