import { describe, expect, it } from "vitest";
import { inspectTenant } from "../inspect";
import { trialBalance } from "../ledger";
import { err, errorOf, sandboxWithTenant } from "../test-helpers";

const DEBTOR = 10003;
const s = await sandboxWithTenant({
  debtors: [
    { number: DEBTOR, name: "Max Mustermann" },
    { number: 10004, name: "Erika Musterfrau" },
  ],
  paymentAccounts: [
    { number: 1000, name: "Kasse", type: "cash", revisionSafe: true },
    { number: 1792, name: "EC/Kreditkarte", type: "other" },
  ],
  costLocations: [{ code: "SHOP1", name: "Laden" }],
});
const tenant = () => s.sandbox.tenant(s.apiKey);
const balance = (account: number) => trialBalance(tenant()).rows.find((r) => r.account === account)?.balance ?? 0;

let n = 0;
async function newReceipt(amount = 119, over: Record<string, unknown> = {}) {
  const a = await s.call("receipts/add", { type: "invoice outbound", counterparty: "Max", invoice_number: `PR-${++n}`, date: "2026-03-14", amount, currency: "EUR", creditor_debtor: DEBTOR, ...over });
  expect(a.json.success).toBe(true);
  return Number(a.json.id_by_customer);
}
async function newTx(amount = 119, over: Record<string, unknown> = {}) {
  const a = await s.call("transactions/add", { account: 1000, to_from: "Max", amount, booking_date: "2026-03-14 10:00:00", purpose: `PT-${++n}`, ...over });
  expect(a.json.success).toBe(true);
  return a.json.id_by_customer as number;
}
const lines = (over: Record<string, unknown> = {}) => ({ postingaccounts: [8400, 8300], postingtexts: ["Waren 19 %", "Waren 7 %"], vats: ["19_vat", "7_vat"], amounts: ["107.00", "12.00"], ...over });

