import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createBbClient, type BbClient, type BbPostingLine, type BbReceiptInput, type BbTransactionInput } from "@/lib/buchhaltungsbutler";
import { scaledClock } from "@/lib/clock";
import { createDb, type Database } from "@/lib/db";
import { cents } from "@/lib/money";
import type { BenchFlags, BenchResult } from "../bench";
import { createFreshDatabase, migrateUrl } from "../lib/databases";
import { freePort } from "../lib/embedded-pg";
import { startProcess, waitForUrl, type Started } from "../lib/processes";
import { PROJECT_ROOT } from "../lib/root";

/**
 * Writing sales into BuchhaltungsButler: per sale one outbound receipt with revenue postings (19 % or 19 % +
 * 7 %), one payment on Kasse or the card clearing account, the payment assigned to the receipt, and the
 * payment posted against the debtor (clearing the open item). BB sandbox in its own process, both clocks ×speed.
 *
 * Batched run: five batch endpoints (receipts/addBatch, postings/add-batch/receipts, transactions/addBatch,
 * transactions/assign-batch/receipt, postings/add-batch/transactions), 50 items per call, pipelined per chunk.
 * bound: each batch endpoint allows one call per 5 s, so C chunks need at least (C − 1) × 5 s; the 100 calls/min
 * budget needs (⌈5C/100⌉ − 1) × 60 s; the larger is the shortest possible time → bound = sales per minute of it.
 *
 * Comparison (details.perItem): the same kind of sale, one call per item (5 calls per sale), on a sample
 * (--per-item-receipts, default 1,000) at its own speed; its bound is the 100 calls/min budget alone.
 *
 * Flags: --receipts 5000 --speed 10 --per-item-receipts 1000 --per-item-speed 50 --per-item-concurrency 6 --seed 7
 * Speed ×10: a 50-item batch costs ~20–60 ms of real time on these machines (sandbox + limiter + client), which
 * at ×10 is under 0.6 s of the 5 s batch interval.
 */
