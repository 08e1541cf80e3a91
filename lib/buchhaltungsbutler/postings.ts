import { AppError, isAppError } from "../errors/app-error";
import { berlinDate, type OpsContext } from "./context";
import { runBatch } from "./run-batch";
import { BbUncertainWrite } from "./transport";
import type { BatchOutcome, BbFreePostingInput, BbPosting, BbPostingFilter, BbPostingLine, BbReceiptPostingInput, BbTransactionPostingInput } from "./types";
import { compact, listEnvelope, parseOne, parseRows, postingAmount, postingFromWire } from "./wire";
import { writeOnce } from "./write-once";

const PAGE = 1000;

function lineArrays(lines: BbPostingLine[], what: string): Record<string, unknown> {
  if (lines.length === 0) throw new AppError("RECORD_INVALID", { detail: `${what}: a posting needs at least one line` });
  for (const l of lines) {
    if (l.amount === 0) throw new AppError("RECORD_INVALID", { detail: `${what}: BuchhaltungsButler does not accept a posting line of 0.00 (${l.text})` });
    if ([...l.text].length > 128) throw new AppError("RECORD_INVALID", { detail: `${what}: posting text "${l.text.slice(0, 40)}…" is longer than 128 characters` });
  }
  const withCost = lines.filter((l) => l.costLocation).length;
  // BB takes a cost location for every line or for none; an empty entry is rejected.
  if (withCost !== 0 && withCost !== lines.length) {
    throw new AppError("RECORD_INVALID", { detail: `${what}: either every posting line has a cost location or none (BuchhaltungsButler rejects empty ones)` });
  }
  return compact({
    postingaccounts: lines.map((l) => l.account),
    postingtexts: lines.map((l) => l.text),
    vats: lines.map((l) => l.vat),
    amounts: lines.map((l) => postingAmount(l.amount)),
    cost_locations: withCost ? lines.map((l) => l.costLocation!) : undefined,
  });
}

function receiptPostingWire(p: BbReceiptPostingInput): Record<string, unknown> {
  return { receipt_id_by_customer: Number(p.receiptId), ...lineArrays(p.lines, `receipt ${p.receiptId}`), ...compact({ debtor: p.debtor, creditor: p.creditor }) };
}

function transactionPostingWire(p: BbTransactionPostingInput): Record<string, unknown> {
  const oi = p.openItemReceiptIds ?? p.lines.map(() => null);
  if (oi.length !== p.lines.length) throw new AppError("RECORD_INVALID", { detail: `payment ${p.transactionId}: one open-item receipt (or null) per posting line is required` });
  return {
    transaction_id_by_customer: Number(p.transactionId),
    ...lineArrays(p.lines, `payment ${p.transactionId}`),
    oi_receipts_ids_by_customer: oi.map((id) => (id === null ? null : Number(id))),
  };
}

function freePostingWire(p: BbFreePostingInput): Record<string, unknown> {
  if (p.amount <= 0) throw new AppError("RECORD_INVALID", { detail: `free posting "${p.text}": BuchhaltungsButler only accepts positive amounts (swap debit and credit instead)` });
  if ([...p.text].length > 128) throw new AppError("RECORD_INVALID", { detail: `free posting "${p.text.slice(0, 40)}…": the text is longer than 128 characters` });
  return compact({
    date: p.date,
    postingtext: p.text,
    amount: postingAmount(p.amount),
    postingaccount_debit: p.debitAccount,
    postingaccount_credit: p.creditAccount,
    vat: p.vat,
    cost_location: p.costLocation,
  });
}

