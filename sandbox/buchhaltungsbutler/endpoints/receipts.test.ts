import { describe, expect, it } from "vitest";
import { err, errorOf, sandboxWithTenant } from "../test-helpers";

const DEBTOR = 10003;
const s = await sandboxWithTenant({
  debtors: [
    { number: 10001, name: "Laufkundschaft" },
    { number: DEBTOR, name: "Max Mustermann", email: "max@example.com" },
  ],
  paymentAccounts: [
    { number: 1000, name: "Kasse", type: "cash", revisionSafe: true },
    { number: 1200, name: "Bank", type: "bank/institution" },
  ],
});

const receipt = (over: Record<string, unknown> = {}) => ({
  type: "invoice outbound",
  counterparty: "Max Mustermann",
  invoice_number: "LS-1000",
  date: "2026-03-14",
  amount: 119.0,
  currency: "EUR",
  ...over,
});

describe("receipts/add", () => {
  it("creates a receipt and answers with a flat string id", async () => {
    const a = await s.call("receipts/add", receipt({ invoice_number: "LS-ok-1", creditor_debtor: DEBTOR, vat_rate: 19, date_payment_due: "2026-03-28" }));
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ success: true, message: "", id_by_customer: expect.stringMatching(/^\d+$/) });
  });

  it("has no idempotency: the same invoice number twice gives two receipts", async () => {
    const one = await s.call("receipts/add", receipt({ invoice_number: "LS-dup" }));
    const two = await s.call("receipts/add", receipt({ invoice_number: "LS-dup" }));
    expect(one.json.id_by_customer).not.toEqual(two.json.id_by_customer);
    const list = await s.call("receipts/get", { list_direction: "outbound", invoicenumber: "LS-dup" });
    expect(list.json.rows).toBe(2);
  });

  it.each([
    ["type missing", { type: undefined }, 8],
    ["unknown type", { type: "invoice" }, 8],
    ["counterparty missing", { counterparty: undefined }, 17],
    ["empty counterparty", { counterparty: "" }, 17],
    ["counterparty too long", { counterparty: "x".repeat(101) }, 17],
    ["invoice number missing", { invoice_number: undefined }, 18],
    ["invoice number over 60 characters", { invoice_number: "x".repeat(61) }, 18],
    ["date missing", { date: undefined }, 19],
    ["German date format", { date: "14.03.2026" }, 19],
    ["impossible date", { date: "2026-02-30" }, 19],
    ["empty date", { date: "" }, 19],
    ["amount missing", { amount: undefined }, 20],
    ["amount zero", { amount: 0 }, 20],
    ["amount '0.00'", { amount: "0.00" }, 20],
    ["three decimals", { amount: 1.234 }, 20],
    ["amount as text", { amount: "12,30" }, 20],
    ["currency missing", { currency: undefined }, 21],
    ["empty currency", { currency: "" }, 21],
    ["unknown currency", { currency: "XXX" }, 21],
    ["VAT rate that does not exist", { vat_rate: 12 }, 22],
    ["account 0", { account: 0 }, 9],
    ["account that is not a payment account", { account: 8400 }, 10],
    ["debtor that does not exist", { creditor_debtor: 10099 }, 25],
    ["creditor on an outbound receipt", { creditor_debtor: 70001 }, 26],
    ["debtor on an inbound receipt", { type: "invoice inbound", creditor_debtor: DEBTOR }, 28],
    ["collective debtor named explicitly", { creditor_debtor: 10000 }, 24],
    ["number outside person ranges", { creditor_debtor: 500 }, 24],
    ["empty payment reference", { payment_reference: "" }, 34],
    ["delivery after the receipt date (DATEV)", { date_delivery: "2026-03-15" }, 35],
    ["bad due date", { date_payment_due: "2026-13-01" }, 36],
    ["link to a missing receipt", { link_to_receipt_id_by_customer: 99999 }, 37],
  ])("rejects %s with its own error code", async (_name, over, code) => {
    const a = await s.call("receipts/add", receipt(over));
    expect(errorOf(a)).toEqual(err(400, code));
  });

  it("accepts an empty invoice number, a negative amount, an empty VAT rate and a delivery date before the date", async () => {
    const a = await s.call("receipts/add", receipt({ invoice_number: "", amount: -12.3, vat_rate: "", date_delivery: "2026-03-10" }));
    expect(a.json.success).toBe(true);
  });

  it("reads form-encoded bodies the same way", async () => {
    const ok = await s.call("receipts/add", receipt({ invoice_number: "LS-form", amount: "19.99" }), { form: true });
    expect(ok.json.success).toBe(true);
    const bad = await s.call("receipts/add", receipt({ amount: "0" }), { form: true });
    expect(errorOf(bad)).toEqual(err(400, 20));
  });
});