describe("postings/add/receipt", () => {
  it("books gross lines against the debtor and splits VAT onto the USt accounts", async () => {
    const before = { rev19: balance(8400), rev7: balance(8300), ust19: balance(1776), ust7: balance(1771), debtor: balance(DEBTOR) };
    const rid = await newReceipt();
    const a = await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...lines(), cost_locations: ["SHOP1", "SHOP1"] });
    expect(a.json).toEqual({ success: true, message: "" });
    // 107.00 gross at 19 % = 89.92 + 17.08; 12.00 at 7 % = 11.21 + 0.79
    expect(balance(8400) - before.rev19).toBe(-8992);
    expect(balance(1776) - before.ust19).toBe(-1708);
    expect(balance(8300) - before.rev7).toBe(-1121);
    expect(balance(1771) - before.ust7).toBe(-79);
    expect(balance(DEBTOR) - before.debtor).toBe(11900);
    const tb = trialBalance(tenant());
    expect(tb.totalDebit).toBe(tb.totalCredit);
  });

  it("books a refund (negative receipt) the other way round", async () => {
    const before = balance(8400);
    const rid = await newReceipt(-11.9, { type: "credit outbound" });
    const a = await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, postingaccounts: [8400], postingtexts: ["Retoure"], vats: ["19_vat"], amounts: ["-11.90"] });
    expect(a.json.success).toBe(true);
    expect(balance(8400) - before).toBe(1000);
  });

  it.each([
    ["amounts that do not add up to the receipt", lines({ amounts: ["100.00", "12.00"] }), 37],
    ["an Automatikkonto with the wrong VAT code", lines({ vats: ["7_vat", "7_vat"] }), 24],
    ["input VAT on a revenue account", { postingaccounts: [8200], postingtexts: ["x"], vats: ["19_pre"], amounts: ["119.00"] }, 26],
    ["a tax account", { postingaccounts: [1776], postingtexts: ["x"], vats: ["0_none"], amounts: ["119.00"] }, 20],
    ["a payment account", { postingaccounts: [1000], postingtexts: ["x"], vats: ["0_none"], amounts: ["119.00"] }, 20],
    ["an account that does not exist", { postingaccounts: [8499], postingtexts: ["x"], vats: ["19_vat"], amounts: ["119.00"] }, 19],
    ["a debtor as posting account", { postingaccounts: [10004], postingtexts: ["x"], vats: ["0_none"], amounts: ["119.00"] }, 19],
    ["no posting accounts", lines({ postingaccounts: [] }), 17],
    ["a non-numeric account", lines({ postingaccounts: ["8400a", 8300] }), 18],
    ["missing VAT codes", lines({ vats: ["19_vat"] }), 21],
    ["an unknown VAT code", lines({ vats: ["19_vat", "7%"] }), 22],
    ["amounts as JSON numbers (the format is 0000.00)", lines({ amounts: [107, 12] }), 35],
    ["amounts with one decimal", lines({ amounts: ["107.0", "12.00"] }), 35],
    ["a posting text over 128 characters", lines({ postingtexts: ["x".repeat(129), "y"] }), 31],
    ["a cost location over 10 characters", lines({ cost_locations: ["SHOP1SHOP1X", "SHOP1"] }), 32],
    ["an unknown cost location", lines({ cost_locations: ["SHOP9", "SHOP1"] }), 33],
    ["the spec's postingstexts spelling", { postingaccounts: [8400], postingstexts: ["x"], vats: ["19_vat"], amounts: ["119.00"] }, 23],
    ["an undocumented parameter", lines({ note: "x" }), 46],
    ["a creditor on an outbound receipt", lines({ creditor: 70001 }), 8],
  ])("rejects %s", async (_n, body, code) => {
    const rid = await newReceipt();
    expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...body }))).toEqual(err(400, code));
  });

  it("needs the receipt's own debtor (43), an existing receipt (6) that is not deleted (7)", async () => {
    const rid = await newReceipt();
    expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: 10004, ...lines() }))).toEqual(err(400, 43));
    expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: 99999, debtor: DEBTOR, ...lines() }))).toEqual(err(400, 6));
    const noDebtor = await newReceipt(119, { creditor_debtor: undefined });
    expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: noDebtor, ...lines() }))).toEqual(err(400, 43));
    await s.call(`receipts/delete/${rid}`);
    expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...lines() }))).toEqual(err(400, 7));
  });

  it("only works with debtor posting switched on (12)", async () => {
    const rid = await newReceipt();
    tenant().debtorMode = "off";
    try {
      expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...lines() }))).toEqual(err(400, 12));
    } finally {
      tenant().debtorMode = "selective";
    }
  });

  it("wants the debtor named even in Sammelkonto mode, where the spec still marks it required (43)", async () => {
    tenant().debtorMode = "collective";
    try {
      const rid = await newReceipt(119, { creditor_debtor: undefined });
      expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: rid, ...lines() }))).toEqual(err(400, 43));
    } finally {
      tenant().debtorMode = "selective";
    }
  });

  it("refuses a receipt dated in a fixed period (13)", async () => {
    const rid = await newReceipt(119, { date: "2026-01-15" });
    tenant().fixedUntil = "2026-01-31";
    try {
      expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...lines() }))).toEqual(err(400, 13));
    } finally {
      tenant().fixedUntil = null;
    }
  });

  it("has no idempotency either: posting the same receipt twice books it twice", async () => {
    const rid = await newReceipt();
    const before = balance(DEBTOR);
    await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...lines() });
    await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...lines() });
    expect(balance(DEBTOR) - before).toBe(23800);
  });
});