export function postingOps(ctx: OpsContext, lookups: { receiptDate(id: string): Promise<string | null>; transactionDate(id: string): Promise<string | null> }) {
  async function getPostings(f: BbPostingFilter): Promise<BbPosting[]> {
    const out: BbPosting[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const answer = await ctx.call(
        "postings/get",
        compact({
          date_from: f.dateFrom,
          date_to: f.dateTo,
          account: f.account?.join(","),
          postingaccount: f.postingAccount?.join(","),
          posting_status: f.status,
          cost_location: f.costLocation,
          date_last_action_from: f.lastActionFrom,
          date_last_action_to: f.lastActionTo,
          // A stable order, so pages neither skip nor repeat rows while postings are added.
          order: "id_by_customer ASC",
          limit: PAGE,
          offset,
        }),
        { write: false },
      );
      const rows = parseRows("postings/get", parseOne("postings/get", answer, listEnvelope).data, postingFromWire);
      out.push(...rows);
      if (rows.length < PAGE) break;
    }
    return out;
  }

  /** Postings of the given days, or (without days) everything touched since yesterday. */
  async function postingsAround(days: (string | null | undefined)[]): Promise<BbPosting[]> {
    const known = days.filter((d): d is string => !!d).sort();
    if (known.length === days.length && known.length > 0) return getPostings({ dateFrom: known[0]!, dateTo: known[known.length - 1]! });
    const since = berlinDate(ctx.clock.now() - 86_400_000);
    return getPostings({ dateFrom: "2000-01-01", dateTo: "2099-12-31", lastActionFrom: since });
  }

  async function postReceipt(p: BbReceiptPostingInput): Promise<void> {
    const wire = receiptPostingWire(p);
    await writeOnce(
      ctx,
      `postings of receipt ${p.receiptId}`,
      async () => {
        await ctx.call("postings/add/receipt", wire, { write: true });
      },
      async () => {
        const date = p.date ?? (await lookups.receiptDate(p.receiptId));
        return (await postingsAround([date])).some((x) => x.receiptId === p.receiptId) ? undefined : null;
      },
    );
  }

  async function postReceipts(ps: BbReceiptPostingInput[]): Promise<BatchOutcome<void>> {
    return runBatch(ctx, {
      path: "postings/add-batch/receipts",
      itemsKey: "receipts",
      responseKey: "receipts",
      errorPath: "postings/add/receipt",
      items: ps,
      toWire: receiptPostingWire,
      identity: ["receipt_id_by_customer"],
      fromSuccess: () => undefined,
      readBack: async (pending) => {
        const postings = await postingsAround(pending.map((x) => x.item.date));
        const posted = new Set(postings.map((x) => x.receiptId));
        return new Map(pending.filter((x) => posted.has(x.item.receiptId)).map((x) => [x.index, undefined]));
      },
    });
  }

  async function postTransaction(p: BbTransactionPostingInput): Promise<void> {
    const wire = transactionPostingWire(p);
    await writeOnce(
      ctx,
      `postings of payment ${p.transactionId}`,
      async () => {
        await ctx.call("postings/add/transaction", wire, { write: true });
      },
      async () => {
        const date = p.date ?? (await lookups.transactionDate(p.transactionId));
        return (await postingsAround([date])).some((x) => x.transactionId === p.transactionId) ? undefined : null;
      },
    );
  }

  async function postTransactions(ps: BbTransactionPostingInput[]): Promise<BatchOutcome<void>> {
    return runBatch(ctx, {
      path: "postings/add-batch/transactions",
      itemsKey: "transactions",
      responseKey: "transactions",
      errorPath: "postings/add/transaction",
      items: ps,
      toWire: transactionPostingWire,
      identity: ["transaction_id_by_customer"],
      fromSuccess: () => undefined,
      readBack: async (pending) => {
        const postings = await postingsAround(pending.map((x) => x.item.date));
        const posted = new Set(postings.map((x) => x.transactionId));
        return new Map(pending.filter((x) => posted.has(x.item.transactionId)).map((x) => [x.index, undefined]));
      },
    });
  }

  const sameFree = (x: BbPosting, p: BbFreePostingInput) =>
    x.date === p.date && x.text === p.text && x.amount === p.amount && x.debitAccount === p.debitAccount && x.creditAccount === p.creditAccount && !x.receiptId && !x.transactionId;

  async function addFreePosting(p: BbFreePostingInput): Promise<void> {
    const wire = freePostingWire(p);
    await writeOnce(
      ctx,
      `free posting "${p.text}"`,
      async () => {
        await ctx.call("postings/add/free", wire, { write: true });
      },
      async () => ((await getPostings({ dateFrom: p.date, dateTo: p.date })).some((x) => sameFree(x, p)) ? undefined : null),
    );
  }

  async function addFreePostings(ps: BbFreePostingInput[]): Promise<BatchOutcome<void>> {
    return runBatch(ctx, {
      path: "postings/add-batch/free",
      itemsKey: "free_postings",
      responseKey: "free_postings",
      errorPath: "postings/add/free",
      items: ps,
      toWire: freePostingWire,
      identity: ["date", "postingtext", "amount", "postingaccount_debit", "postingaccount_credit"],
      fromSuccess: () => undefined,
      readBack: async (pending) => {
        const postings = await postingsAround(pending.map((x) => x.item.date));
        const claimed = new Set<string>();
        const found = new Map<number, void>();
        for (const x of pending) {
          const hit = postings.find((q) => !claimed.has(q.id) && sameFree(q, x.item));
          if (hit) {
            claimed.add(hit.id);
            found.set(x.index, undefined);
          }
        }
        return found;
      },
    });
  }

  /**
   * Calls whose second attempt proves the first: after a lost answer, "not found / nothing to do" on the retry
   * means the first attempt went through.
   */
  async function settleByRetry(what: string, path: string, body: Record<string, unknown>, doneCodes: number[]): Promise<void> {
    let uncertain = false;
    for (let attempt = 1; attempt <= ctx.writeAttempts; attempt++) {
      try {
        await ctx.call(path, body, { write: true });
        return;
      } catch (e) {
        if (e instanceof BbUncertainWrite) {
          uncertain = true;
          ctx.stats.retries += 1;
          await ctx.clock.sleep(ctx.readBackDelayMs);
          continue;
        }
        if (uncertain && isAppError(e) && e.code === "UPSTREAM_REJECTED" && doneCodes.includes(Number(e.context?.errorCode))) {
          ctx.stats.recovered += 1;
          return;
        }
        throw e;
      }
    }
    throw new AppError("OUTCOME_UNKNOWN", { detail: `${what}: BuchhaltungsButler did not answer ${ctx.writeAttempts} times`, context: { path } });
  }

  return {
    getPostings,
    postReceipt,
    postReceipts,
    postTransaction,
    postTransactions,
    addFreePosting,
    addFreePostings,
    /** Deletes an unfixed posting; a fixed one gets a reversal posting (GoBD). */
    cancelPosting: (postingId: string) => settleByRetry(`cancel posting ${postingId}`, "postings/cancel", { posting_id_by_customer: Number(postingId) }, [7, 8]),
    unconfirmReceiptPostings: (receiptId: string) => settleByRetry(`unconfirm receipt ${receiptId}`, "postings/unconfirm/receipt", { receipt_id_by_customer: Number(receiptId) }, [7]),
    unconfirmTransactionPostings: (transactionId: string) =>
      settleByRetry(`unconfirm payment ${transactionId}`, "postings/unconfirm/transaction", { transaction_id_by_customer: Number(transactionId) }, [7]),
    unconfirmFreePosting: (postingId: string) => settleByRetry(`unconfirm free posting ${postingId}`, "postings/unconfirm/free", { posting_id_by_customer: Number(postingId) }, [6]),
    /** A relation, not an object: sending it twice cannot create a duplicate, so it is simply retried. */
    assignReceiptToFreePosting: (receiptId: string, postingId: string) =>
      settleByRetry(`assign receipt ${receiptId} to posting ${postingId}`, "postings/assign/receipt-to-free-posting", { receipt_id_by_customer: Number(receiptId), posting_id_by_customer: Number(postingId) }, []),
  };
}