interface Sale {
  receipt: BbReceiptInput;
  lines: BbPostingLine[];
  payment: BbTransactionInput;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeSales(count: number, prefix: string, seed: number): Sale[] {
  const random = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const invoiceNumber = `${prefix}-${String(i + 1).padStart(6, "0")}`;
    const gross19 = cents(500 + Math.floor(random() * 29_500));
    const gross7 = random() < 0.3 ? cents(100 + Math.floor(random() * 4_900)) : null;
    const amount = cents(gross19 + (gross7 ?? 0));
    const day = `2026-03-${String(1 + (i % 28)).padStart(2, "0")}`;
    const lines: BbPostingLine[] = [{ account: 8400, text: `${invoiceNumber} Waren 19 %`, vat: "19_vat", amount: gross19 }];
    if (gross7) lines.push({ account: 8300, text: `${invoiceNumber} Waren 7 %`, vat: "7_vat", amount: gross7 });
    return {
      receipt: { type: "invoice outbound", counterparty: "Laufkundschaft", invoiceNumber, date: day, amount, creditorDebtor: 10001 },
      lines,
      payment: { account: random() < 0.6 ? 1000 : 1792, toFrom: "Laufkundschaft", amount, bookingDate: `${day} 12:00:00`, purpose: `${invoiceNumber}/1`, bookingText: "Lightspeed" },
    };
  });
}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** The pipelined batch run. Returns how many sales went through every step. */
async function writeBatched(client: BbClient, sales: Sale[]): Promise<{ completed: number; failures: Record<string, number> }> {
  const chunks: Sale[][] = [];
  for (let i = 0; i < sales.length; i += 50) chunks.push(sales.slice(i, i + 50));
  const receiptIds: (string | null)[][] = chunks.map((c) => c.map(() => null));
  const txIds: (string | null)[][] = chunks.map((c) => c.map(() => null));
  const posted = chunks.map((c) => c.map(() => false));
  const assigned = chunks.map((c) => c.map(() => false));
  const cleared = chunks.map((c) => c.map(() => false));
  const done = { receipts: chunks.map(deferred), receiptPostings: chunks.map(deferred), transactions: chunks.map(deferred), assign: chunks.map(deferred), clearing: chunks.map(deferred) };
  const failures: Record<string, number> = {};
  const fail = (stage: string, n: number) => n && (failures[stage] = (failures[stage] ?? 0) + n);

  const loop = async (stage: keyof typeof done, deps: (keyof typeof done)[], work: (c: number) => Promise<void>) => {
    for (let c = 0; c < chunks.length; c++) {
      for (const d of deps) await done[d][c]!.promise;
      await work(c);
      done[stage][c]!.resolve();
    }
  };

  await Promise.all([
    loop("receipts", [], async (c) => {
      const out = await client.addReceipts(chunks[c]!.map((s) => s.receipt));
      out.results.forEach((r, i) => (receiptIds[c]![i] = r.ok ? r.value.id : null));
      fail("receipts", out.failed);
    }),
    loop("receiptPostings", ["receipts"], async (c) => {
      const items = chunks[c]!.flatMap((s, i) => (receiptIds[c]![i] ? [{ i, p: { receiptId: receiptIds[c]![i]!, date: s.receipt.date, debtor: 10001, lines: s.lines } }] : []));
      const out = await client.postReceipts(items.map((x) => x.p));
      out.results.forEach((r, k) => (posted[c]![items[k]!.i] = r.ok));
      fail("receiptPostings", out.failed);
    }),
    loop("transactions", [], async (c) => {
      const out = await client.addTransactions(chunks[c]!.map((s) => s.payment));
      out.results.forEach((r, i) => (txIds[c]![i] = r.ok ? r.value.id : null));
      fail("transactions", out.failed);
    }),
    loop("assign", ["receipts", "transactions"], async (c) => {
      const items = chunks[c]!.flatMap((_, i) => (receiptIds[c]![i] && txIds[c]![i] ? [{ i, pair: { transactionId: txIds[c]![i]!, receiptId: receiptIds[c]![i]! } }] : []));
      const out = await client.assignTransactionsToReceipts(items.map((x) => x.pair));
      out.results.forEach((r, k) => (assigned[c]![items[k]!.i] = r.ok));
      fail("assign", out.failed);
    }),
    loop("clearing", ["receiptPostings", "assign"], async (c) => {
      const items = chunks[c]!.flatMap((s, i) =>
        posted[c]![i] && assigned[c]![i]
          ? [{ i, p: { transactionId: txIds[c]![i]!, date: s.payment.bookingDate.slice(0, 10), lines: [{ account: 10001, text: s.receipt.invoiceNumber, vat: "0_none" as const, amount: s.payment.amount }], openItemReceiptIds: [receiptIds[c]![i]!] } }]
          : [],
      );
      const out = await client.postTransactions(items.map((x) => x.p));
      out.results.forEach((r, k) => (cleared[c]![items[k]!.i] = r.ok));
      fail("clearing", out.failed);
    }),
  ]);
  return { completed: cleared.flat().filter(Boolean).length, failures };
}

/** The comparison: one call per item, several sales in flight. */
async function writePerItem(client: BbClient, sales: Sale[], concurrency: number): Promise<{ completed: number; failures: number }> {
  let next = 0;
  let completed = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < sales.length) {
        const s = sales[next++]!;
        try {
          const { id: receiptId } = await client.addReceipt(s.receipt);
          await client.postReceipt({ receiptId, date: s.receipt.date, debtor: 10001, lines: s.lines });
          const { id: transactionId } = await client.addTransaction(s.payment);
          await client.assignTransactionToReceipt(transactionId, receiptId);
          await client.postTransaction({ transactionId, date: s.payment.bookingDate.slice(0, 10), lines: [{ account: 10001, text: s.receipt.invoiceNumber, vat: "0_none", amount: s.payment.amount }], openItemReceiptIds: [receiptId] });
          completed++;
        } catch {
          failures++;
        }
      }
    }),
  );
  return { completed, failures };
}

