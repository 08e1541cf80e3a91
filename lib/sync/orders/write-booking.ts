import type { BbClient } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import { AppError, isAppError } from "../../errors/app-error";
import type { Cents } from "../../money";
import { saveLink, type LinkEntity } from "../links";
import type { BookingPlan, PlannedPostingLine } from "./booking-plan";

/**
 * Executes a booking plan against BuchhaltungsButler exactly once, step by step. BB has no idempotency key, so:
 * every id is saved in sync_links the moment it exists; before creating anything we look in our link first,
 * then in BB (receipts by invoice number, transactions by purpose + date + amount, postings by receipt or
 * transaction id); after a timeout or 5xx we read back before deciding to write again.
 */
export interface WriteState {
  invoiceNumber: string;
  receiptId?: string;
  receiptPosted?: boolean;
  commented?: boolean;
  tenders?: Record<string, { transactionId?: string; assigned?: boolean; posted?: boolean }>;
  free?: Record<string, { posted?: boolean }>;
  /** "already in BuchhaltungsButler — linked": the receipt was found there, not created by this write. */
  adoptedReceipt?: boolean;
}

export interface WriteResult {
  state: WriteState;
  created: boolean;
  adopted: boolean;
}

const UNCERTAIN = new Set(["OUTCOME_UNKNOWN", "UPSTREAM_UNAVAILABLE"]);

function postingLines(lines: PlannedPostingLine[]) {
  return lines.map((l) => ({ account: l.account, text: l.text, vat: l.vat, amount: l.amount }));
}

async function persist(database: Database, tenantId: string, entity: LinkEntity, sourceId: string, state: WriteState, step: string): Promise<void> {
  await saveLink(database, tenantId, entity, sourceId, { step, targetIds: { ...state } });
}

/** After an uncertain write of postings: did BB book them? Postings carry the receipt / transaction id. */
async function postingsExist(client: BbClient, date: string, match: { receiptId?: string; transactionId?: string }): Promise<boolean> {
  const postings = await client.getPostings({ dateFrom: date, dateTo: date });
  return postings.some(
    (p) => (match.receiptId !== undefined && p.receiptId === match.receiptId) || (match.transactionId !== undefined && p.transactionId === match.transactionId),
  );
}

async function withReadBack(write: () => Promise<void>, readBack: () => Promise<boolean>): Promise<void> {
  try {
    await write();
  } catch (e) {
    if (isAppError(e) && UNCERTAIN.has(e.code) && (await readBack())) return;
    throw e;
  }
}

