import { describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { cents } from "../money";
import { connect, testSandbox } from "./test-helpers";

/**
 * BB has no idempotency key and the sandbox, like BB, happily stores the same invoice number twice. With
 * faults that apply the write and then lose the answer, only the client's read-back stands between a retry
 * and a duplicate: these tests count what ends up in the sandbox.
 */
const database = testDb();
const sandbox = await testSandbox({ speed: 200, seed: 4242 });
const seed = { paymentAccounts: [{ number: 1000, name: "Kasse", type: "cash" as const }], debtors: [{ number: 10001, name: "Laufkundschaft" }] };

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe("exactly once under faults", () => {
  it("1,000 receipts with 5 % '504 after commit' and 5 % 500s end up as exactly 1,000 receipts", async () => {
    const { client, bb } = await connect(database, sandbox, seed, { maxAttempts: 6, readBackDelayMs: 1_000, backoffMs: 500 });
    sandbox.faults.set({ timeout504AfterCommitRate: 0.05, error500Rate: 0.05, error500AfterCommitShare: 0.5 });
    const ids = new Map<string, string>();
    try {
      await pool(
        Array.from({ length: 1000 }, (_, i) => i),
        4,
        async (i) => {
          const invoiceNumber = `EO-${String(i).padStart(4, "0")}`;
          const r = await client.addReceipt({ type: "invoice outbound", counterparty: "Laufkundschaft", invoiceNumber, date: "2026-03-14", amount: cents(1000 + i) });
          ids.set(invoiceNumber, r.id);
        },
      );
    } finally {
      sandbox.faults.reset();
    }
    const stored = bb.receipts.filter((r) => r.invoiceNumber.startsWith("EO-"));
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((r) => r.invoiceNumber)).size).toBe(1000);
    for (const r of stored) expect(ids.get(r.invoiceNumber)).toBe(String(r.id));
    for (const r of stored) expect(r.amount).toBe(1000 + Number(r.invoiceNumber.slice(3)));
    // The faults really happened and the read-back really recovered writes.
    const faults = sandbox.stats(bb.apiKey).faults;
    expect((faults["504-after"] ?? 0) + (faults["500-after"] ?? 0)).toBeGreaterThan(20);
    expect(faults["500-before"] ?? 0).toBeGreaterThan(5);
    expect(client.stats().recovered).toBeGreaterThan(20);
  });

  it("batches: 500 receipts in batches with 20 % of calls failing after commit end up as exactly 500", async () => {
    const { client, bb } = await connect(database, sandbox, seed, { maxAttempts: 6, readBackDelayMs: 1_000, backoffMs: 500 });
    sandbox.faults.set({ timeout504AfterCommitRate: 0.1, dropRate: 0.05, error500Rate: 0.1, paths: ["receipts/"] });
    let out;
    try {
      out = await client.addReceipts(Array.from({ length: 500 }, (_, i) => ({ type: "invoice outbound" as const, counterparty: "Batch", invoiceNumber: `EB-${i}`, date: "2026-03-14", amount: cents(500 + i) })));
    } finally {
      sandbox.faults.reset();
    }
    expect(out.failed).toBe(0);
    const stored = bb.receipts.filter((r) => r.invoiceNumber.startsWith("EB-"));
    expect(stored).toHaveLength(500);
    expect(new Set(stored.map((r) => r.invoiceNumber)).size).toBe(500);
    out.results.forEach((r, i) => {
      expect(r.ok).toBe(true);
      if (r.ok) expect(stored.find((x) => x.id === Number(r.value.id))?.invoiceNumber).toBe(`EB-${i}`);
    });
  });

  it("payments, debtors and postings are not doubled either", async () => {
    const { client, bb } = await connect(database, sandbox, seed, { maxAttempts: 6, readBackDelayMs: 1_000, backoffMs: 500 });
    const receipts = await client.addReceipts(Array.from({ length: 100 }, (_, i) => ({ type: "invoice outbound" as const, counterparty: "K", invoiceNumber: `EP-${i}`, date: "2026-03-14", amount: cents(1190), creditorDebtor: 10001 })));
    sandbox.faults.set({ timeout504AfterCommitRate: 0.1, error500Rate: 0.1 });
    try {
      await pool(receipts.results, 3, async (r) => {
        if (!r.ok) throw r.error;
        await client.postReceipt({ receiptId: r.value.id, debtor: 10001, lines: [{ account: 8400, text: "EP", vat: "19_vat", amount: cents(1190) }] });
      });
      await pool(
        Array.from({ length: 100 }, (_, i) => i),
        3,
        async (i) => {
          await client.addTransaction({ account: 1000, toFrom: "K", amount: cents(1190), bookingDate: "2026-03-14 12:00:00", purpose: `EP-${i}/1` });
        },
      );
      await pool(
        Array.from({ length: 60 }, (_, i) => i),
        3,
        async (i) => {
          await client.addDebtor({ name: `Kunde ${i}`, customerNumber: `LS-EO-${i}`, email: `k${i}@example.com` });
        },
      );
    } finally {
      sandbox.faults.reset();
    }
    const postingsPerReceipt = new Map<number, number>();
    for (const p of bb.postings) if (!p.cancelled && p.receiptId) postingsPerReceipt.set(p.receiptId, (postingsPerReceipt.get(p.receiptId) ?? 0) + 1);
    expect([...postingsPerReceipt.values()].every((c) => c === 1)).toBe(true);
    expect(postingsPerReceipt.size).toBe(100);
    expect(bb.transactions.filter((t) => t.purpose.startsWith("EP-"))).toHaveLength(100);
    expect(new Set(bb.transactions.map((t) => t.purpose)).size).toBe(bb.transactions.length);
    const people = [...bb.debtors.values()].filter((d) => d.customerNumber?.startsWith("LS-EO-"));
    expect(people).toHaveLength(60);
    expect(client.stats().recovered).toBeGreaterThan(0);
  });
});