describe("receipts/addBatch", () => {
  it("answers partial success: successes in order without index, failures in errors[] with request_data", async () => {
    const items = [receipt({ invoice_number: "B-1" }), receipt({ invoice_number: "B-2", amount: 0 }), receipt({ invoice_number: "B-3", amount: 5 })];
    const a = await s.call("receipts/addBatch", { receipts: items });
    expect(a.status).toBe(200);
    expect(a.json.success).toBe(true);
    const ok = a.json.receipts as { success: boolean; id_by_customer: string }[];
    expect(ok).toHaveLength(2);
    expect(ok.every((r) => r.success === true && typeof r.id_by_customer === "string")).toBe(true);
    expect(a.json.errors).toEqual([{ success: false, error_code: 20, message: "invalid amount specified", request_data: items[1] }]);
    const list = await s.call("receipts/get", { list_direction: "outbound", invoicenumber: "B-3" });
    expect((list.json.data as { id_by_customer: string }[])[0]!.id_by_customer).toBe(ok[1]!.id_by_customer);
  });

  it("refuses more than 50 items and an empty list", async () => {
    const many = Array.from({ length: 51 }, (_, i) => receipt({ invoice_number: `M-${i}` }));
    expect(errorOf(await s.call("receipts/addBatch", { receipts: many }))).toEqual(err(400, 5));
    expect(errorOf(await s.call("receipts/addBatch", { receipts: [] }))).toEqual(err(400, 6));
    expect(errorOf(await s.call("receipts/addBatch", {}))).toEqual(err(400, 6));
  });
});

describe("receipts/get", () => {
  it("lists with the read names, string amounts and 0/1 flags", async () => {
    await s.call("receipts/add", receipt({ invoice_number: "G-1", amount: 42.5, date_delivery: "2026-03-13", date_payment_due: "2026-04-01", account: 1200 }));
    const a = await s.call("receipts/get", { list_direction: "outbound", invoicenumber: "G-1" });
    expect(a.json).toMatchObject({ success: true, message: "", rows: 1 });
    expect((a.json.data as unknown[])[0]).toMatchObject({
      invoicenumber: "G-1",
      amount: "42.50",
      delivery_date: "2026-03-13",
      due_date: "2026-04-01",
      account: "1200",
      deleted: "0",
      amount_paid: "0.00",
      type: "invoice outbound",
    });
  });

  it("matches the invoice number exactly", async () => {
    await s.call("receipts/add", receipt({ invoice_number: "EXACT-10" }));
    await s.call("receipts/add", receipt({ invoice_number: "EXACT-100" }));
    const a = await s.call("receipts/get", { list_direction: "outbound", invoicenumber: "EXACT-10" });
    expect((a.json.data as { invoicenumber: string }[]).map((r) => r.invoicenumber)).toEqual(["EXACT-10"]);
  });

  it("lists deleted receipts too unless asked for deleted only, flagged deleted=1", async () => {
    const id = (await s.call("receipts/add", receipt({ invoice_number: "DEL-1" }))).json.id_by_customer as string;
    await s.call(`receipts/delete/${id}`);
    const all = await s.call("receipts/get", { list_direction: "outbound", invoicenumber: "DEL-1" });
    expect((all.json.data as { deleted: string }[])[0]!.deleted).toBe("1");
    const onlyDeleted = await s.call("receipts/get", { list_direction: "outbound", deleted: true });
    expect((onlyDeleted.json.data as { deleted: string }[]).every((r) => r.deleted === "1")).toBe(true);
    const live = await s.call("receipts/get", { list_direction: "outbound", deleted: false, invoicenumber: "DEL-1" });
    expect(live.json.rows).toBe(0);
  });

  it("pages with limit/offset and answers rows:0 past the end", async () => {
    for (let i = 0; i < 5; i++) await s.call("receipts/add", receipt({ invoice_number: `P-${i}`, counterparty: "Pager" }));
    const p1 = await s.call("receipts/get", { list_direction: "outbound", counterparty: "Pager", limit: 2, offset: 0 });
    const p3 = await s.call("receipts/get", { list_direction: "outbound", counterparty: "Pager", limit: 2, offset: 4 });
    const past = await s.call("receipts/get", { list_direction: "outbound", counterparty: "Pager", limit: 2, offset: 40 });
    expect([p1.json.rows, p3.json.rows, past.json.rows]).toEqual([2, 1, 0]);
  });

  it("sorts by the order object", async () => {
    const a = await s.call("receipts/get", { list_direction: "outbound", counterparty: "Pager", order: { invoicenumber: "DESC" } });
    expect((a.json.data as { invoicenumber: string }[]).map((r) => r.invoicenumber)).toEqual(["P-4", "P-3", "P-2", "P-1", "P-0"]);
  });

  it.each([
    ["list_direction missing", {}, 5],
    ["bad list_direction", { list_direction: "out" }, 5],
    ["bad payment_status", { payment_status: "open" }, 6],
    ["bad date_from", { date_from: "2026-1-1" }, 7],
    ["bad date_to", { date_to: "" }, 8],
    ["limit above the maximum of 500", { limit: 501 }, 10],
    ["limit 0", { limit: 0 }, 10],
    ["negative offset", { offset: -1 }, 12],
    ["bad include_offers", { include_offers: "yes" }, 13],
    ["bad deleted", { deleted: "maybe" }, 14],
    ["unknown sort field", { order: { foo: "ASC" } }, 15],
    ["bad sort value", { order: { date: "up" } }, 16],
    ["empty invoicenumber", { invoicenumber: "" }, 17],
    ["bad due_date", { due_date: "x" }, 18],
    ["bad date_since_last_modified", { date_since_last_modified: "2026-03-14 25:00:00" }, 19],
  ])("rejects %s", async (_n, body, code) => {
    const a = await s.call("receipts/get", { list_direction: "outbound", ...body, ...(code === 5 ? { list_direction: (body as { list_direction?: string }).list_direction } : {}) });
    expect(errorOf(a)).toEqual(err(400, code));
  });
});

