import { sql } from "kysely";
import type { LinkStatus, SyncLink } from "@/db/schema";
import { slicesOf, toJson, type Database } from "../db";
import { LINK_ENTITY, isLinkEntity, parseLinkError, parseLinkState, type LinkEntity, type LinkError, type LinkKind, type LinkState } from "./link-state";

export { isLinkEntity, type LinkEntity, type LinkError, type LinkKind, type LinkState } from "./link-state";

/**
 * sync_links: one row per synced source record with the BB ids created for it and the last step reached. It is
 * written after every successful write, so a run that dies anywhere resumes exactly where it stopped. Every
 * query of the table lives here, and every read parses the stored ids with the schema of its kind
 * (link-state.ts).
 */
export type Link<K extends LinkKind> = Omit<SyncLink, "target_ids" | "last_error"> & { target_ids: LinkState<K>; last_error: LinkError | null };

function parsed<K extends LinkKind>(kind: K, row: SyncLink): Link<K> {
  return { ...row, target_ids: parseLinkState(kind, row.source_id, row.target_ids), last_error: parseLinkError(kind, row.source_id, row.last_error) };
}

export async function getLink<K extends LinkKind>(database: Database, tenantId: string, kind: K, sourceId: string): Promise<Link<K> | undefined> {
  const row = await database.selectFrom("sync_links").selectAll().where("tenant_id", "=", tenantId).where("entity", "=", LINK_ENTITY[kind]).where("source_id", "=", sourceId).executeTakeFirst();
  return row && parsed(kind, row);
}

export async function getLinks<K extends LinkKind>(database: Database, tenantId: string, kind: K, sourceIds: string[]): Promise<Map<string, Link<K>>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await database.selectFrom("sync_links").selectAll().where("tenant_id", "=", tenantId).where("entity", "=", LINK_ENTITY[kind]).where("source_id", "in", sourceIds).execute();
  return new Map(rows.map((r) => [r.source_id, parsed(kind, r)]));
}

export interface LinkUpdate<K extends LinkKind = LinkKind> {
  step?: string;
  status?: LinkStatus;
  /** Merged into the stored ids (jsonb ||), never replacing ids written by an earlier step. */
  targetIds?: Partial<LinkState<K>>;
  hash?: string | null;
  lastError?: LinkError | null;
}

export async function saveLink<K extends LinkKind>(database: Database, tenantId: string, kind: K, sourceId: string, update: LinkUpdate<K>): Promise<void> {
  const ids = toJson(update.targetIds ?? {});
  await database
    .insertInto("sync_links")
    .values({
      tenant_id: tenantId,
      entity: LINK_ENTITY[kind],
      source_id: sourceId,
      target_ids: ids,
      step: update.step ?? "new",
      status: update.status ?? "pending",
      hash: update.hash ?? null,
      last_error: toJson(update.lastError ?? null),
      attempts: update.lastError ? 1 : 0,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "entity", "source_id"]).doUpdateSet((eb) => ({
        target_ids: sql`sync_links.target_ids || ${ids}::jsonb`,
        ...(update.step !== undefined ? { step: update.step } : {}),
        ...(update.status !== undefined ? { status: update.status } : {}),
        ...(update.hash !== undefined ? { hash: update.hash } : {}),
        ...(update.lastError !== undefined ? { last_error: toJson(update.lastError) } : {}),
        attempts: update.lastError ? eb("sync_links.attempts", "+", 1) : eb.ref("sync_links.attempts"),
        updated_at: new Date(),
      })),
    )
    .execute();
}

/**
 * Many link updates in one statement (a batch phase touches up to 50 records at once). Same merge rules as
 * saveLink: target ids are merged, the other columns are replaced when given.
 */
