import { describe, expect, it } from "vitest";
import { err, errorOf, sandboxWithTenant } from "../test-helpers";

const s = await sandboxWithTenant({
  debtors: Array.from({ length: 120 }, (_, i) => ({ number: 10001 + i, name: `Kunde ${i + 1}`, email: `kunde${i + 1}@example.com` })),
});

describe("settings/get/debtors", () => {
  it("answers 25 rows without a limit and has no search", async () => {
    const a = await s.call("settings/get/debtors", { email: "kunde99@example.com", name: "Kunde 99" });
    expect(a.json).toMatchObject({ success: true, rows: 25 });
    expect((a.json.data as { name: string }[])[0]!.name).toBe("Kunde 1");
  });

  it("caps a large limit silently at the sandbox maximum (no error code exists for it)", async () => {
    const a = await s.call("settings/get/debtors", { limit: 500 });
    expect(a.json.rows).toBe(100);
    const rest = await s.call("settings/get/debtors", { limit: 500, offset: 100 });
    expect(rest.json.rows).toBe(20);
  });

  it("reads with the read-side names", async () => {
    await s.call("settings/add/debtor", { name: "Café Sonnenschein GmbH", contact_person_name: "Anna Schmidt", additional_address_line: "Hinterhaus", sales_tax_id: "DE123456789", customer_number: "LS-9", email: "anna@example.com", country: "Dänemark" });
    const all = await s.call("settings/get/debtors", { limit: 100, offset: 100 });
    const row = (all.json.data as Record<string, unknown>[]).find((d) => d.name === "Café Sonnenschein GmbH");
    expect(row).toMatchObject({
      type: "debitor",
      postingaccount_number: expect.stringMatching(/^1\d{4}$/),
      contact_person_name: "Anna Schmidt",
      additional_addressline: "Hinterhaus",
      sales_tax_id_eu: "DE123456789",
      customer_number: "LS-9",
      country: "DK",
      street: null,
    });
  });
});