describe("receipts/get/<id>, delete, restore", () => {
  it("answers a single read with data as an object", async () => {
    const id = (await s.call("receipts/add", receipt({ invoice_number: "ONE-1", vat_rate: 7, payment_reference: "REF-1" }))).json.id_by_customer as string;
    const a = await s.call(`receipts/get/${id}`);
    expect(a.json).toMatchObject({ success: true, message: "" });
    expect(a.json.rows).toBeUndefined();
    expect(a.json.data).toMatchObject({ id_by_customer: id, invoicenumber: "ONE-1", amount: "119.00", currency: "EUR", vat: "7.00", list_direction: "outbound", payment_reference: "REF-1", deleted: "0" });
  });

  it("answers an unknown or non-numeric id with error 5", async () => {
    expect(errorOf(await s.call("receipts/get/987654"))).toEqual(err(400, 5));
    expect(errorOf(await s.call("receipts/get/abc"))).toEqual(err(400, 5));
    expect(errorOf(await s.call("receipts/get/1", { get_file: "perhaps" }))).toEqual(err(400, 6));
  });

  it("soft-deletes and restores, with the endpoint's codes for the wrong state", async () => {
    const id = (await s.call("receipts/add", receipt({ invoice_number: "DR-1" }))).json.id_by_customer as string;
    expect(errorOf(await s.call(`receipts/restore/${id}`))).toEqual(err(400, 7));
    expect((await s.call(`receipts/delete/${id}`)).json).toEqual({ success: true, message: "", id_by_customer: id });
    expect(errorOf(await s.call(`receipts/delete/${id}`))).toEqual(err(400, 7));
    expect((await s.call(`receipts/restore/${id}`)).json.success).toBe(true);
    expect(errorOf(await s.call("receipts/delete/99999"))).toEqual(err(400, 6));
    expect(errorOf(await s.call("receipts/restore/99999"))).toEqual(err(400, 6));
    expect(errorOf(await s.call("receipts/delete/x"))).toEqual(err(400, 5));
  });

  it("refuses to delete a receipt with postings (9) and one with fixed postings (8)", async () => {
    const id = Number((await s.call("receipts/add", receipt({ invoice_number: "DP-1", date: "2026-01-10", creditor_debtor: DEBTOR }))).json.id_by_customer);
    const post = await s.call("postings/add/receipt", { receipt_id_by_customer: id, debtor: DEBTOR, postingaccounts: [8400], postingtexts: ["x"], vats: ["19_vat"], amounts: ["119.00"] });
    expect(post.json.success).toBe(true);
    expect(errorOf(await s.call(`receipts/delete/${id}`))).toEqual(err(400, 9));
    s.sandbox.tenant(s.apiKey).fixedUntil = "2026-01-31";
    try {
      expect(errorOf(await s.call(`receipts/delete/${id}`))).toEqual(err(400, 8));
    } finally {
      s.sandbox.tenant(s.apiKey).fixedUntil = null;
    }
  });
});