describe("postings/add/transaction", () => {
  it("clears the open item: payment against the debtor without VAT, receipt paid", async () => {
    const rid = await newReceipt();
    await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...lines() });
    const tid = await newTx();
    await s.call("transactions/assign/receipt", { transaction_id_by_customer: tid, receipt_id_by_customer: rid });
    const debtorBefore = balance(DEBTOR);
    const cashBefore = balance(1000);
    const a = await s.call("postings/add/transaction", { transaction_id_by_customer: tid, postingaccounts: [DEBTOR], postingtexts: ["Zahlung"], vats: ["0_none"], amounts: ["119.00"], oi_receipts_ids_by_customer: [rid] });
    expect(a.json).toEqual({ success: true, message: "" });
    expect(balance(DEBTOR) - debtorBefore).toBe(-11900);
    expect(balance(1000) - cashBefore).toBe(11900);
    const r = await s.call(`receipts/get/${rid}`);
    expect(r.json.data).toMatchObject({ payment_date: "2026-03-14" });
    const paid = await s.call("receipts/get", { list_direction: "outbound", payment_status: "paid" });
    expect((paid.json.data as { id_by_customer: string; amount_paid: string }[]).find((x) => x.id_by_customer === String(rid))?.amount_paid).toBe("119.00");
  });

  it("books revenue directly (without debtor mode style) and splits a fee line", async () => {
    const tid = await newTx(100, { account: 1792 });
    const before = balance(4970);
    const a = await s.call("postings/add/transaction", {
      transaction_id_by_customer: tid,
      postingaccounts: [8400, 4970],
      postingtexts: ["Umsatz", "Gebühr"],
      vats: ["19_vat", "0_none"],
      amounts: ["102.00", "-2.00"],
      oi_receipts_ids_by_customer: [null, null],
    });
    expect(a.json.success).toBe(true);
    expect(balance(4970) - before).toBe(200);
  });

  it.each([
    ["amounts that do not add up to the payment", { amounts: ["100.00"] }, 27],
    ["no open-item array", { oi_receipts_ids_by_customer: undefined }, 34],
    ["an open-item array of the wrong length", { oi_receipts_ids_by_customer: [null, null] }, 34],
    ["VAT on a debtor account", { vats: ["19_vat"], postingaccounts: [DEBTOR] }, 17],
    ["a payment account as line", { postingaccounts: [1792] }, 12],
    ["a tax account", { postingaccounts: [1776], vats: ["0_none"] }, 12],
    ["an unknown account", { postingaccounts: [1234] }, 10],
    ["amounts as numbers", { amounts: [119] }, 26],
    ["a long posting text", { postingtexts: ["x".repeat(129)] }, 21],
    ["an undocumented parameter", { comment: "x" }, 46],
  ])("rejects %s", async (_n, over, code) => {
    const tid = await newTx();
    const body = { transaction_id_by_customer: tid, postingaccounts: [8400], postingtexts: ["x"], vats: ["19_vat"], amounts: ["119.00"], oi_receipts_ids_by_customer: [null], ...over };
    expect(errorOf(await s.call("postings/add/transaction", body))).toEqual(err(400, code));
  });

  it("blocks booking revenue twice, on the receipt and on its payment (7 and 16)", async () => {
    const rid = await newReceipt();
    await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...lines() });
    const tid = await newTx();
    await s.call("transactions/assign/receipt", { transaction_id_by_customer: tid, receipt_id_by_customer: rid });
    const twice = await s.call("postings/add/transaction", { transaction_id_by_customer: tid, ...lines(), oi_receipts_ids_by_customer: [null, null] });
    expect(errorOf(twice)).toEqual(err(400, 7));

    const rid2 = await newReceipt();
    const tid2 = await newTx();
    await s.call("transactions/assign/receipt", { transaction_id_by_customer: tid2, receipt_id_by_customer: rid2 });
    expect((await s.call("postings/add/transaction", { transaction_id_by_customer: tid2, ...lines(), oi_receipts_ids_by_customer: [null, null] })).json.success).toBe(true);
    expect(errorOf(await s.call("postings/add/receipt", { receipt_id_by_customer: rid2, debtor: DEBTOR, ...lines() }))).toEqual(err(400, 16));
  });

  it("answers an unknown payment with 6", async () => {
    expect(errorOf(await s.call("postings/add/transaction", { transaction_id_by_customer: 99999, ...lines(), oi_receipts_ids_by_customer: [null, null] }))).toEqual(err(400, 6));
  });
});

