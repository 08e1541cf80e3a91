import type { Handler } from "./context";
import { accountsAdd, accountsGet, commentsAdd, costLocationsAdd, costLocationsDelete, costLocationsGet, costLocationsUpdate } from "./endpoints/misc";
import {
  postingsAddBatchFree,
  postingsAddBatchReceipts,
  postingsAddBatchTransactions,
  postingsAddFree,
  postingsAddReceipt,
  postingsAddTransaction,
  postingsAssignReceiptToFree,
  postingsCancel,
  postingsGet,
  postingsUnconfirmFree,
  postingsUnconfirmReceipt,
  postingsUnconfirmTransaction,
} from "./endpoints/postings";
import { reportsCreateSums, reportsGetSums, reportsGetSumsLedger } from "./endpoints/reports";
import { receiptsAdd, receiptsAddBatch, receiptsAssignedTransactions, receiptsDelete, receiptsGet, receiptsGetOne, receiptsRestore, receiptsUpload } from "./endpoints/receipts";
import {
  settingsAddBatchCreditors,
  settingsAddBatchDebtors,
  settingsAddCreditor,
  settingsAddDebtor,
  settingsAddPostingaccount,
  settingsGetCreditors,
  settingsGetDebtors,
  settingsGetPostingaccounts,
  settingsUpdateCreditor,
  settingsUpdateDebtor,
  settingsUpdatePostingaccount,
} from "./endpoints/settings";
import {
  transactionsAdd,
  transactionsAddBatch,
  transactionsAssign,
  transactionsAssignBatch,
  transactionsAssignedReceipts,
  transactionsGet,
  transactionsGetOne,
  transactionsUnassign,
} from "./endpoints/transactions";

export interface Route {
  handler: Handler;
  /** Batch endpoints: one call per interval and at most N items; uploads: their own per-minute budget. */
  bucket?: "batch" | "upload";
  /** Does the endpoint change state (for fault injection "after commit" and the stats). */
  write: boolean;
  /** The endpoint lists error 23 ("no post and files content received or declined") for an empty body. */
  emptyBody23?: boolean;
  /**
   * The spec's own throttle answer for this endpoint: 403/15 "adding is temporarily restricted" (or "upload …").
   * Only these endpoints list it; on receipts/get code 15 means "invalid sort field" instead.
   */
  throttle15?: "adding" | "upload";
}

const r = (handler: Handler, write: boolean, extra: Partial<Route> = {}): Route => ({ handler, write, ...extra });

/** Every served path, as the spec names it (`:id` is the `id_by_customer` placeholder). */
export const ROUTES: Record<string, Route> = {
  "receipts/get": r(receiptsGet, false),
  "receipts/get/:id": r(receiptsGetOne, false),
  "receipts/add": r(receiptsAdd, true),
  "receipts/addBatch": r(receiptsAddBatch, true, { bucket: "batch", throttle15: "adding" }),
  "receipts/upload": r(receiptsUpload, true, { bucket: "upload", emptyBody23: true, throttle15: "upload" }),
  "receipts/delete/:id": r(receiptsDelete, true),
  "receipts/restore/:id": r(receiptsRestore, true),
  "receipts/assigned-transactions/get": r(receiptsAssignedTransactions, false),
  "transactions/get": r(transactionsGet, false),
  "transactions/get/:id": r(transactionsGetOne, false),
  "transactions/add": r(transactionsAdd, true, { emptyBody23: true, throttle15: "adding" }),
  "transactions/addBatch": r(transactionsAddBatch, true, { bucket: "batch", throttle15: "adding" }),
  "transactions/assign/receipt": r(transactionsAssign, true, { emptyBody23: true }),
  "transactions/assign-batch/receipt": r(transactionsAssignBatch, true, { bucket: "batch", emptyBody23: true, throttle15: "adding" }),
  "transactions/unassign/receipt": r(transactionsUnassign, true),
  "transactions/assigned-receipts/get": r(transactionsAssignedReceipts, false),
  "postings/get": r(postingsGet, false),
  "postings/add/receipt": r(postingsAddReceipt, true, { emptyBody23: true }),
  "postings/add-batch/receipts": r(postingsAddBatchReceipts, true, { bucket: "batch", throttle15: "adding" }),
  "postings/add/transaction": r(postingsAddTransaction, true, { emptyBody23: true }),
  "postings/add-batch/transactions": r(postingsAddBatchTransactions, true, { bucket: "batch", throttle15: "adding" }),
  "postings/add/free": r(postingsAddFree, true, { emptyBody23: true }),
  "postings/add-batch/free": r(postingsAddBatchFree, true, { bucket: "batch", throttle15: "adding" }),
  "postings/unconfirm/receipt": r(postingsUnconfirmReceipt, true),
  "postings/unconfirm/transaction": r(postingsUnconfirmTransaction, true),
  "postings/unconfirm/free": r(postingsUnconfirmFree, true),
  "postings/assign/receipt-to-free-posting": r(postingsAssignReceiptToFree, true, { emptyBody23: true }),
  "postings/cancel": r(postingsCancel, true, { emptyBody23: true }),
  "settings/get/debtors": r(settingsGetDebtors, false),
  "settings/get/creditors": r(settingsGetCreditors, false),
  "settings/get/postingaccounts": r(settingsGetPostingaccounts, false),
  "settings/add/debtor": r(settingsAddDebtor, true),
  "settings/add/creditor": r(settingsAddCreditor, true),
  "settings/add-batch/debtors": r(settingsAddBatchDebtors, true, { bucket: "batch", throttle15: "adding" }),
  "settings/add-batch/creditors": r(settingsAddBatchCreditors, true, { bucket: "batch", throttle15: "adding" }),
  "settings/update/debtor": r(settingsUpdateDebtor, true),
  "settings/update/creditor": r(settingsUpdateCreditor, true),
  "settings/add/postingaccount": r(settingsAddPostingaccount, true),
  "settings/update/postingaccount": r(settingsUpdatePostingaccount, true),
  "accounts/get": r(accountsGet, false),
  "accounts/add": r(accountsAdd, true),
  "comments/add": r(commentsAdd, true),
  "cost-locations/get": r(costLocationsGet, false, { emptyBody23: true }),
  "reports/create/sums": r(reportsCreateSums, true, { emptyBody23: true }),
  "reports/get/sums": r(reportsGetSums, false, { emptyBody23: true }),
  "reports/get/sums/ledger": r(reportsGetSumsLedger, false, { emptyBody23: true }),
  "cost-locations/add": r(costLocationsAdd, true, { emptyBody23: true }),
  "cost-locations/update": r(costLocationsUpdate, true, { emptyBody23: true }),
  "cost-locations/delete": r(costLocationsDelete, true, { emptyBody23: true }),
};

/** Resolves a request path ("receipts/get/12") to its route key and the id placeholder. */
export function matchRoute(path: string): { key: string; route: Route; id?: string } | null {
  const direct = ROUTES[path];
  if (direct) return { key: path, route: direct };
  const m = /^(receipts\/get|receipts\/delete|receipts\/restore|transactions\/get)\/([^/]+)$/.exec(path);
  if (m) {
    const key = `${m[1]}/:id`;
    const route = ROUTES[key];
    if (route) return { key, route, id: decodeURIComponent(m[2]!) };
  }
  return null;
}
