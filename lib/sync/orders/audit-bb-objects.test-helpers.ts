import type { Database } from "@/lib/db";
import { parseLinkState, type SaleLinkState } from "@/lib/sync/link-state";
import type { SbTenant } from "@/sandbox/buchhaltungsbutler/model";

/** What the chaos test counts per kind of BB object: copies that survived, objects our links name that BB lacks. */
export interface ObjectAudit {
  count: number;
  duplicates: string[];
  missing: string[];
  /** Copies a late commit left that the sync neutralised (a payment copy stays, with its counter-payment). */
  repaired: number;
}

export const OBJECT_TYPES = ["receipts", "receiptPostings", "transactions", "transactionPostings", "freePostings", "assignments", "debtors", "comments"] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

type Progress = Pick<SaleLinkState, "receiptId" | "receiptPosted" | "commented" | "tenders" | "free" | "plan">;

/** Every booking our links say is (being) written: a sale's, a day's, a day correction's. */
async function bookings(database: Database, tenantId: string): Promise<{ id: string; status: string; state: Progress }[]> {
  const rows = await database.selectFrom("sync_links").select(["entity", "source_id", "status", "target_ids"]).where("tenant_id", "=", tenantId).where("entity", "in", ["sale", "day"]).execute();
  return rows.map((r) => {
    const kind = r.entity === "sale" ? "sale" : r.source_id.includes("#K") ? "dayCorrection" : "day";
    return { id: `${r.entity}:${r.source_id}`, status: r.status, state: parseLinkState(kind, r.source_id, r.target_ids) };
  });
}

const COUNTER_OF = /^(.*)\/D(\d+)$/;

/**
 * Reads BB's state straight from the sandbox and holds it against the links: exactly once for every kind of
 * object the order sync writes. A kind with nothing to compare in a link (comments on backfilled receipts) is
 * still checked for copies.
 */