export async function saveLinks<K extends LinkKind>(database: Database, tenantId: string, kind: K, rows: { sourceId: string; update: LinkUpdate<K> }[]): Promise<void> {
  if (rows.length === 0) return;
  // One statement per distinct shape of update (step/status/hash/error present or not), in practice one or two.
  const groups = new Map<string, typeof rows>();
  for (const r of rows) {
    const shape = [r.update.step, r.update.status, r.update.hash, r.update.lastError].map((v) => (v !== undefined ? "1" : "0")).join("");
    groups.set(shape, [...(groups.get(shape) ?? []), r]);
  }
  for (const [shape, all] of groups) {
    const [hasStep, hasStatus, hasHash, hasError] = shape.split("").map((c) => c === "1");
    for (const group of slicesOf(all)) {
      await database
        .insertInto("sync_links")
        .values(
          group.map((r) => ({
            tenant_id: tenantId,
            entity: LINK_ENTITY[kind],
            source_id: r.sourceId,
            target_ids: toJson(r.update.targetIds ?? {}),
            step: r.update.step ?? "new",
            status: r.update.status ?? "pending",
            hash: r.update.hash ?? null,
            last_error: toJson(r.update.lastError ?? null),
            attempts: r.update.lastError ? 1 : 0,
            updated_at: new Date(),
          })),
        )
        .onConflict((oc) =>
          oc.columns(["tenant_id", "entity", "source_id"]).doUpdateSet((eb) => ({
            target_ids: sql`sync_links.target_ids || excluded.target_ids`,
            ...(hasStep ? { step: eb.ref("excluded.step") } : {}),
            ...(hasStatus ? { status: eb.ref("excluded.status") } : {}),
            ...(hasHash ? { hash: eb.ref("excluded.hash") } : {}),
            ...(hasError ? { last_error: eb.ref("excluded.last_error") } : {}),
            attempts: hasError ? sql`case when excluded.last_error is not null and excluded.last_error <> 'null'::jsonb then sync_links.attempts + 1 else sync_links.attempts end` : eb.ref("sync_links.attempts"),
            updated_at: new Date(),
          })),
        )
        .execute();
    }
  }
}

/** Day and correction keys (`shop|register|date`, `…#K<n>`) whose links changed since `since` (app clock). */
export async function dayLinksTouchedSince(database: Database, tenantId: string, since: Date): Promise<string[]> {
  const rows = await database.selectFrom("sync_links").select("source_id").where("tenant_id", "=", tenantId).where("entity", "=", "day").where("updated_at", ">=", since).execute();
  return rows.map((r) => r.source_id);
}

/**
 * The business days sale links changed since `since` wrote money on besides their own: a reversal's day (a void,
 * or the reversal before a re-post) and a deposit's payment day.
 */
export async function saleWriteDaysTouchedSince(database: Database, tenantId: string, since: Date): Promise<string[]> {
  const rows = await database
    .selectFrom("sync_links")
    .select(sql<(string | null)[]>`array[target_ids->'void'->>'date', target_ids->'previous'->>'date'] || coalesce((select array_agg(left(t->>'bookingDate', 10)) from jsonb_array_elements(coalesce(target_ids->'plan'->'tenders', '[]'::jsonb)) t), '{}')`.as("days"))
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where("updated_at", ">=", since)
    .execute();
  return [...new Set(rows.flatMap((r) => r.days).filter((d): d is string => !!d))];
}

/** The link of a day's n-th correcting receipt (a day row of its own, see link-state.ts). */
export function dayCorrectionId(dayKey: string, n: number): string {
  return `${dayKey}#K${n}`;
}

function dayRowKind(sourceId: string): "day" | "dayCorrection" {
  return /#K\d+$/.test(sourceId) ? "dayCorrection" : "day";
}

/** The sale a refund line points at (via the lines recorded when that sale was posted). */
export async function saleIdOfLine(database: Database, tenantId: string, saleLineId: string): Promise<string | null> {
  const row = await database
    .selectFrom("sync_links")
    .select("source_id")
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where(sql<boolean>`target_ids->'lineIds' @> ${JSON.stringify([saleLineId])}::jsonb`)
    .executeTakeFirst();
  return row?.source_id ?? null;
}

