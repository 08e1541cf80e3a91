import { describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { AppError } from "../errors/app-error";
import { cents } from "../money";
import { manualClock } from "@/sandbox/buchhaltungsbutler/test-helpers";
import { connect, testSandbox } from "./test-helpers";

const database = testDb();
const sandbox = await testSandbox();
const seed = {
  debtors: [
    { number: 10001, name: "Laufkundschaft" },
    { number: 10003, name: "Max Mustermann", email: "max@example.com", customerNumber: "LS-3" },
  ],
  paymentAccounts: [
    { number: 1000, name: "Kasse", type: "cash" as const, revisionSafe: true },
    { number: 1792, name: "EC/Kreditkarte", type: "other" as const },
  ],
  costLocations: [{ code: "SHOP1", name: "Laden" }],
};

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("receipts", () => {
  it("adds, finds by invoice number and reads a receipt; money goes out as 2-decimal numbers and comes back as cents", async () => {
    const { client, bb } = await connect(database, sandbox, seed);
    const { id, recovered } = await client.addReceipt({ type: "invoice outbound", counterparty: "Max Mustermann", invoiceNumber: "LS-1-100", date: "2026-03-14", amount: cents(11990), creditorDebtor: 10003, dueDate: "2026-03-28" });
    expect(recovered).toBe(false);
    expect(bb.receipts[0]).toMatchObject({ amount: 11990, currency: "EUR", paymentReference: null, dateDelivery: null, vatRate: null });
    const found = await client.findReceiptByInvoiceNumber("LS-1-100");
    expect(found).toMatchObject({ id, amount: 11990, invoiceNumber: "LS-1-100", deleted: false, dueDate: "2026-03-28" });
    expect(await client.findReceiptByInvoiceNumber("LS-1-10")).toBeNull();
    const detail = await client.getReceipt(id);
    expect(detail).toMatchObject({ id, currency: "EUR", direction: "outbound" });
    expect(await client.getReceipt("99999")).toBeNull();
  });

  it("ignores deleted receipts when looking for an invoice number, and deletes/restores", async () => {
    const { client } = await connect(database, sandbox, seed);
    const { id } = await client.addReceipt({ type: "invoice outbound", counterparty: "X", invoiceNumber: "DEL-1", date: "2026-03-14", amount: cents(100) });
    await client.deleteReceipt(id);
    expect(await client.findReceiptByInvoiceNumber("DEL-1")).toBeNull();
    expect((await client.getReceipts({ direction: "outbound", deleted: true })).map((r) => r.id)).toEqual([id]);
    await client.restoreReceipt(id);
    expect((await client.findReceiptByInvoiceNumber("DEL-1"))?.id).toBe(id);
  });

  it("turns a validation error into a record-level AppError that names the field and what BB expects", async () => {
    const { client } = await connect(database, sandbox, seed);
    const e = await rejection(client.addReceipt({ type: "invoice outbound", counterparty: "X", invoiceNumber: "V-1", date: "2026-03-14", amount: cents(100), creditorDebtor: 10099 }));
    expect(e.code).toBe("UPSTREAM_REJECTED");
    expect(e.kind).toBe("record");
    expect(e.detail).toContain("debtor/creditor");
    expect(e.context).toMatchObject({ path: "receipts/add", errorCode: 25, bbMessage: "creditor/debtor specified does not exist for the customer" });
    const zero = await rejection(client.addReceipt({ type: "invoice outbound", counterparty: "X", invoiceNumber: "V-2", date: "2026-03-14", amount: cents(0) }));
    expect(zero.code).toBe("RECORD_INVALID");
  });

  it("uploads a PDF with metadata", async () => {
    const { client, bb } = await connect(database, sandbox, seed);
    const r = await client.uploadReceipt({ file: Buffer.from("%PDF-1.4 z-bon"), fileName: "z.pdf", type: "invoice outbound", invoiceNumber: "Z-1", amount: cents(500), date: "2026-03-14" });
    expect(r.filename).toMatch(/^receipt\d+$/);
    expect(bb.receipts.find((x) => x.id === Number(r.id))).toMatchObject({ invoiceNumber: "Z-1", amount: 500, file: { type: "pdf" } });
  });
});

describe("payments and postings: a whole sale", () => {
  it("books receipt → revenue postings → payment → assign → clearing, and the books balance", async () => {
    const { client, bb } = await connect(database, sandbox, seed);
    const { id: receiptId } = await client.addReceipt({ type: "invoice outbound", counterparty: "Max", invoiceNumber: "SALE-1", date: "2026-03-14", amount: cents(11900), creditorDebtor: 10003 });
    await client.postReceipt({ receiptId, debtor: 10003, lines: [
      { account: 8400, text: "SALE-1 19 %", vat: "19_vat", amount: cents(10700), costLocation: "SHOP1" },
      { account: 8300, text: "SALE-1 7 %", vat: "7_vat", amount: cents(1200), costLocation: "SHOP1" },
    ] });
    const { id: transactionId } = await client.addTransaction({ account: 1000, toFrom: "Max", amount: cents(11900), bookingDate: "2026-03-14 10:05:00", purpose: "SALE-1/1", bookingText: "Barzahlung" });
    await client.assignTransactionToReceipt(transactionId, receiptId);
    expect(await client.getAssignedReceipts(transactionId)).toEqual([receiptId]);
    await client.postTransaction({ transactionId, lines: [{ account: 10003, text: "SALE-1", vat: "0_none", amount: cents(11900) }], openItemReceiptIds: [receiptId] });

    const postings = await client.getPostings({ dateFrom: "2026-03-14", dateTo: "2026-03-14" });
    expect(postings.map((p) => [p.text, p.amount, p.debitAccount, p.creditAccount])).toEqual([
      ["SALE-1 19 %", 10700, 10003, 8400],
      ["SALE-1 7 %", 1200, 10003, 8300],
      ["SALE-1", 11900, 1000, 10003],
    ]);
    expect(postings[2]).toMatchObject({ transactionId, assignedReceiptIds: [receiptId] });
    const found = await client.findTransaction({ purpose: "SALE-1/1", date: "2026-03-14", amount: cents(11900), account: 1000 });
    expect(found?.id).toBe(transactionId);
    expect(await client.findTransaction({ purpose: "SALE-1/1", date: "2026-03-14", amount: cents(11800), account: 1000 })).toBeNull();
    expect(await client.getTransaction(transactionId)).toMatchObject({ account: 1000, amount: 11900, purpose: "SALE-1/1", bookingText: "Barzahlung" });
    expect(await client.getTransaction("99999")).toBeNull();
    const receipt = await client.findReceiptByInvoiceNumber("SALE-1");
    expect(receipt).toMatchObject({ amountPaid: 11900, paymentDate: "2026-03-14" });
    const debtor = bb.postings.filter((p) => !p.cancelled);
    expect(debtor).toHaveLength(3);
  });

  it("maps debtor mode off to BB_DEBTOR_MODE_OFF (tenant-level)", async () => {
    const { client, bb } = await connect(database, sandbox, seed);
    const { id } = await client.addReceipt({ type: "invoice outbound", counterparty: "X", invoiceNumber: "OFF-1", date: "2026-03-14", amount: cents(100), creditorDebtor: 10001 });
    bb.debtorMode = "off";
    const e = await rejection(client.postReceipt({ receiptId: id, debtor: 10001, lines: [{ account: 8400, text: "x", vat: "19_vat", amount: cents(100) }] }));
    expect([e.code, e.kind]).toEqual(["BB_DEBTOR_MODE_OFF", "tenant"]);
  });

  it("explains a posting that does not add up", async () => {
    const { client } = await connect(database, sandbox, seed);
    const { id } = await client.addReceipt({ type: "invoice outbound", counterparty: "X", invoiceNumber: "SUM-1", date: "2026-03-14", amount: cents(100), creditorDebtor: 10001 });
    const e = await rejection(client.postReceipt({ receiptId: id, debtor: 10001, lines: [{ account: 8400, text: "x", vat: "19_vat", amount: cents(99) }] }));
    expect(e.code).toBe("UPSTREAM_REJECTED");
    expect(e.detail).toContain("add up exactly to the receipt amount");
    expect(e.context).toMatchObject({ errorCode: 37 });
  });

  it("adds, cancels and unconfirms postings", async () => {
    const { client, bb } = await connect(database, sandbox, seed);
    await client.addFreePosting({ date: "2026-03-20", text: "Gutschein", amount: cents(2500), debitAccount: 1796, creditAccount: 10003, vat: "0_none" });
    const [p] = await client.getPostings({ dateFrom: "2026-03-20", dateTo: "2026-03-20" });
    expect(p).toMatchObject({ text: "Gutschein", amount: 2500, debitAccount: 1796, creditAccount: 10003, fixed: false });
    await client.cancelPosting(p!.id);
    expect(await client.getPostings({ dateFrom: "2026-03-20", dateTo: "2026-03-20" })).toEqual([]);
    const { id } = await client.addTransaction({ account: 1792, toFrom: "Acquirer", amount: cents(-200), bookingDate: "2026-03-21", purpose: "fee" });
    await client.postTransaction({ transactionId: id, lines: [{ account: 4970, text: "Gebühr", vat: "0_none", amount: cents(-200) }] });
    await client.unconfirmTransactionPostings(id);
    expect(bb.postings.filter((x) => !x.cancelled)).toEqual([]);
  });
});

describe("batches", () => {
  it("addReceipts returns one result per item in order, including per-item validation failures", async () => {
    const { client } = await connect(database, sandbox, seed);
    // Items 7 and 55 name a debtor that does not exist: BB rejects just those two.
    const items = Array.from({ length: 60 }, (_, i) => ({
      type: "invoice outbound" as const,
      counterparty: "Batch",
      invoiceNumber: `BA-${i}`,
      date: "2026-03-14",
      amount: cents(100 + i),
      ...(i === 7 || i === 55 ? { creditorDebtor: 10099 } : {}),
    }));
    const out = await client.addReceipts(items);
    expect([out.succeeded, out.failed]).toEqual([58, 2]);
    expect(out.results[7]).toMatchObject({ ok: false, error: { code: "UPSTREAM_REJECTED", context: { errorCode: 25 } } });
    expect(out.results[55]!.ok).toBe(false);
    for (const i of [0, 8, 54, 59]) {
      const r = out.results[i]!;
      expect(r.ok).toBe(true);
      if (r.ok) expect((await client.findReceiptByInvoiceNumber(`BA-${i}`))?.id).toBe(r.value.id);
    }
  });
});

describe("settings, accounts, cost locations, comments", () => {
  it("lists the chart and payment accounts, adds accounts and cost locations", async () => {
    const { client } = await connect(database, sandbox, seed);
    const chart = await client.listPostingAccounts();
    expect(chart.find((a) => a.number === 8400)).toMatchObject({ type: "postingaccount", subtype: "default" });
    expect(chart.find((a) => a.number === 1792)).toMatchObject({ type: "account", subtype: "other" });
    await client.addPostingAccount({ number: 8401, name: "Erlöse Bücher", parentNumber: 8400 });
    await client.updatePostingAccount({ number: 8401, name: "Erlöse Bücher 19 %" });
    expect((await client.listPostingAccounts()).find((a) => a.number === 8401)).toMatchObject({ name: "Erlöse Bücher 19 %", parentNumber: 8400 });
    await client.addAccount({ type: "bank/institution", name: "Sparkasse", number: 1250 });
    expect((await client.listAccounts()).map((a) => a.number)).toEqual([1000, 1250, 1792]);
    await client.addCostLocation({ code: "SHOP2", name: "Laden 2" });
    expect((await client.listCostLocations()).map((c) => c.code)).toEqual(["SHOP1", "SHOP2"]);
    const e = await rejection(client.addAccount({ type: "other", name: "Transit", number: 1360 }));
    expect(e.detail).toContain("range");
  });

  it("adds a comment and reports it delivered", async () => {
    const { client, bb } = await connect(database, sandbox, seed);
    const { id } = await client.addReceipt({ type: "invoice outbound", counterparty: "X", invoiceNumber: "CM-1", date: "2026-03-14", amount: cents(100) });
    expect(await client.addComment({ receiptId: id, text: "Lightspeed-Verkauf 220000000277" })).toEqual({ delivered: true });
    expect(bb.receipts[0]!.comments).toEqual(["Lightspeed-Verkauf 220000000277"]);
  });
});

describe("lost answers", () => {
  it("a request that times out while BB is still working is found by the read-back, not written twice", async () => {
    const { client, bb } = await connect(database, sandbox, seed, { timeoutMs: 50, readBackDelayMs: 60_000 });
    // 20 s of sandbox time at ×200 is 100 ms: the client gives up after 50 ms, BB commits afterwards.
    sandbox.faults.set({ slowRate: 1, slowMs: 20_000, paths: ["receipts/add"], limit: 1 });
    try {
      const r = await client.addReceipt({ type: "invoice outbound", counterparty: "Slow", invoiceNumber: "SLOW-1", date: "2026-03-14", amount: cents(100) });
      expect(r.recovered).toBe(true);
    } finally {
      sandbox.faults.reset();
    }
    expect(bb.receipts.filter((x) => x.invoiceNumber === "SLOW-1")).toHaveLength(1);
  });

  it("a dropped connection before the write: the read-back finds nothing and the write is sent again", async () => {
    const { client, bb } = await connect(database, sandbox, seed, { readBackDelayMs: 100 });
    sandbox.faults.set({ dropRate: 1, dropAfterCommit: false, paths: ["transactions/add"], limit: 1 });
    const r = await client.addTransaction({ account: 1000, toFrom: "X", amount: cents(500), bookingDate: "2026-03-14 09:00:00", purpose: "DROP-1" });
    sandbox.faults.reset();
    expect(r.recovered).toBe(false);
    expect(bb.transactions.filter((t) => t.purpose === "DROP-1")).toHaveLength(1);
    expect(client.stats().retries).toBeGreaterThan(0);
  });

  it("without a purpose a lost payment cannot be looked up: OUTCOME_UNKNOWN, no blind retry", async () => {
    const { client, bb } = await connect(database, sandbox, seed, { readBackDelayMs: 100 });
    sandbox.faults.set({ timeout504AfterCommitRate: 1, paths: ["transactions/add"] });
    try {
      const e = await rejection(client.addTransaction({ account: 1000, toFrom: "X", amount: cents(500), bookingDate: "2026-03-14 09:00:00" }));
      expect([e.code, e.kind]).toEqual(["OUTCOME_UNKNOWN", "retryable"]);
    } finally {
      sandbox.faults.reset();
    }
    expect(bb.transactions).toHaveLength(1);
  });

  it("backs off when throttled and goes on", async () => {
    // A clock that only moves when someone sleeps: on the fast shared clock the window could pass between two
    // calls by itself, and then nothing would be throttled.
    const sandbox = await testSandbox({ clock: manualClock() });
    const { client, bb } = await connect(database, sandbox, seed);
    // Another app of the merchant used up the minute: the sandbox throttles, our limiter did not know.
    const tight = { ...sandbox.state.limits };
    sandbox.state.limits = { ...tight, perWindow: 1, windowMs: 10_000 };
    try {
      await client.listAccounts();
      const t0 = sandbox.clock.now();
      await client.listAccounts();
      // It paused at least the 5 s BB asks for before trying again, and then got through.
      expect(sandbox.clock.now() - t0).toBeGreaterThanOrEqual(5_000);
    } finally {
      sandbox.state.limits = tight;
    }
    expect(client.stats().throttled).toBeGreaterThan(0);
    expect(sandbox.stats(bb.apiKey).throttled).toBe(client.stats().throttled);
  });
});

describe("auth errors are tenant-fatal and not retried", () => {
  it("maps 401/3 and 401/4 to BB_CREDENTIALS_INVALID and 403/11 to BB_ACCOUNT_INACTIVE", async () => {
    const { client: wrongKey, bb } = await connect(database, sandbox, seed);
    const bad = await connect(database, sandbox, seed, { credentials: { apiClient: bb.apiClient, apiSecret: bb.apiSecret, apiKey: "nope" } });
    const e4 = await rejection(bad.client.listAccounts());
    expect([e4.code, e4.kind, e4.context?.errorCode]).toEqual(["BB_CREDENTIALS_INVALID", "tenant", 4]);
    const e3 = await rejection((await connect(database, sandbox, seed, { credentials: { apiClient: "x", apiSecret: "y", apiKey: "z" } })).client.listAccounts());
    expect([e3.code, e3.context?.errorCode]).toEqual(["BB_CREDENTIALS_INVALID", 3]);
    expect(bad.client.stats().calls).toBe(1);
    bb.active = false;
    const e11 = await rejection(wrongKey.listAccounts());
    expect([e11.code, e11.kind]).toEqual(["BB_ACCOUNT_INACTIVE", "tenant"]);
  });
});