interface SandboxProc {
  url: string;
  proc: Started;
}

async function startSandbox(speed: number, seed: number, apiKeys: string[], quiet: boolean): Promise<SandboxProc> {
  const root = PROJECT_ROOT;
  const port = await freePort();
  const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bb-write-")), "tenants.json");
  fs.writeFileSync(
    configFile,
    JSON.stringify(
      apiKeys.map((apiKey, i) => ({
        name: `Bench Write ${i + 1} GmbH`,
        apiClient: `bench-write-${i}`,
        apiSecret: `bench-write-secret-${i}`,
        apiKey,
        chart: "SKR03",
        debtorMode: "selective",
        paymentAccounts: [
          { number: 1000, name: "Kasse", type: "cash", revisionSafe: true },
          { number: 1792, name: "EC/Kreditkarte Lightspeed", type: "other" },
        ],
        debtors: [{ number: 10001, name: "Laufkundschaft" }],
      })),
    ),
  );
  const proc = startProcess(
    path.join(root, "node_modules/.bin/tsx"),
    ["sandbox/buchhaltungsbutler/main.ts", "--port", String(port), "--speed", String(speed), "--seed", String(seed), "--no-demo", "--config", configFile],
    { name: "bb-sandbox", cwd: root, env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=4096" }, prefixOutput: !quiet },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForUrl(`${url}/__sandbox/health`, 120_000, proc.exited);
  return { url, proc };
}

async function tenantRow(database: Database): Promise<string> {
  const t = await database
    .insertInto("tenants")
    .values({ ls_account_id: `bench-${randomUUID()}`, name: "Bench Write GmbH", settings: JSON.stringify({}), status: "active", updated_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return t.id;
}

interface SandboxView {
  receipts: { amount: string; amount_paid: string }[];
  transactions: unknown[];
  postings: { cancelled: boolean }[];
  trialBalance: { totalDebit: string; totalCredit: string; rows: { account: number; balance: string }[] };
}

async function verify(url: string, apiKey: string, expected: number) {
  const view = (await (await fetch(`${url}/__sandbox/tenants/${encodeURIComponent(apiKey)}`)).json()) as SandboxView;
  const stats = (await (await fetch(`${url}/__sandbox/stats?tenant=${encodeURIComponent(apiKey)}`)).json()) as { requests: number; throttled: number; maxInWindow: number; minBatchGapMs: Record<string, number>; byPath: Record<string, number> };
  return {
    receipts: view.receipts.length,
    transactions: view.transactions.length,
    postings: view.postings.filter((p) => !p.cancelled).length,
    receiptsFullyPaid: view.receipts.filter((r) => r.amount === r.amount_paid).length,
    booksBalance: view.trialBalance.totalDebit === view.trialBalance.totalCredit,
    debtorBalance: view.trialBalance.rows.find((r) => r.account === 10001)?.balance ?? "0.00",
    asExpected: view.receipts.length === expected && view.transactions.length === expected,
    sandbox: stats,
  };
}

/** Shortest time (API ms) the limits allow: per batch endpoint one call per interval, 100 calls per rolling minute. */
function boundMs(callsPerEndpoint: number, totalCalls: number, batchIntervalMs: number | null): number {
  const perEndpoint = batchIntervalMs === null ? 0 : (callsPerEndpoint - 1) * batchIntervalMs;
  const perMinute = (Math.ceil(totalCalls / 100) - 1) * 60_000;
  return Math.max(perEndpoint, perMinute);
}

export async function run(flags: BenchFlags): Promise<BenchResult> {
  const n = (key: string, def: number) => (flags[key] === undefined ? def : Number(flags[key]));
  const receipts = n("receipts", 5_000);
  const speed = n("speed", 10);
  const perItemReceipts = n("per-item-receipts", 1_000);
  const perItemSpeed = n("per-item-speed", 50);
  const concurrency = n("per-item-concurrency", 6);
  const seed = n("seed", 7);
  const quiet = Boolean(flags.json);
  const batchKey = `bench-write-batch-${randomUUID()}`;
  const itemKey = `bench-write-item-${randomUUID()}`;

  const fresh = await createFreshDatabase("bbwrite", process.env.DATABASE_URL || undefined);
  const started: SandboxProc[] = [];
  let database: Database | undefined;
  try {
    await migrateUrl(fresh.url);
    database = createDb(fresh.url, 8);
    started.push(await startSandbox(speed, seed, [batchKey], quiet));
    started.push(await startSandbox(perItemSpeed, seed, [itemKey], quiet));
    const [batchBox, itemBox] = started as [SandboxProc, SandboxProc];

    // Batched run.
    const clock = scaledClock(speed);
    const batchClient = createBbClient({ database, tenantId: await tenantRow(database), credentials: { apiClient: "bench-write-0", apiSecret: "bench-write-secret-0", apiKey: batchKey }, baseUrl: `${batchBox.url}/api/v1`, clock });
    const sales = makeSales(receipts, "BW", seed);
    const t0 = clock.now();
    const batched = await writeBatched(batchClient, sales);
    const elapsedMs = clock.now() - t0;
    const chunks = Math.ceil(receipts / 50);
    const batchBoundMs = boundMs(chunks, chunks * 5, 5_000);
    const achieved = (batched.completed / elapsedMs) * 60_000;
    const bound = (receipts / batchBoundMs) * 60_000;
    const batchCheck = await verify(batchBox.url, batchKey, receipts);

    // One call per item, on a sample of the same kind of sales.
    const itemClock = scaledClock(perItemSpeed);
    const itemClient = createBbClient({ database, tenantId: await tenantRow(database), credentials: { apiClient: "bench-write-0", apiSecret: "bench-write-secret-0", apiKey: itemKey }, baseUrl: `${itemBox.url}/api/v1`, clock: itemClock });
    const itemSales = makeSales(perItemReceipts, "PI", seed + 1);
    const t1 = itemClock.now();
    const perItem = await writePerItem(itemClient, itemSales, concurrency);
    const itemElapsedMs = itemClock.now() - t1;
    const itemBoundMs = boundMs(1, perItemReceipts * 5, null);
    const itemAchieved = (perItem.completed / itemElapsedMs) * 60_000;
    const itemBound = (perItemReceipts / itemBoundMs) * 60_000;
    const itemCheck = await verify(itemBox.url, itemKey, perItemReceipts);

    const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
    return {
      name: "bb-write",
      achieved: round(achieved),
      bound: round(bound),
      ratio: round(achieved / bound, 3),
      unit: "sales/min",
      receipts,
      completed: batched.completed,
      failures: batched.failures,
      speed,
      elapsedApiSeconds: round(elapsedMs / 1000, 1),
      boundApiSeconds: round(batchBoundMs / 1000, 1),
      calls: batchClient.stats().calls,
      clientStats: batchClient.stats(),
      verified: batchCheck,
      perItem: {
        receipts: perItemReceipts,
        completed: perItem.completed,
        failures: perItem.failures,
        speed: perItemSpeed,
        concurrency,
        achieved: round(itemAchieved),
        bound: round(itemBound),
        ratio: round(itemAchieved / itemBound, 3),
        elapsedApiSeconds: round(itemElapsedMs / 1000, 1),
        calls: itemClient.stats().calls,
        verified: itemCheck,
      },
      batchedVsPerItem: round(achieved / itemAchieved, 1),
    };
  } finally {
    await database?.destroy();
    for (const s of started) await s.proc.stop();
    await fresh.drop();
  }
}