/** The BB receipt of an earlier sale, for linking a refund to it. */
export async function saleReceiptId(database: Database, tenantId: string, saleId: string): Promise<string | null> {
  return (await getLink(database, tenantId, "sale", saleId))?.target_ids.receiptId ?? null;
}

/** Days with sales waiting for their daily summary, and posted days that changed since: the days to post. */
export async function daysToPost(database: Database, tenantId: string): Promise<string[]> {
  const pending = await database
    .selectFrom("sync_links")
    .select(sql<string | null>`target_ids->>'dayKey'`.as("dayKey"))
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where("step", "=", "day")
    .where("status", "=", "pending")
    .groupBy(sql`target_ids->>'dayKey'`)
    .execute();
  const dirty = await database
    .selectFrom("sync_links")
    .select("source_id")
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "day")
    .where(sql<boolean>`(target_ids->>'needsCorrection')::boolean is true`)
    .execute();
  return [...new Set([...pending.map((r) => r.dayKey), ...dirty.map((d) => d.source_id)])].filter((k): k is string => !!k).sort();
}

export async function saleLinksOfDay(database: Database, tenantId: string, dayKey: string): Promise<Link<"sale">[]> {
  // Ordered, so the day's summary is merged the same way on every attempt.
  const rows = await database
    .selectFrom("sync_links")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where(sql<string>`target_ids->>'dayKey'`, "=", dayKey)
    .orderBy("source_id")
    .execute();
  return rows.map((r) => parsed("sale", r));
}

export type BookedLink = { kind: "sale"; link: Link<"sale"> } | { kind: "day"; link: Link<"day"> } | { kind: "dayCorrection"; link: Link<"dayCorrection"> };

/** Every sale, day and correction whose booking plan is dated within the range (reconciliation). */
export async function bookedLinksBetween(database: Database, tenantId: string, range: { from: string; to: string }): Promise<BookedLink[]> {
  const rows = await database
    .selectFrom("sync_links")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("entity", "in", ["sale", "day"])
    .where(sql<string>`target_ids->'plan'->>'date'`, ">=", range.from)
    .where(sql<string>`target_ids->'plan'->>'date'`, "<=", range.to)
    .execute();
  return rows.map((r): BookedLink => {
    if (r.entity === "sale") return { kind: "sale", link: parsed("sale", r) };
    return dayRowKind(r.source_id) === "day" ? { kind: "day", link: parsed("day", r) } : { kind: "dayCorrection", link: parsed("dayCorrection", r) };
  });
}

/**
 * Booked links that wrote something dated within the range: their own day (the plan's), a payment's day (a
 * deposit is dated when it was paid), or a reversal's day (a void, the reversal before a re-post). The late-commit
 * repair looks for copies of all of them.
 */
export async function linksWritingBetween(database: Database, tenantId: string, range: { from: string; to: string }): Promise<BookedLink[]> {
  const within = (date: ReturnType<typeof sql<string>>) => sql<boolean>`(${date} between ${range.from} and ${range.to})`;
  const rows = await database
    .selectFrom("sync_links")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("entity", "in", ["sale", "day"])
    .where(sql<string>`target_ids->'plan'->>'date'`, "is not", null)
    .where((eb) =>
      eb.or([
        within(sql<string>`target_ids->'plan'->>'date'`),
        within(sql<string>`target_ids->'void'->>'date'`),
        within(sql<string>`target_ids->'previous'->>'date'`),
        sql<boolean>`exists (select 1 from jsonb_array_elements(coalesce(target_ids->'plan'->'tenders', '[]'::jsonb)) t where ${within(sql<string>`left(t->>'bookingDate', 10)`)})`,
      ]),
    )
    .execute();
  return rows.map((r): BookedLink => {
    if (r.entity === "sale") return { kind: "sale", link: parsed("sale", r) };
    return dayRowKind(r.source_id) === "day" ? { kind: "day", link: parsed("day", r) } : { kind: "dayCorrection", link: parsed("dayCorrection", r) };
  });
}

