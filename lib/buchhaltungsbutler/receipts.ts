import { BB_CURRENCY } from "./currency";
import * as z from "zod";
import { AppError } from "../errors/app-error";
import type { OpsContext } from "./context";
import { runBatch } from "./run-batch";
import type { BatchOutcome, BbDirection, BbReceipt, BbReceiptDetail, BbReceiptFilter, BbReceiptInput, BbUploadInput } from "./types";
import { compact, idString, listEnvelope, parseOne, parseRows, receiptDetailFromWire, receiptFromWire, wireAmount } from "./wire";
import { writeOnce } from "./write-once";

const PAGE = 500;

export function directionOf(type: string): BbDirection {
  return type.endsWith("outbound") ? "outbound" : "inbound";
}

function receiptWire(r: BbReceiptInput): Record<string, unknown> {
  if (r.invoiceNumber.length > 60) {
    throw new AppError("RECORD_INVALID", { detail: `invoice number "${r.invoiceNumber.slice(0, 70)}…" is longer than the 60 characters BuchhaltungsButler accepts` });
  }
  if (r.amount === 0) throw new AppError("RECORD_INVALID", { detail: `receipt ${r.invoiceNumber}: BuchhaltungsButler does not accept an amount of 0.00` });
  return compact({
    type: r.type,
    counterparty: r.counterparty,
    invoice_number: r.invoiceNumber,
    date: r.date,
    amount: wireAmount(r.amount),
    currency: r.currency ?? BB_CURRENCY,
    vat_rate: r.vatRate,
    account: r.account,
    creditor_debtor: r.creditorDebtor,
    payment_reference: r.paymentReference || undefined,
    date_delivery: r.deliveryDate,
    date_payment_due: r.dueDate,
    link_to_receipt_id_by_customer: r.linkToReceiptId === undefined ? undefined : Number(r.linkToReceiptId),
  });
}

/** Is `found` the receipt `input` describes (after a lost answer)? */
function sameReceipt(found: BbReceipt, input: { invoiceNumber: string; amount?: number; date?: string; type?: string }): boolean {
  return (
    !found.deleted &&
    found.invoiceNumber === input.invoiceNumber &&
    (input.amount === undefined || found.amount === input.amount) &&
    (input.date === undefined || found.date === input.date) &&
    (input.type === undefined || found.type === input.type)
  );
}

