import * as z from "zod";
import { isAppError } from "../errors/app-error";
import type { Cents } from "../money";
import type { OpsContext } from "./context";
import { runBatch } from "./run-batch";
import type { BatchOutcome, BbTransaction, BbTransactionFilter, BbTransactionInput } from "./types";
import { compact, idString, listEnvelope, parseOne, parseRows, transactionFromWire, wireAmount } from "./wire";
import { writeOnce } from "./write-once";

const PAGE = 500;

/** BB wants "YYYY-MM-DD HH:MM:SS"; a bare date means midnight. */
export function bookingDateTime(d: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d} 00:00:00` : d;
}

function transactionWire(t: BbTransactionInput): Record<string, unknown> {
  return compact({
    account: t.account,
    to_from: t.toFrom,
    amount: wireAmount(t.amount),
    booking_date: bookingDateTime(t.bookingDate),
    value_date: t.valueDate === undefined ? undefined : bookingDateTime(t.valueDate),
    purpose: t.purpose,
    booking_text: t.bookingText,
    type: t.type || undefined,
    account_number: t.accountNumber || undefined,
    bank_code: t.bankCode || undefined,
    bank_name: t.bankName || undefined,
    payment_reference: t.paymentReference || undefined,
    currency: t.currency,
  });
}

export function transactionOps(ctx: OpsContext) {
  async function getTransactions(f: BbTransactionFilter = {}): Promise<BbTransaction[]> {
    const out: BbTransaction[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const limit = f.max !== undefined ? Math.min(PAGE, f.max - out.length) : PAGE;
      if (limit <= 0) break;
      const answer = await ctx.call(
        "transactions/get",
        compact({
          date_from: f.dateFrom,
          date_to: f.dateTo,
          account: f.account,
          to_from: f.toFrom,
          id_by_customer_from: f.idAfter === undefined ? undefined : Number(f.idAfter),
          id_by_customer_to: f.idBefore === undefined ? undefined : Number(f.idBefore),
          date_since_last_modified: f.modifiedSince,
          limit,
          offset,
        }),
        { write: false },
      );
      const rows = parseRows("transactions/get", parseOne("transactions/get", answer, listEnvelope).data, transactionFromWire);
      out.push(...rows);
      if (rows.length < limit) break;
    }
    return out;
  }

  async function getTransaction(id: string): Promise<BbTransaction | null> {
    try {
      const answer = await ctx.call(`transactions/get/${encodeURIComponent(id)}`, {}, { write: false });
      // Not what the spec lists (400/6), but the receipts twin has been seen answering an unknown id with empty data.
      const d = answer.data;
      if (d === null || d === undefined || (Array.isArray(d) && d.length === 0) || (typeof d === "object" && Object.keys(d).length === 0)) return null;
      return parseOne("transactions/get/:id", answer.data, transactionFromWire);
    } catch (e) {
      // 400/6 "transaction not found"
      if (isAppError(e) && e.code === "UPSTREAM_REJECTED" && e.context?.errorCode === 6) return null;
      throw e;
    }
  }

  /** A payment by purpose + booking day + amount (+ account): how a lost write is found again. */
  async function findTransaction(q: { purpose: string; date: string; amount: Cents; account?: number }): Promise<BbTransaction | null> {
    const day = q.date.slice(0, 10);
    const rows = await getTransactions({ dateFrom: day, dateTo: day, account: q.account });
    const hits = rows.filter((t) => t.purpose === q.purpose && t.amount === q.amount).sort((a, b) => Number(a.id) - Number(b.id));
    return hits[0] ?? null;
  }

  async function addTransaction(t: BbTransactionInput): Promise<{ id: string; recovered: boolean }> {
    const wire = transactionWire(t);
    const { value, recovered } = await writeOnce(
      ctx,
      `payment ${t.purpose ?? ""} ${t.bookingDate}`,
      async () => {
        const answer = await ctx.call("transactions/add", wire, { write: true });
        return { id: parseOne("transactions/add", answer.id_by_customer, idString) };
      },
      t.purpose
        ? async () => {
            const hit = await findTransaction({ purpose: t.purpose!, date: t.bookingDate, amount: t.amount, account: t.account });
            return hit ? { id: hit.id } : null;
          }
        : null,
    );
    return { id: value.id, recovered };
  }

  async function addTransactions(ts: BbTransactionInput[]): Promise<BatchOutcome<{ id: string }>> {
    return runBatch(ctx, {
      path: "transactions/addBatch",
      itemsKey: "transactions",
      responseKey: "transactions",
      errorPath: "transactions/add",
      items: ts,
      toWire: transactionWire,
      identity: ["purpose", "amount", "booking_date", "account", "to_from"],
      fromSuccess: (entry) => ({ id: parseOne("transactions/addBatch", entry.id_by_customer, idString) }),
      readBack: async (pending) => {
        const found = new Map<number, { id: string }>();
        const claimed = new Set<string>();
        const byAccount = new Map<number, typeof pending>();
        for (const p of pending) if (p.item.purpose) byAccount.set(p.item.account, [...(byAccount.get(p.item.account) ?? []), p]);
        for (const [account, items] of byAccount) {
          const days = items.map((p) => p.item.bookingDate.slice(0, 10)).sort();
          const rows = await getTransactions({ account, dateFrom: days[0], dateTo: days[days.length - 1] });
          for (const p of items) {
            const hit = rows
              .filter((t) => !claimed.has(t.id) && t.purpose === p.item.purpose && t.amount === p.item.amount && t.bookingDate.slice(0, 10) === p.item.bookingDate.slice(0, 10))
              .sort((a, b) => Number(a.id) - Number(b.id))[0];
            if (hit) {
              claimed.add(hit.id);
              found.set(p.index, { id: hit.id });
            }
          }
        }
        return found;
      },
    });
  }

  async function getAssignedReceipts(transactionId: string): Promise<string[]> {
    const answer = await ctx.call("transactions/assigned-receipts/get", { transaction_id_by_customer: Number(transactionId) }, { write: false });
    return parseRows("transactions/assigned-receipts/get", parseOne("transactions/assigned-receipts/get", answer, listEnvelope).data, z.looseObject({ id_by_customer: idString })).map(
      (r) => r.id_by_customer,
    );
  }

  async function assignTransactionToReceipt(transactionId: string, receiptId: string): Promise<void> {
    await writeOnce(
      ctx,
      `assign payment ${transactionId} to receipt ${receiptId}`,
      async () => {
        await ctx.call("transactions/assign/receipt", { transaction_id_by_customer: Number(transactionId), receipt_id_by_customer: Number(receiptId) }, { write: true });
      },
      async () => ((await getAssignedReceipts(transactionId)).includes(receiptId) ? undefined : null),
    );
  }

  async function assignTransactionsToReceipts(pairs: { transactionId: string; receiptId: string }[]): Promise<BatchOutcome<void>> {
    return runBatch(ctx, {
      path: "transactions/assign-batch/receipt",
      itemsKey: "transactions_to_receipts",
      responseKey: "transactions_to_receipts",
      errorPath: "transactions/assign/receipt",
      items: pairs,
      toWire: (p) => ({ transaction_id_by_customer: Number(p.transactionId), receipt_id_by_customer: Number(p.receiptId) }),
      identity: ["transaction_id_by_customer", "receipt_id_by_customer"],
      fromSuccess: () => undefined,
      readBack: async (pending) => {
        const found = new Map<number, void>();
        const cache = new Map<string, string[]>();
        for (const p of pending) {
          const assigned = cache.get(p.item.transactionId) ?? (await getAssignedReceipts(p.item.transactionId));
          cache.set(p.item.transactionId, assigned);
          if (assigned.includes(p.item.receiptId)) found.set(p.index, undefined);
        }
        return found;
      },
    });
  }

  async function unassignTransactionFromReceipt(transactionId: string, receiptId: string): Promise<void> {
    await writeOnce(
      ctx,
      `unassign payment ${transactionId} from receipt ${receiptId}`,
      async () => {
        await ctx.call("transactions/unassign/receipt", { transaction_id_by_customer: Number(transactionId), receipt_id_by_customer: Number(receiptId) }, { write: true });
      },
      async () => ((await getAssignedReceipts(transactionId)).includes(receiptId) ? null : undefined),
    );
  }

  return { getTransactions, getTransaction, findTransaction, addTransaction, addTransactions, getAssignedReceipts, assignTransactionToReceipt, assignTransactionsToReceipts, unassignTransactionFromReceipt };
}