describe("postings/add/free", () => {
  const free = (over: Record<string, unknown> = {}) => ({ date: "2026-03-14", postingtext: "Gutschein eingelöst", amount: "25.00", postingaccount_debit: 1796, postingaccount_credit: DEBTOR, vat: "0_none", ...over });

  it("books one line between two accounts", async () => {
    const before = balance(1796);
    expect((await s.call("postings/add/free", free())).json).toEqual({ success: true, message: "" });
    expect(balance(1796) - before).toBe(2500);
  });

  it("books revenue against a debtor with the VAT split off the revenue side", async () => {
    const before = { debtor: balance(DEBTOR), ust: balance(1776) };
    expect((await s.call("postings/add/free", free({ postingaccount_debit: DEBTOR, postingaccount_credit: 8400, vat: "19_vat", amount: "11.90" }))).json.success).toBe(true);
    expect(balance(DEBTOR) - before.debtor).toBe(1190);
    expect(balance(1776) - before.ust).toBe(-190);
  });

  it("splits output VAT off a revenue account", async () => {
    const before = { rev: balance(8400), ust: balance(1776) };
    expect((await s.call("postings/add/free", free({ postingaccount_debit: 1590, postingaccount_credit: 8400, vat: "19_vat", amount: "119.00" }))).json.success).toBe(true);
    expect(balance(8400) - before.rev).toBe(-10000);
    expect(balance(1776) - before.ust).toBe(-1900);
  });

  it.each([
    ["no date", { date: undefined }, 6],
    ["a bad date", { date: "14.03.2026" }, 7],
    ["no text", { postingtext: undefined }, 8],
    ["a long text", { postingtext: "x".repeat(129) }, 9],
    ["no debit account", { postingaccount_debit: undefined }, 10],
    ["an unknown debit account", { postingaccount_debit: 1234 }, 12],
    ["no credit account", { postingaccount_credit: undefined }, 13],
    ["an unknown credit account", { postingaccount_credit: 1234 }, 14],
    ["a bad cost location", { cost_location: "SHOP-1" }, 17],
    ["no VAT", { vat: undefined }, 18],
    ["an unknown VAT code", { vat: "19" }, 19],
    ["no amount", { amount: undefined }, 20],
    ["amount zero", { amount: "0.00" }, 21],
    ["amount as a number", { amount: 25 }, 21],
    ["a negative amount", { amount: "-25.00" }, 22],
    ["a payment account", { postingaccount_debit: 1000 }, 24],
    ["a tax account", { postingaccount_credit: 1776 }, 25],
    ["the same account twice", { postingaccount_debit: 1796, postingaccount_credit: 1796 }, 26],
    ["an Automatikkonto with another VAT code", { postingaccount_credit: 8400, postingaccount_debit: 1590, vat: "7_vat" }, 27],
    ["VAT where no account carries it", { vat: "19_vat" }, 31],
  ])("rejects %s", async (_n, over, code) => {
    expect(errorOf(await s.call("postings/add/free", free(over)))).toEqual(err(400, code));
  });

  it("refuses a date in a fixed period", async () => {
    tenant().fixedUntil = "2026-03-31";
    try {
      expect(errorOf(await s.call("postings/add/free", free()))).toEqual(err(400, 7));
    } finally {
      tenant().fixedUntil = null;
    }
  });
});

describe("batch postings", () => {
  it("add-batch/receipts, /transactions and /free answer per item", async () => {
    const r1 = await newReceipt();
    const r2 = await newReceipt();
    const rb = await s.call("postings/add-batch/receipts", {
      receipts: [
        { receipt_id_by_customer: r1, debtor: DEBTOR, ...lines() },
        { receipt_id_by_customer: r2, debtor: DEBTOR, ...lines({ amounts: ["1.00", "2.00"] }) },
      ],
    });
    expect(rb.json.receipts).toEqual([{ success: true, message: "" }]);
    expect((rb.json.errors as { error_code: number; request_data: { receipt_id_by_customer: number } }[]).map((e) => [e.error_code, e.request_data.receipt_id_by_customer])).toEqual([[37, r2]]);

    const t1 = await newTx();
    const tb = await s.call("postings/add-batch/transactions", {
      transactions: [{ transaction_id_by_customer: t1, postingaccounts: [8400], postingtexts: ["x"], vats: ["19_vat"], amounts: ["119.00"], oi_receipts_ids_by_customer: [null] }],
    });
    expect(tb.json).toMatchObject({ success: true, transactions: [{ success: true }], errors: [] });

    const fb = await s.call("postings/add-batch/free", {
      free_postings: [
        { date: "2026-03-14", postingtext: "a", amount: "1.00", postingaccount_debit: 1796, postingaccount_credit: DEBTOR, vat: "0_none" },
        { date: "2026-03-14", postingtext: "b", amount: "-1.00", postingaccount_debit: 1796, postingaccount_credit: DEBTOR, vat: "0_none" },
      ],
    });
    expect(fb.json.free_postings).toHaveLength(1);
    expect((fb.json.errors as { error_code: number }[])[0]!.error_code).toBe(22);
  });
});