export function receiptOps(ctx: OpsContext) {
  async function getReceipts(f: BbReceiptFilter): Promise<BbReceipt[]> {
    const out: BbReceipt[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const limit = f.max !== undefined ? Math.min(PAGE, f.max - out.length) : PAGE;
      if (limit <= 0) break;
      const answer = await ctx.call(
        "receipts/get",
        compact({
          list_direction: f.direction,
          invoicenumber: f.invoiceNumber,
          counterparty: f.counterparty,
          date_from: f.dateFrom,
          date_to: f.dateTo,
          payment_status: f.paymentStatus,
          deleted: f.deleted,
          due_date: f.dueDate,
          date_since_last_modified: f.modifiedSince,
          limit,
          offset,
        }),
        { write: false },
      );
      const rows = parseRows("receipts/get", parseOne("receipts/get", answer, listEnvelope).data, receiptFromWire);
      out.push(...rows);
      if (rows.length < limit) break;
    }
    return out;
  }

  /** The live (not deleted) receipt with this invoice number, or null. Several → the oldest. */
  async function findReceiptByInvoiceNumber(invoiceNumber: string, direction: BbDirection = "outbound"): Promise<BbReceipt | null> {
    if (invoiceNumber === "") return null;
    const rows = await getReceipts({ direction, invoiceNumber });
    // Exact match on our side too: BB's matching is not documented.
    const live = rows.filter((r) => !r.deleted && r.invoiceNumber === invoiceNumber).sort((a, b) => Number(a.id) - Number(b.id));
    return live[0] ?? null;
  }

  async function readBackReceipt(r: { invoiceNumber: string; amount?: number; date?: string; type: string }): Promise<{ id: string } | null> {
    if (!r.invoiceNumber) return null;
    const rows = await getReceipts({ direction: directionOf(r.type), invoiceNumber: r.invoiceNumber });
    const hit = rows.filter((x) => sameReceipt(x, r)).sort((a, b) => Number(a.id) - Number(b.id))[0];
    return hit ? { id: hit.id } : null;
  }

  async function addReceipt(r: BbReceiptInput): Promise<{ id: string; recovered: boolean }> {
    const wire = receiptWire(r);
    const { value, recovered } = await writeOnceReceipt(
      `receipt ${r.invoiceNumber}`,
      async () => {
        const answer = await ctx.call("receipts/add", wire, { write: true });
        return { id: parseOne("receipts/add", answer.id_by_customer, idString) };
      },
      r.invoiceNumber ? () => readBackReceipt(r) : null,
    );
    return { id: value.id, recovered };
  }

  async function addReceipts(rs: BbReceiptInput[]): Promise<BatchOutcome<{ id: string }>> {
    return runBatch(ctx, {
      path: "receipts/addBatch",
      itemsKey: "receipts",
      responseKey: "receipts",
      errorPath: "receipts/add",
      items: rs,
      toWire: receiptWire,
      identity: ["invoice_number", "amount", "date", "counterparty"],
      fromSuccess: (entry) => ({ id: parseOne("receipts/addBatch", entry.id_by_customer, idString) }),
      readBack: async (pending) => {
        // One listing per direction and date range instead of one call per item.
        const found = new Map<number, { id: string }>();
        const claimed = new Set<string>();
        for (const direction of ["outbound", "inbound"] as const) {
          const mine = pending.filter((p) => directionOf(p.item.type) === direction && p.item.invoiceNumber);
          if (!mine.length) continue;
          const dates = mine.map((p) => p.item.date).sort();
          const rows = await getReceipts({ direction, dateFrom: dates[0], dateTo: dates[dates.length - 1] });
          for (const p of mine) {
            const hit = rows.filter((x) => !claimed.has(x.id) && sameReceipt(x, p.item)).sort((a, b) => Number(a.id) - Number(b.id))[0];
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

  async function getReceipt(id: string): Promise<BbReceiptDetail | null> {
    let answer: Record<string, unknown>;
    try {
      answer = await ctx.call(`receipts/get/${encodeURIComponent(id)}`, {}, { write: false });
    } catch (e) {
      // The spec has no "not found" code here, only 400/5 "invalid id_by_customer specified", which is what an
      // unknown id gets; other answers seen say 200 with empty data. Both mean "no such receipt".
      if (e instanceof AppError && e.context?.path === "receipts/get/:id" && e.context.errorCode === 5 && /^\d+$/.test(id)) return null;
      throw e;
    }
    const data = answer.data;
    if (data === null || data === undefined || Array.isArray(data) || (typeof data === "object" && Object.keys(data).length === 0)) return null;
    return parseOne("receipts/get/:id", data, receiptDetailFromWire);
  }

  async function deleteReceipt(id: string): Promise<void> {
    await writeOnceReceipt(
      `delete receipt ${id}`,
      async () => {
        await ctx.call(`receipts/delete/${encodeURIComponent(id)}`, {}, { write: true });
      },
      async () => ((await getReceipt(id))?.deleted ? undefined : null),
    );
  }

  async function restoreReceipt(id: string): Promise<void> {
    await writeOnceReceipt(
      `restore receipt ${id}`,
      async () => {
        await ctx.call(`receipts/restore/${encodeURIComponent(id)}`, {}, { write: true });
      },
      async () => {
        const r = await getReceipt(id);
        return r && !r.deleted ? undefined : null;
      },
    );
  }

  async function uploadReceipt(u: BbUploadInput): Promise<{ id: string; filename: string | null; recovered: boolean }> {
    const wire = compact({
      file: u.file.toString("base64"),
      file_name: u.fileName,
      type: u.type,
      counterparty: u.counterparty,
      invoice_number: u.invoiceNumber,
      date: u.date,
      amount: u.amount === undefined ? undefined : wireAmount(u.amount),
      currency: u.amount === undefined ? undefined : BB_CURRENCY,
      account: u.account,
      creditor_debtor: u.creditorDebtor,
      date_delivery: u.deliveryDate,
      date_payment_due: u.dueDate,
    });
    const { value, recovered } = await writeOnceReceipt(
      `upload ${u.fileName}`,
      async () => {
        const answer = await ctx.call("receipts/upload", wire, { write: true });
        return { id: parseOne("receipts/upload", answer.id_by_customer, idString), filename: typeof answer.filename === "string" ? answer.filename : null };
      },
      u.invoiceNumber
        ? async () => {
            const hit = await readBackReceipt({ invoiceNumber: u.invoiceNumber!, type: u.type, amount: u.amount, date: u.date });
            return hit ? { ...hit, filename: null } : null;
          }
        : null,
    );
    return { ...value, recovered };
  }

  async function getAssignedTransactions(receiptId: string): Promise<string[]> {
    const answer = await ctx.call("receipts/assigned-transactions/get", { receipt_id_by_customer: Number(receiptId) }, { write: false });
    return parseRows("receipts/assigned-transactions/get", parseOne("receipts/assigned-transactions/get", answer, listEnvelope).data, z.looseObject({ id_by_customer: idString })).map((r) => r.id_by_customer);
  }

  function writeOnceReceipt<T>(what: string, write: () => Promise<T>, readBack: (() => Promise<T | null>) | null) {
    return writeOnce(ctx, what, write, readBack);
  }

  return { getReceipts, findReceiptByInvoiceNumber, addReceipt, addReceipts, getReceipt, deleteReceipt, restoreReceipt, uploadReceipt, getAssignedTransactions };
}