export async function auditBbObjects(database: Database, tenantId: string, bb: SbTenant): Promise<Record<ObjectType, ObjectAudit>> {
  const empty = (): ObjectAudit => ({ count: 0, duplicates: [], missing: [], repaired: 0 });
  const audit: Record<ObjectType, ObjectAudit> = {
    receipts: empty(),
    receiptPostings: empty(),
    transactions: empty(),
    transactionPostings: empty(),
    freePostings: empty(),
    assignments: empty(),
    debtors: empty(),
    comments: empty(),
  };
  const links = await bookings(database, tenantId);
  const receipts = new Map(bb.receipts.map((r) => [r.id, r]));
  const transactions = new Map(bb.transactions.map((t) => [t.id, t]));
  const live = bb.postings.filter((p) => !p.cancelled && p.reversalOf === null);

  // Receipts: one live receipt per invoice number.
  const byNumber = new Map<string, number>();
  for (const r of bb.receipts) if (!r.deleted) byNumber.set(r.invoiceNumber, (byNumber.get(r.invoiceNumber) ?? 0) + 1);
  audit.receipts.count = byNumber.size;
  for (const [n, c] of byNumber) if (c > 1) audit.receipts.duplicates.push(`${n} ×${c}`);
  audit.receipts.repaired = bb.receipts.filter((r) => r.deleted).length;

  // Payments: one per purpose, but a copy with a counter-payment `<purpose>/D<copy id>` is repaired.
  const neutralised = new Set<number>();
  for (const t of bb.transactions) {
    const m = COUNTER_OF.exec(t.purpose);
    if (m) neutralised.add(Number(m[2]));
  }
  const byPurpose = new Map<string, number[]>();
  for (const t of bb.transactions) if (t.purpose && !COUNTER_OF.test(t.purpose)) byPurpose.set(t.purpose, [...(byPurpose.get(t.purpose) ?? []), t.id]);
  audit.transactions.count = byPurpose.size;
  for (const [purpose, ids] of byPurpose) {
    const copies = ids.filter((id) => neutralised.has(id));
    audit.transactions.repaired += copies.length;
    if (ids.length - copies.length > 1) audit.transactions.duplicates.push(`${purpose} ×${ids.length - copies.length}`);
    if (ids.length === copies.length) audit.transactions.missing.push(`${purpose}: every copy neutralised`);
  }

  // Postings of a receipt / payment: the same line twice is a copy.
  const keyOf = (p: (typeof live)[number]) => `${p.date}|${p.text}|${p.amount}|${p.debit}|${p.credit}|${p.vat}`;
  const copiesIn = (postings: typeof live) => {
    const seen = new Map<string, number>();
    for (const p of postings) seen.set(keyOf(p), (seen.get(keyOf(p)) ?? 0) + 1);
    return [...seen].filter(([, c]) => c > 1).map(([k, c]) => `${k} ×${c}`);
  };
  for (const [id, postings] of bb.postingsByReceipt) {
    const mine = postings.filter((p) => !p.cancelled && p.reversalOf === null && p.kind === "receipt");
    audit.receiptPostings.count += mine.length;
    for (const c of copiesIn(mine)) audit.receiptPostings.duplicates.push(`receipt ${id}: ${c}`);
  }
  for (const [id, postings] of bb.postingsByTransaction) {
    const mine = postings.filter((p) => !p.cancelled && p.reversalOf === null && p.kind === "transaction");
    audit.transactionPostings.count += mine.length;
    for (const c of copiesIn(mine)) audit.transactionPostings.duplicates.push(`transaction ${id}: ${c}`);
  }
  const free = live.filter((p) => p.kind === "free");
  audit.freePostings.count = free.length;
  audit.freePostings.duplicates.push(...copiesIn(free));

  // Comments: the same text twice on one receipt.
  for (const r of bb.receipts) {
    if (r.deleted) continue;
    audit.comments.count += r.comments.length;
    const dup = r.comments.filter((c, i) => r.comments.indexOf(c) !== i);
    if (dup.length) audit.comments.duplicates.push(`${r.invoiceNumber}: ${dup.length} repeated`);
  }

  // Assignments: none may point at a receipt that was deleted as a copy.
  for (const [tx, ids] of bb.assignments) {
    audit.assignments.count += ids.size;
    for (const rid of ids) if (receipts.get(rid)?.deleted) audit.assignments.duplicates.push(`transaction ${tx} → deleted receipt ${rid}`);
  }
  for (const p of free) for (const rid of p.assignedReceiptIds) if (receipts.get(rid)?.deleted) audit.assignments.duplicates.push(`free posting ${p.id} → deleted receipt ${rid}`);

  // Debtors: one per customer number, one per e-mail (case-insensitive).
  const debtors = [...bb.debtors.values()];
  audit.debtors.count = debtors.length;
  for (const [what, keyFn] of [
    ["customer number", (d: (typeof debtors)[number]) => d.customerNumber || null],
    ["e-mail", (d: (typeof debtors)[number]) => d.email?.toLowerCase() || null],
  ] as const) {
    const seen = new Map<string, number[]>();
    for (const d of debtors) {
      const k = keyFn(d);
      if (k) seen.set(k, [...(seen.get(k) ?? []), d.number]);
    }
    for (const [k, numbers] of seen) if (numbers.length > 1) audit.debtors.duplicates.push(`${what} ${k}: ${numbers.join(", ")}`);
  }

  // What the links name must be in BB.
  const customerLinks = await database.selectFrom("sync_links").select(["source_id", "target_ids"]).where("tenant_id", "=", tenantId).where("entity", "=", "customer").execute();
  for (const c of customerLinks) {
    const n = parseLinkState("customer", c.source_id, c.target_ids).debtorNumber;
    if (n !== undefined && !bb.debtors.has(n)) audit.debtors.missing.push(`customer ${c.source_id}: debtor ${n}`);
  }
  for (const { id, status, state } of links) {
    const plan = state.plan;
    // A deposits-only plan (an open layaway) names no debtor yet: number 0.
    if (plan && plan.debtor.number !== 0 && status !== "failed" && !bb.debtors.has(plan.debtor.number)) audit.debtors.missing.push(`${id}: debtor ${plan.debtor.number}`);
    const receipt = state.receiptId ? receipts.get(Number(state.receiptId)) : undefined;
    if (state.receiptId && (!receipt || receipt.deleted)) audit.receipts.missing.push(`${id}: receipt ${state.receiptId}`);
    if (status === "done" && plan?.receipt && !state.receiptId) audit.receipts.missing.push(`${id}: no receipt id`);
    if (receipt && state.receiptPosted) {
      const posted = (bb.postingsByReceipt.get(receipt.id) ?? []).filter((p) => !p.cancelled && p.kind === "receipt");
      // A voided sale's receipt postings are cancelled on purpose.
      if (posted.length === 0 && status !== "voided") audit.receiptPostings.missing.push(`${id}: receipt ${receipt.id} unposted`);
    }
    if (receipt && state.commented && receipt.comments.length === 0) audit.comments.missing.push(`${id}: receipt ${receipt.id}`);
    for (const [k, t] of Object.entries(state.tenders ?? {})) {
      if (!t.transactionId) continue;
      const tx = transactions.get(Number(t.transactionId));
      if (!tx) {
        audit.transactions.missing.push(`${id}: tender ${k} ${t.transactionId}`);
        continue;
      }
      if (t.posted && !(bb.postingsByTransaction.get(tx.id) ?? []).some((p) => !p.cancelled && p.kind === "transaction")) audit.transactionPostings.missing.push(`${id}: tender ${k} ${tx.id}`);
      if (t.assigned && receipt && !bb.assignments.get(tx.id)?.has(receipt.id)) audit.assignments.missing.push(`${id}: tender ${k} ${tx.id} → ${receipt.id}`);
    }
    if (status === "done" && plan) {
      for (const t of plan.tenders) if (!state.tenders?.[t.key]?.transactionId) audit.transactions.missing.push(`${id}: tender ${t.key} never written`);
    }
    if (status === "voided") continue;
    for (const f of plan?.freePostings ?? []) {
      const mark = state.free?.[f.key];
      if (!mark?.posted) {
        if (status === "done") audit.freePostings.missing.push(`${id}: ${f.key} never written`);
        continue;
      }
      const found = free.find((p) => p.date === f.date && p.text === f.text && Math.abs(p.amount) === Math.abs(f.amount) && p.debit === f.debitAccount && p.credit === f.creditAccount);
      if (!found) audit.freePostings.missing.push(`${id}: ${f.key}`);
      else if (mark.assigned && receipt && !found.assignedReceiptIds.includes(receipt.id)) audit.assignments.missing.push(`${id}: free ${f.key} → ${receipt.id}`);
    }
  }
  return audit;
}