/**
 * The correcting receipts of the days within the range, wherever they are dated: a correction is booked on the
 * day it is made (orders/correction-date.ts), so reconciliation moves it from the day it corrects to that day.
 */
export async function dayCorrectionsOfDays(database: Database, tenantId: string, range: { from: string; to: string }): Promise<Link<"dayCorrection">[]> {
  const rows = await database
    .selectFrom("sync_links")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "day")
    .where("source_id", "like", "%#K%")
    .where(sql<string>`left(split_part(source_id, '|', 3), 10)`, ">=", range.from)
    .where(sql<string>`left(split_part(source_id, '|', 3), 10)`, "<=", range.to)
    .execute();
  return rows.map((r) => parsed("dayCorrection", r));
}

/**
 * Failed records to retry: all of an entity, or those behind one inbox notification (same problem key), so
 * "fix the mapping, then retry all" touches exactly the records that failed for that reason.
 */
export async function failedSourceIds(database: Database, tenantId: string, filter: { entity: LinkEntity; dedupeKey?: string; limit?: number }): Promise<string[]> {
  let q = database.selectFrom("sync_links").select("source_id").where("tenant_id", "=", tenantId).where("entity", "=", filter.entity).where("status", "=", "failed");
  if (filter.dedupeKey) q = q.where(sql<string>`last_error->>'dedupeKey'`, "=", filter.dedupeKey);
  const rows = await q.orderBy("updated_at").limit(filter.limit ?? 1000).execute();
  return rows.map((r) => r.source_id);
}

/** A record's sync state without its ids, for any entity name (activity entries name non-link entities too). */
export async function linkStatus(database: Database, tenantId: string, entity: string, sourceId: string): Promise<{ status: LinkStatus; step: string; lastError: LinkError | null; updatedAt: Date } | undefined> {
  if (!isLinkEntity(entity)) return undefined;
  const row = await database.selectFrom("sync_links").select(["status", "step", "last_error", "updated_at"]).where("tenant_id", "=", tenantId).where("entity", "=", entity).where("source_id", "=", sourceId).executeTakeFirst();
  return row && { status: row.status, step: row.step, lastError: parseLinkError(entity, sourceId, row.last_error), updatedAt: row.updated_at };
}

export async function categoryLinks(database: Database, tenantId: string): Promise<Link<"category">[]> {
  const rows = await database.selectFrom("sync_links").selectAll().where("tenant_id", "=", tenantId).where("entity", "=", "category").execute();
  return rows.map((r) => parsed("category", r));
}

/** Category accounts as the UI lists them: category, VAT rate, BB account, status. */
export async function listCategoryAccounts(database: Database, tenantId: string) {
  return database
    .selectFrom("product_categories as c")
    .innerJoin("sync_links as l", (j) => j.on("l.tenant_id", "=", sql.ref("c.tenant_id")).on("l.entity", "=", "category").on(sql`split_part(l.source_id, '|', 1)`, "=", sql.ref("c.category_id")))
    .select([
      "c.category_id as categoryId",
      "c.full_path_name as path",
      "c.archived",
      sql<string>`split_part(l.source_id, '|', 2)`.as("vatPercent"),
      sql<number | null>`(l.target_ids->>'account')::int`.as("account"),
      sql<string | null>`l.target_ids->>'name'`.as("accountName"),
      "l.status",
      "l.last_error as lastError",
    ])
    .where("c.tenant_id", "=", tenantId)
    .orderBy("c.full_path_name")
    .execute();
}

/**
 * Links whose stored plan still names a debtor and that have not changed since `before`: the plan names the
 * customer (debtor name, posting texts) and is kept as long as the link, so the retention job scrubs the name
 * once the log of that time is gone. Only sale and day rows carry plans.
 */