describe("receipts/upload", () => {
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n");

  it("takes a base64 file with file_name and the same metadata", async () => {
    const a = await s.call("receipts/upload", { file: pdf.toString("base64"), file_name: "z-bon.pdf", type: "invoice outbound", invoice_number: "UP-1", amount: 10, date: "2026-03-14", currency: "EUR" });
    expect(a.json).toEqual({ success: true, message: "", id_by_customer: expect.any(String), filename: expect.stringMatching(/^receipt\d+$/) });
    const one = await s.call(`receipts/get/${a.json.id_by_customer as string}`, { get_file: true });
    expect((one.json.data as { file_content: string }).file_content).toBe(pdf.toString("base64"));
  });

  it("takes a multipart upload (file_name is ignored then)", async () => {
    const form = new FormData();
    form.set("api_key", s.apiKey);
    form.set("type", "invoice outbound");
    form.set("invoice_number", "UP-MP");
    form.set("file", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), "ignored.pdf");
    const res = await fetch(`${s.sandbox.url}/api/v1/receipts/upload`, { method: "POST", headers: { authorization: s.auth }, body: form });
    const json = (await res.json()) as Record<string, unknown>;
    expect(json.success).toBe(true);
    const list = await s.call("receipts/get", { list_direction: "outbound", invoicenumber: "UP-MP" });
    expect(list.json.rows).toBe(1);
  });

  it.each([
    ["no file", { type: "invoice outbound", file_name: "a.pdf" }, 400, 5],
    ["base64 without file_name", { type: "invoice outbound", file: pdf.toString("base64") }, 400, 33],
    ["a file type BB does not take", { type: "invoice outbound", file: Buffer.from("GIF89a....").toString("base64"), file_name: "a.gif" }, 400, 6],
    ["a password-protected PDF", { type: "invoice outbound", file: Buffer.from("%PDF-1.7 /Encrypt 1 0 R").toString("base64"), file_name: "a.pdf" }, 422, 31],
    ["a currency other than EUR", { type: "invoice outbound", file: pdf.toString("base64"), file_name: "a.pdf", currency: "USD" }, 400, 21],
    ["no type", { file: pdf.toString("base64"), file_name: "a.pdf" }, 400, 8],
  ])("rejects %s", async (_n, body, status, code) => {
    expect(errorOf(await s.call("receipts/upload", body))).toEqual(err(status, code));
  });

  it("answers 403/12 when the plan's upload quota is used up", async () => {
    s.sandbox.tenant(s.apiKey).uploadQuota = 0;
    try {
      expect(errorOf(await s.call("receipts/upload", { type: "invoice outbound", file: pdf.toString("base64"), file_name: "a.pdf" }))).toEqual(err(403, 12));
    } finally {
      s.sandbox.tenant(s.apiKey).uploadQuota = null;
    }
  });
});

describe("receipts/assigned-transactions/get", () => {
  it("lists the payments assigned to a receipt", async () => {
    const rid = Number((await s.call("receipts/add", receipt({ invoice_number: "AT-1" }))).json.id_by_customer);
    const tid = (await s.call("transactions/add", { account: 1000, to_from: "Max", amount: 119, booking_date: "2026-03-14 10:00:00", purpose: "AT-1/1" })).json.id_by_customer as number;
    await s.call("transactions/assign/receipt", { transaction_id_by_customer: tid, receipt_id_by_customer: rid });
    const a = await s.call("receipts/assigned-transactions/get", { receipt_id_by_customer: rid });
    expect(a.json).toMatchObject({ success: true, rows: 1, data: [{ id_by_customer: tid, amount: "119.00", purpose: "AT-1/1" }] });
    expect(errorOf(await s.call("receipts/assigned-transactions/get", { receipt_id_by_customer: 99999 }))).toEqual(err(400, 6));
    expect(errorOf(await s.call("receipts/assigned-transactions/get", {}))).toEqual(err(400, 5));
  });
});