describe("settings/add/debtor", () => {
  it("assigns the next free number from 10001 up (10000 is the collective debtor)", async () => {
    const fresh = await sandboxWithTenant({ name: "Empty GmbH" });
    const a = await fresh.call("settings/add/debtor", { name: "Erste Kundin" });
    expect(a.json).toEqual({ success: true, postingaccount_number: "10001", message: "" });
    const b = await fresh.call("settings/add/debtor", { name: "Zweiter", postingaccount_number: "10500" });
    expect(b.json.postingaccount_number).toBe("10500");
    expect((await fresh.call("settings/add/debtor", { name: "Dritter" })).json.postingaccount_number).toBe("10002");
  });

  it.each([
    ["a taken number", { postingaccount_number: "10001" }, 7],
    ["the collective debtor's number", { postingaccount_number: "10000" }, 7],
    ["a creditor number", { postingaccount_number: "70001" }, 7],
    ["no name", { name: undefined }, 8],
    ["an empty name", { name: "" }, 8],
    ["a name over 100 characters", { name: "x".repeat(101) }, 8],
    ["an empty contact person", { contact_person_name: "" }, 9],
    ["an empty street", { street: "" }, 10],
    ["a long additional address line", { additional_address_line: "x".repeat(101) }, 12],
    ["a postcode over 10 characters", { zip: "12345678901" }, 13],
    ["a city over 50 characters", { city: "x".repeat(51) }, 14],
    ["an English country name", { country: "Germany" }, 16],
    ["a malformed VAT id", { sales_tax_id: "123" }, 17],
    ["an IBAN with a wrong checksum", { iban: "DE89370400440532013001" }, 18],
    ["a malformed BIC", { bic: "COBADEF" }, 19],
    ["a malformed e-mail", { email: "max@" }, 20],
    ["a customer number over 50 characters", { customer_number: "x".repeat(51) }, 21],
  ])("rejects %s", async (_n, over, code) => {
    expect(errorOf(await s.call("settings/add/debtor", { name: "Neu", ...over }))).toEqual(err(400, code));
  });

  it("accepts a valid IBAN and the German country name", async () => {
    const a = await s.call("settings/add/debtor", { name: "Bank Kunde", iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX", country: "Deutschland" });
    expect(a.json.success).toBe(true);
  });
});

describe("settings/add-batch/debtors", () => {
  it("answers per item and (strict reading of the spec) drops e-mail addresses", async () => {
    const a = await s.call("settings/add-batch/debtors", { debtors: [{ name: "Batch A", email: "a@example.com", customer_number: "B-A" }, { name: "" }] });
    expect(a.json.debtors).toEqual([{ success: true, message: "", postingaccount_number: expect.any(String) }]);
    expect((a.json.errors as { error_code: number }[])[0]!.error_code).toBe(8);
    const number = (a.json.debtors as { postingaccount_number: string }[])[0]!.postingaccount_number;
    const tenant = s.sandbox.tenant(s.apiKey);
    expect(tenant.debtors.get(Number(number))).toMatchObject({ name: "Batch A", customerNumber: "B-A", email: null });
  });
});

describe("settings/update/debtor", () => {
  it("updates by number and clears fields that are not sent (send the full record)", async () => {
    const n = (await s.call("settings/add/debtor", { name: "Update Me", city: "Berlin", zip: "10115", email: "u@example.com" })).json.postingaccount_number as string;
    const a = await s.call("settings/update/debtor", { postingaccount_number: Number(n), name: "Updated", city: "Hamburg" });
    expect(a.json).toMatchObject({ success: true, data: { name: "Updated", city: "Hamburg", zip: null, email: null, postingaccount_number: n } });
  });

  it.each([
    ["a malformed number", { postingaccount_number: "zehn" }, 1],
    ["no number", {}, 1],
    ["an unknown debtor", { postingaccount_number: 69999 }, 24],
    ["a bad e-mail", { postingaccount_number: 10001, email: "x" }, 20],
  ])("rejects %s", async (_n, body, code) => {
    expect(errorOf(await s.call("settings/update/debtor", body))).toEqual(err(400, code));
  });
});

describe("creditors", () => {
  it("add, list, update with due_in_days (write-only)", async () => {
    const a = await s.call("settings/add/creditor", { name: "Großhandel GmbH", due_in_days: 14 });
    expect(a.json).toEqual({ success: true, postingaccount_number: "70001", message: "" });
    const list = await s.call("settings/get/creditors", { limit: 10 });
    expect(list.json.data).toEqual([expect.objectContaining({ type: "creditor", name: "Großhandel GmbH", postingaccount_number: "70001" })]);
    expect((list.json.data as Record<string, unknown>[])[0]!.due_in_days).toBeUndefined();
    expect(errorOf(await s.call("settings/add/creditor", { name: "X", due_in_days: -1 }))).toEqual(err(400, 21));
    expect((await s.call("settings/update/creditor", { postingaccount_number: 70001, name: "Großhandel AG" })).json).toMatchObject({ data: { name: "Großhandel AG" } });
    expect(errorOf(await s.call("settings/update/creditor", { postingaccount_number: 70099, name: "x" }))).toEqual(err(400, 24));
    const batch = await s.call("settings/add-batch/creditors", { creditors: [{ name: "Lieferant 2" }] });
    expect(batch.json.creditors).toEqual([{ success: true, message: "", postingaccount_number: "70002" }]);
  });
});

describe("settings/get/postingaccounts", () => {
  it("lists the superset of chart, payment, debtor and creditor accounts with type and subtype", async () => {
    const a = await s.call("settings/get/postingaccounts", { limit: 1000 });
    const rows = a.json.data as { postingaccount_number: string; type: string; subtype: string | null }[];
    const byNo = new Map(rows.map((r) => [r.postingaccount_number, r]));
    expect(byNo.get("8400")).toMatchObject({ type: "postingaccount", subtype: "default" });
    expect(byNo.get("1000")).toMatchObject({ type: "account", subtype: "cash" });
    expect(byNo.get("1200")).toMatchObject({ type: "account", subtype: "bank/institution" });
    expect(byNo.get("10001")).toMatchObject({ type: "debtor" });
    expect(byNo.has("10000")).toBe(false);
    const noPeople = await s.call("settings/get/postingaccounts", { exclude_debtors: true, exclude_creditors: "1", exclude_accounts: false });
    expect((noPeople.json.data as { type: string }[]).some((r) => r.type === "debtor" || r.type === "creditor")).toBe(false);
  });

  it("shows the collective debtor only in Sammelkonto mode", async () => {
    const c = await sandboxWithTenant({ name: "Collective KG", debtorMode: "collective", chart: "SKR04" });
    const a = await c.call("settings/get/postingaccounts", { exclude_postingaccounts: true });
    expect(a.json.data).toContainEqual(expect.objectContaining({ postingaccount_number: "10000", type: "debtor collective" }));
    const acc = await c.call("settings/get/postingaccounts", {});
    expect((acc.json.data as { postingaccount_number: string }[]).some((r) => r.postingaccount_number === "4400")).toBe(true);
  });

  it.each([
    ["limit above 1000", { limit: 1001 }, 6],
    ["negative offset", { offset: -1 }, 7],
    ["an unknown order", { order: "number ASC" }, 8],
    ["a bad exclude_accounts", { exclude_accounts: "ja" }, 9],
    ["a bad exclude_postingaccounts", { exclude_postingaccounts: 2 }, 10],
    ["a bad exclude_creditors", { exclude_creditors: "nein" }, 12],
    ["a bad exclude_debtors", { exclude_debtors: [] }, 13],
  ])("rejects %s", async (_n, body, code) => {
    expect(errorOf(await s.call("settings/get/postingaccounts", body))).toEqual(err(400, code));
  });
});

describe("settings/add|update/postingaccount", () => {
  it("creates an account under a template that passes on its tax automation", async () => {
    const a = await s.call("settings/add/postingaccount", { name: "Erlöse Bücher 19 %", postingaccount_number: 8401, parent_postingaccount_number: 8400 });
    expect(a.json).toEqual({ success: true, message: "", postingaccount_number: "8401", parent_postingaccount_number: "8400" });
    const r = await s.call("receipts/add", { type: "invoice outbound", counterparty: "X", invoice_number: "PA-1", date: "2026-03-01", amount: 10, currency: "EUR", creditor_debtor: 10001 });
    const wrongVat = await s.call("postings/add/receipt", { receipt_id_by_customer: Number(r.json.id_by_customer), debtor: 10001, postingaccounts: [8401], postingtexts: ["x"], vats: ["7_vat"], amounts: ["10.00"] });
    expect(errorOf(wrongVat)).toEqual(err(400, 24));
    expect((await s.call("settings/update/postingaccount", { name: "Erlöse Bücher", postingaccount_number: 8401 })).json).toMatchObject({ success: true, data: { name: "Erlöse Bücher" } });
  });

  it.each([
    ["no number", { postingaccount_number: undefined }, 5],
    ["five digits", { postingaccount_number: 84011 }, 6],
    ["a reserved number (tax accounts)", { postingaccount_number: 1775 }, 7],
    ["a number that exists", { postingaccount_number: 8300 }, 8],
    ["a non-numeric number", { postingaccount_number: "84a2" }, 9],
    ["no name", { name: undefined }, 10],
    ["a one-letter name", { name: "E" }, 12],
    ["a name that exists", { name: "Erlöse 7 % USt" }, 13],
    ["no parent", { parent_postingaccount_number: undefined }, 16],
    ["three digits", { postingaccount_number: 840 }, 17],
    ["a blocked parent", { parent_postingaccount_number: 1776 }, 18],
    ["a non-numeric parent", { parent_postingaccount_number: "x" }, 19],
  ])("rejects %s", async (_n, over, code) => {
    const body = { name: "Neu", postingaccount_number: 8450, parent_postingaccount_number: 8400, ...over };
    expect(errorOf(await s.call("settings/add/postingaccount", body))).toEqual(err(400, code));
  });

  it("update rejects missing name (6), bad number (9), unknown account (10)", async () => {
    expect(errorOf(await s.call("settings/update/postingaccount", { postingaccount_number: 8401 }))).toEqual(err(400, 6));
    expect(errorOf(await s.call("settings/update/postingaccount", { name: "xx", postingaccount_number: "a" }))).toEqual(err(400, 9));
    expect(errorOf(await s.call("settings/update/postingaccount", { name: "xx", postingaccount_number: 8499 }))).toEqual(err(400, 10));
  });
});