export async function linksWithNamedPlans(database: Database, tenantId: string, before: Date, limit: number): Promise<{ entity: "sale" | "day"; sourceId: string; plan: unknown; previous: unknown }[]> {
  const rows = await database
    .selectFrom("sync_links")
    .select(["entity", "source_id", sql<unknown>`target_ids->'plan'`.as("plan"), sql<unknown>`target_ids->'previous'`.as("previous")])
    .where("tenant_id", "=", tenantId)
    .where("entity", "in", ["sale", "day"])
    .where("updated_at", "<", before)
    .where(sql<boolean>`coalesce(target_ids->'plan'->'debtor'->>'name', '') not in ('', ${REDACTED_NAME})`)
    .limit(limit)
    .execute();
  return rows.map((r) => ({ entity: r.entity as "sale" | "day", sourceId: r.source_id, plan: r.plan, previous: r.previous }));
}

export const REDACTED_NAME = "[redacted]";

/** Replaces a link's plan (and the plan kept with a reversal) without touching its status, step or time. */
export async function replaceStoredPlans(database: Database, tenantId: string, entity: "sale" | "day", sourceId: string, plans: { plan: unknown; previous: unknown }): Promise<void> {
  const patch: Record<string, unknown> = { plan: plans.plan };
  if (plans.previous !== null && plans.previous !== undefined) patch.previous = plans.previous;
  await database
    .updateTable("sync_links")
    .set({ target_ids: sql`target_ids || ${toJson(patch)}::jsonb` })
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", entity)
    .where("source_id", "=", sourceId)
    .execute();
}

/**
 * Sale links whose plan books to one of these debtors (a customer's own debtor numbers): an erasure request
 * replaces the customer's name in them.
 */
export async function linksWithPlansOfDebtor(database: Database, tenantId: string, debtorNumbers: number[]): Promise<{ entity: "sale"; sourceId: string; plan: unknown; previous: unknown; debtorNumber: number }[]> {
  if (debtorNumbers.length === 0) return [];
  const rows = await database
    .selectFrom("sync_links")
    .select(["source_id", sql<unknown>`target_ids->'plan'`.as("plan"), sql<unknown>`target_ids->'previous'`.as("previous"), sql<number>`(target_ids->'plan'->'debtor'->>'number')::int`.as("debtor")])
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where(sql<boolean>`(target_ids->'plan'->'debtor'->>'number')::int = any(${debtorNumbers})`)
    .execute();
  return rows.map((r) => ({ entity: "sale" as const, sourceId: r.source_id, plan: r.plan, previous: r.previous, debtorNumber: r.debtor }));
}

/**
 * Receipts we booked to one debtor (a customer's own), oldest first, with the counterparty they were written
 * with: the open items a payment into the customer's account clears.
 */
export async function receiptsOfDebtor(database: Database, tenantId: string, debtorNumber: number): Promise<{ sourceId: string; receiptId: string; date: string; counterparty: string }[]> {
  const rows = await database
    .selectFrom("sync_links")
    .select([
      "source_id",
      sql<string>`target_ids->>'receiptId'`.as("receipt_id"),
      sql<string>`target_ids->'plan'->>'date'`.as("date"),
      sql<string>`target_ids->'plan'->'debtor'->>'name'`.as("counterparty"),
    ])
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where("status", "=", "done")
    .where(sql<boolean>`(target_ids->'plan'->'debtor'->>'number')::int = ${debtorNumber}`)
    .where(sql<boolean>`target_ids->>'receiptId' is not null`)
    .orderBy(sql`target_ids->'plan'->>'date'`)
    .orderBy("source_id")
    .execute();
  return rows.map((r) => ({ sourceId: r.source_id, receiptId: r.receipt_id, date: r.date, counterparty: r.counterparty }));
}
