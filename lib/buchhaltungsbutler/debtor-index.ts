import { sql } from "kysely";
import * as z from "zod";
import { toJson, type Database } from "../db";
import type { BbDebtor, IndexedDebtor } from "./types";

/**
 * Our copy of the tenant's debtors. BB's debtor list has no search (and pages of 25 by default), so checking
 * a customer's e-mail against BB per order would page through every debtor; instead the index is filled from BB
 * when BuchhaltungsButler is connected, nightly, and before a run that meets a customer the index does not know
 * (refreshDebtorIndexIfStale), and kept current by the client on every debtor it creates or updates.
 */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export async function upsertIndexedDebtors(database: Database, tenantId: string, debtors: BbDebtor[]): Promise<void> {
  if (debtors.length === 0) return;
  // One row per number even if a page repeats a debtor (offset paging while debtors are added).
  const unique = [...new Map(debtors.map((d) => [d.postingAccountNumber, d])).values()];
  await database
    .insertInto("bb_debtors")
    .values(
      unique.map((d) => ({
        tenant_id: tenantId,
        postingaccount_number: d.postingAccountNumber,
        name: d.name,
        email_normalized: d.email ? normaliseEmail(d.email) : null,
        customer_number: d.customerNumber?.trim() || null,
        data: toJson(d),
        seen_at: sql<Date>`now()`,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["tenant_id", "postingaccount_number"]).doUpdateSet((eb) => ({
        name: eb.ref("excluded.name"),
        email_normalized: eb.ref("excluded.email_normalized"),
        customer_number: eb.ref("excluded.customer_number"),
        data: eb.ref("excluded.data"),
        seen_at: eb.ref("excluded.seen_at"),
      })),
    )
    .execute();
}

type Row = { data: unknown; seen_at: Date };

const text = z.string().nullable().catch(null);
/** The stored copy of a BB debtor (`bb_debtors.data`), parsed on read: rows written before a field existed read as null. */
const storedDebtor = z.object({
  postingAccountNumber: z.number().int(),
  name: z.string(),
  contactPersonName: text,
  customerNumber: text,
  email: text,
  street: text,
  additionalAddressLine: text,
  zip: text,
  city: text,
  country: text,
  salesTaxId: text,
  iban: text,
  bic: text,
}) satisfies z.ZodType<BbDebtor>;

const toIndexed = (row: Row): IndexedDebtor => ({ ...storedDebtor.parse(row.data), seenAt: row.seen_at });

/** Pages through every debtor in BB once and replaces the index with what BB has (rows BB no longer lists are dropped). */
export async function syncDebtorIndex(
  database: Database,
  tenantId: string,
  client: { listDebtors(): AsyncIterable<BbDebtor[]> },
): Promise<{ count: number }> {
  const { rows } = await sql<{ started: Date }>`select now() as started`.execute(database);
  const started = rows[0]!.started;
  const seen = new Set<number>();
  for await (const page of client.listDebtors()) {
    await upsertIndexedDebtors(database, tenantId, page);
    for (const d of page) seen.add(d.postingAccountNumber);
  }
  // Debtors created through the client while we paged carry a newer seen_at and stay.
  await database.deleteFrom("bb_debtors").where("tenant_id", "=", tenantId).where("seen_at", "<", started).execute();
  await database
    .insertInto("bb_debtor_index_state")
    .values({ tenant_id: tenantId, synced_at: started, debtor_count: seen.size })
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ synced_at: started, debtor_count: seen.size }))
    .execute();
  return { count: seen.size };
}

/** When the index was last filled from BB (null: never). */
export async function debtorIndexSyncedAt(database: Database, tenantId: string): Promise<Date | null> {
  const row = await database.selectFrom("bb_debtor_index_state").select("synced_at").where("tenant_id", "=", tenantId).executeTakeFirst();
  return row?.synced_at ?? null;
}

/** The debtor with this e-mail (trimmed, case-insensitive); with several, the oldest number. */
export async function findDebtorByEmail(database: Database, tenantId: string, email: string): Promise<IndexedDebtor | null> {
  const key = normaliseEmail(email);
  if (!key) return null;
  const row = await database
    .selectFrom("bb_debtors")
    .select(["data", "seen_at"])
    .where("tenant_id", "=", tenantId)
    .where("email_normalized", "=", key)
    .orderBy("postingaccount_number")
    .executeTakeFirst();
  return row ? toIndexed(row) : null;
}

export async function findDebtorByCustomerNumber(database: Database, tenantId: string, customerNumber: string): Promise<IndexedDebtor | null> {
  const key = customerNumber.trim();
  if (!key) return null;
  const row = await database
    .selectFrom("bb_debtors")
    .select(["data", "seen_at"])
    .where("tenant_id", "=", tenantId)
    .where("customer_number", "=", key)
    .orderBy("postingaccount_number")
    .executeTakeFirst();
  return row ? toIndexed(row) : null;
}

export async function findDebtorByNumber(database: Database, tenantId: string, postingAccountNumber: number): Promise<IndexedDebtor | null> {
  const row = await database
    .selectFrom("bb_debtors")
    .select(["data", "seen_at"])
    .where("tenant_id", "=", tenantId)
    .where("postingaccount_number", "=", postingAccountNumber)
    .executeTakeFirst();
  return row ? toIndexed(row) : null;
}

/** How old the index may be before a run that meets an unknown customer pages BB again. */
export const DEBTOR_INDEX_MAX_AGE_MS = 15 * 60_000;

/**
 * Refills the index when it is older than `maxAgeMs` (or was never filled): the merchant may have added the
 * customer in BB by hand since. Returns whether it paged BB.
 */
export async function refreshDebtorIndexIfStale(
  database: Database,
  tenantId: string,
  client: { listDebtors(): AsyncIterable<BbDebtor[]> },
  maxAgeMs = DEBTOR_INDEX_MAX_AGE_MS,
  now = new Date(),
): Promise<boolean> {
  const syncedAt = await debtorIndexSyncedAt(database, tenantId);
  if (syncedAt && now.getTime() - syncedAt.getTime() < maxAgeMs) return false;
  await syncDebtorIndex(database, tenantId, client);
  return true;
}