describe("postings/get, cancel, unconfirm", () => {
  it("lists postings with string amounts, S/H, fixed flag and ids; pages and validates", async () => {
    const rid = await newReceipt(50, { date: "2026-05-02" });
    await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, postingaccounts: [8400], postingtexts: ["Mai"], vats: ["19_vat"], amounts: ["50.00"] });
    const a = await s.call("postings/get", { date_from: "2026-05-01", date_to: "2026-05-31", limit: 1000 });
    expect(a.json).toMatchObject({ success: true, rows: 1 });
    expect((a.json.data as unknown[])[0]).toMatchObject({
      date: "2026-05-02 00:00:00",
      postingtext: "Mai",
      amount: "50.00",
      vat: "19.00",
      credit_type: "S",
      debit_postingaccount_number: String(DEBTOR),
      credit_postingaccount_number: "8400",
      fixed: "0",
      receipt_id_by_customer: String(rid),
      transaction_id_by_customer: null,
    });
    const filtered = await s.call("postings/get", { date_from: "2026-05-01", date_to: "2026-05-31", postingaccount: "8300" });
    expect(filtered.json.rows).toBe(0);
  });

  it.each([
    ["no date_from", { date_to: "2026-01-01" }, 5],
    ["no date_to", { date_from: "2026-01-01" }, 6],
    ["a bad account filter", { account: "kasse" }, 7],
    ["a bad postingaccount filter", { postingaccount: "alle" }, 8],
    ["a bad posting_status", { posting_status: "open" }, 9],
    ["limit above 1000", { limit: 1001 }, 10],
    ["negative offset", { offset: -1 }, 12],
    ["a bad cost_location", { cost_location: "A-1" }, 13],
    ["a bad date_last_action_from", { date_last_action_from: "x" }, 14],
    ["a bad date_last_action_to", { date_last_action_to: "x" }, 16],
    ["order in the wrong case", { order: "date asc" }, 17],
  ])("rejects %s", async (_n, body, code) => {
    const base = code === 5 || code === 6 ? {} : { date_from: "2026-01-01", date_to: "2026-12-31" };
    expect(errorOf(await s.call("postings/get", { ...base, ...body }))).toEqual(err(400, code));
  });

  it("cancel deletes an unfixed posting and reverses a fixed one (GoBD)", async () => {
    const rid = await newReceipt(20, { date: "2026-06-10" });
    await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, postingaccounts: [8400], postingtexts: ["Juni"], vats: ["19_vat"], amounts: ["20.00"] });
    const list = await s.call("postings/get", { date_from: "2026-06-10", date_to: "2026-06-10" });
    const pid = Number((list.json.data as { id_by_customer: string }[])[0]!.id_by_customer);
    const before = balance(DEBTOR);
    expect((await s.call("postings/cancel", { posting_id_by_customer: pid })).json).toEqual({ success: true, message: "" });
    expect(balance(DEBTOR) - before).toBe(-2000);
    expect(errorOf(await s.call("postings/cancel", { posting_id_by_customer: pid }))).toEqual(err(400, 7));

    const rid2 = await newReceipt(30, { date: "2026-01-20" });
    await s.call("postings/add/receipt", { receipt_id_by_customer: rid2, debtor: DEBTOR, postingaccounts: [8400], postingtexts: ["Januar"], vats: ["19_vat"], amounts: ["30.00"] });
    const jan = await s.call("postings/get", { date_from: "2026-01-20", date_to: "2026-01-20" });
    const fixedId = Number((jan.json.data as { id_by_customer: string }[])[0]!.id_by_customer);
    tenant().fixedUntil = "2026-01-31";
    try {
      const mid = { debtor: balance(DEBTOR), rev: balance(8400), ust: balance(1776) };
      expect((await s.call("postings/cancel", { posting_id_by_customer: fixedId })).json.success).toBe(true);
      expect(balance(DEBTOR) - mid.debtor).toBe(-3000);
      expect(balance(8400) - mid.rev).toBe(2521);
      expect(balance(1776) - mid.ust).toBe(479);
      const reversal = inspectTenant(tenant()).postings.find((p) => p.reversal_of === fixedId);
      expect(reversal).toMatchObject({ kind: "reversal", cancelled: false });
      expect(reversal!.date > "2026-01-31").toBe(true);
      expect(errorOf(await s.call("postings/cancel", { posting_id_by_customer: fixedId }))).toEqual(err(400, 8));
      expect(errorOf(await s.call("postings/unconfirm/receipt", { receipt_id_by_customer: rid2 }))).toEqual(err(400, 8));
    } finally {
      tenant().fixedUntil = null;
    }
    expect(errorOf(await s.call("postings/cancel", {}, { apiKey: null }))).toEqual(err(400, 23));
    expect(errorOf(await s.call("postings/cancel", { note: 1 }))).toEqual(err(400, 5));
    expect(errorOf(await s.call("postings/cancel", { posting_id_by_customer: "x" }))).toEqual(err(400, 6));
  });

  it("unconfirm removes a receipt's / payment's / free postings while unfixed", async () => {
    const rid = await newReceipt();
    await s.call("postings/add/receipt", { receipt_id_by_customer: rid, debtor: DEBTOR, ...lines() });
    const before = balance(DEBTOR);
    expect((await s.call("postings/unconfirm/receipt", { receipt_id_by_customer: rid })).json.success).toBe(true);
    expect(balance(DEBTOR) - before).toBe(-11900);
    expect(errorOf(await s.call("postings/unconfirm/receipt", { receipt_id_by_customer: rid }))).toEqual(err(400, 7));
    expect(errorOf(await s.call("postings/unconfirm/receipt", { receipt_id_by_customer: 99999 }))).toEqual(err(400, 6));
    expect(errorOf(await s.call("postings/unconfirm/receipt", { receipt_id_by_customer: "a" }))).toEqual(err(400, 9));
    expect(errorOf(await s.call("postings/unconfirm/receipt", { x: 1 }))).toEqual(err(400, 10));

    const tid = await newTx();
    await s.call("postings/add/transaction", { transaction_id_by_customer: tid, postingaccounts: [8400], postingtexts: ["x"], vats: ["19_vat"], amounts: ["119.00"], oi_receipts_ids_by_customer: [null] });
    expect((await s.call("postings/unconfirm/transaction", { transaction_id_by_customer: tid })).json.success).toBe(true);
    expect(errorOf(await s.call("postings/unconfirm/transaction", { transaction_id_by_customer: tid }))).toEqual(err(400, 7));

    await s.call("postings/add/free", { date: "2026-07-01", postingtext: "frei", amount: "5.00", postingaccount_debit: 1796, postingaccount_credit: DEBTOR, vat: "0_none" });
    const list = await s.call("postings/get", { date_from: "2026-07-01", date_to: "2026-07-01" });
    const pid = Number((list.json.data as { id_by_customer: string }[])[0]!.id_by_customer);
    const rid2 = await newReceipt(5);
    expect((await s.call("postings/assign/receipt-to-free-posting", { receipt_id_by_customer: rid2, posting_id_by_customer: pid })).json.success).toBe(true);
    const after = await s.call("postings/get", { date_from: "2026-07-01", date_to: "2026-07-01" });
    expect((after.json.data as { receipts_assigned_ids_by_customer: string }[])[0]!.receipts_assigned_ids_by_customer).toBe(String(rid2));
    expect((await s.call("postings/unconfirm/free", { posting_id_by_customer: pid })).json.success).toBe(true);
    expect(errorOf(await s.call("postings/unconfirm/free", { posting_id_by_customer: pid }))).toEqual(err(400, 6));
  });
});