export async function writeBooking(
  database: Database,
  client: BbClient,
  target: { tenantId: string; entity: LinkEntity; sourceId: string },
  plan: BookingPlan,
  initial: WriteState | undefined,
  options: { comment: boolean },
): Promise<WriteResult> {
  const { tenantId, entity, sourceId } = target;
  const state: WriteState = { ...(initial ?? {}), invoiceNumber: plan.invoiceNumber, tenders: { ...(initial?.tenders ?? {}) }, free: { ...(initial?.free ?? {}) } };
  let created = false;

  // 1. The receipt.
  if (plan.receipt && !state.receiptId) {
    const existing = await client.findReceiptByInvoiceNumber(plan.invoiceNumber, "outbound");
    if (existing) {
      if (existing.amount !== plan.receipt.amount) {
        throw new AppError("UPSTREAM_REJECTED", {
          detail: `BuchhaltungsButler already has a receipt with invoice number ${plan.invoiceNumber} for ${(existing.amount / 100).toFixed(2)} €, but this sale is ${(plan.receipt.amount / 100).toFixed(2)} €`,
          fixHint: "Check that receipt in BuchhaltungsButler; delete it if it is wrong, then retry this sale.",
          context: { receiptId: existing.id },
        });
      }
      state.receiptId = existing.id;
      state.adoptedReceipt = true;
    } else {
      const linkTo = plan.receipt.linkToSaleId ? await linkedReceiptId(database, tenantId, plan.receipt.linkToSaleId) : null;
      const res = await client.addReceipt({
        type: "invoice outbound",
        counterparty: plan.debtor.name,
        invoiceNumber: plan.invoiceNumber,
        date: plan.date,
        amount: plan.receipt.amount,
        currency: "EUR",
        creditorDebtor: plan.debtor.number,
        ...(plan.receipt.dueDate ? { dueDate: plan.receipt.dueDate } : {}),
        ...(linkTo ? { linkToReceiptId: linkTo } : {}),
      });
      state.receiptId = res.id;
      created = true;
    }
    await persist(database, tenantId, entity, sourceId, state, "receipt");
  }

  // 2. A comment naming the Lightspeed sale (steady state; backfills skip it to stay within BB's call budget).
  if (plan.receipt && state.receiptId && options.comment && !state.commented) {
    await client.addComment({ receiptId: state.receiptId, text: plan.comment.slice(0, 210) });
    state.commented = true;
    await persist(database, tenantId, entity, sourceId, state, "comment");
  }

  // 3. Revenue postings on the receipt.
  if (plan.receipt && state.receiptId && !state.receiptPosted) {
    const receiptId = state.receiptId;
    await withReadBack(
      () => client.postReceipt({ receiptId, debtor: plan.debtor.number, lines: postingLines(plan.receipt!.lines) }),
      () => postingsExist(client, plan.date, { receiptId }),
    );
    state.receiptPosted = true;
    await persist(database, tenantId, entity, sourceId, state, "receipt_posted");
  }

  // 4. One transaction per tender: create (or find), assign to the receipt, post against the debtor.
  for (const tender of plan.tenders) {
    const ts = (state.tenders![tender.key] ??= {});
    if (!ts.transactionId) {
      const found = await client.findTransaction({ purpose: tender.purpose, date: plan.date, amount: tender.amount, account: tender.account });
      if (found) ts.transactionId = found.id;
      else {
        const res = await client.addTransaction({
          account: tender.account,
          toFrom: plan.debtor.name,
          amount: tender.amount,
          bookingDate: tender.bookingDate,
          purpose: tender.purpose,
          bookingText: tender.bookingText,
        });
        ts.transactionId = res.id;
      }
      await persist(database, tenantId, entity, sourceId, state, `tender_${tender.key}`);
    }
    if (plan.receipt && state.receiptId && !ts.assigned) {
      await client.assignTransactionToReceipt(ts.transactionId, state.receiptId);
      ts.assigned = true;
      await persist(database, tenantId, entity, sourceId, state, `tender_${tender.key}_assigned`);
    }
    if (!ts.posted) {
      const transactionId = ts.transactionId;
      await withReadBack(
        () =>
          client.postTransaction({
            transactionId,
            lines: postingLines(tender.lines),
            openItemReceiptIds: tender.lines.map((l) => (l.clearsReceipt && state.receiptId ? state.receiptId : null)),
          }),
        () => postingsExist(client, plan.date, { transactionId }),
      );
      ts.posted = true;
      await persist(database, tenantId, entity, sourceId, state, `tender_${tender.key}_posted`);
    }
  }

  // 5. Free postings (gift-card value between the debtor and the liability).
  for (const fp of plan.freePostings) {
    const fs = (state.free![fp.key] ??= {});
    if (fs.posted) continue;
    const exists = async () => (await client.getPostings({ dateFrom: fp.date, dateTo: fp.date })).some((p) => p.text === fp.text && Math.abs(p.amount) === fp.amount);
    await withReadBack(
      () => client.addFreePosting({ date: fp.date, text: fp.text, amount: fp.amount as Cents, debitAccount: fp.debitAccount, creditAccount: fp.creditAccount, vat: fp.vat }),
      exists,
    );
    fs.posted = true;
    await persist(database, tenantId, entity, sourceId, state, `free_${fp.key}`);
  }

  return { state, created, adopted: !!state.adoptedReceipt && !created };
}

/** The BB receipt of an earlier sale, for linking a refund to it. */
async function linkedReceiptId(database: Database, tenantId: string, saleId: string): Promise<string | null> {
  const row = await database
    .selectFrom("sync_links")
    .select("target_ids")
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where("source_id", "=", saleId)
    .executeTakeFirst();
  const id = (row?.target_ids as { receiptId?: string } | undefined)?.receiptId;
  return id ?? null;
}
