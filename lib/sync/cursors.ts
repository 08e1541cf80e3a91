import * as z from "zod";
import { toJson, type Database } from "../db";
import { AppError } from "../errors/app-error";
import { storedStateError } from "./link-state";

/**
 * A flow's position in a Lightspeed collection (sync_cursors), one schema per kind. Advanced only after a whole
 * page has been handled, and parsed on every read: a resumed run must not trust a cast of what an earlier
 * release (or a crash mid-write) left behind.
 */
const position = { timeStamp: z.string().nullable(), ids: z.array(z.string()) };
/** When a pass last read everything there was (client clock, ISO). */
const caughtUpAt = z.string().nullish();

const salesCursor = z.object({
  ...position,
  /** Set while a backfill is running: its first business day, for progress. */
  backfillFrom: z.string().optional(),
});
const productCursor = z.object({ ...position, caughtUpAt });
const categoryCursor = z.object({
  ...position,
  caughtUpAt,
  /** When the category tree was last read whole (parent renames do not bump the children). */
  fullAt: z.string().nullish(),
});
const stockCursor = z.object({
  ...position,
  caughtUpAt,
  /** When the first complete pass ended: periods ending before it cannot be valued from the ledger. */
  ledgerStartedAt: z.string().nullish(),
});

/**
 * Not a position but the order flow's watch list for late commits: business days where a BB write lost its answer
 * and was sent again, each re-checked for duplicates until `until` (flow clock, ms) has passed.
 */
const lateCommitWatch = z.object({ days: z.array(z.object({ date: z.string(), until: z.number() })) });

export interface CursorStates {
  sales: z.infer<typeof salesCursor>;
  "products:items": z.infer<typeof productCursor>;
  "products:matrices": z.infer<typeof productCursor>;
  "products:categories": z.infer<typeof categoryCursor>;
  "stock:itemshops": z.infer<typeof stockCursor>;
  "orders:late-commits": z.infer<typeof lateCommitWatch>;
}
export type CursorKind = keyof CursorStates;
export type CursorOf<K extends CursorKind> = CursorStates[K];

// Typed per kind (not as a union) so that a read of kind K yields CursorStates[K] without a cast.
const CURSOR_SCHEMAS: { [K in CursorKind]: z.ZodType<CursorStates[K]> } = {
  sales: salesCursor,
  "products:items": productCursor,
  "products:matrices": productCursor,
  "products:categories": categoryCursor,
  "stock:itemshops": stockCursor,
  "orders:late-commits": lateCommitWatch,
};

function isCursorKind(kind: string): kind is CursorKind {
  return Object.hasOwn(CURSOR_SCHEMAS, kind);
}

function parseCursor<K extends CursorKind>(kind: K, raw: unknown, what: "stored cursor" | "cursor to store"): CursorStates[K] {
  const r = CURSOR_SCHEMAS[kind].safeParse(raw);
  if (!r.success) throw storedStateError(`${what} ${kind}`, r.error, { cursor: kind });
  return r.data;
}

export async function readCursor<K extends CursorKind>(database: Database, tenantId: string, kind: K): Promise<CursorStates[K] | null> {
  const row = await database.selectFrom("sync_cursors").select("cursor").where("tenant_id", "=", tenantId).where("entity", "=", knownKind(kind)).executeTakeFirst();
  return row ? parseCursor(kind, row.cursor, "stored cursor") : null;
}

/** The cursor is checked against its kind's schema before it is stored, as it is when read. */
export async function writeCursor<K extends CursorKind>(database: Database, tenantId: string, kind: K, cursor: CursorStates[K]): Promise<void> {
  const value = toJson(parseCursor(knownKind(kind), cursor, "cursor to store"));
  await database
    .insertInto("sync_cursors")
    .values({ tenant_id: tenantId, entity: kind, cursor: value, updated_at: new Date() })
    .onConflict((oc) => oc.columns(["tenant_id", "entity"]).doUpdateSet({ cursor: value, updated_at: new Date() }))
    .execute();
}

// The kind is a type, but callers' strings come from constants that a typo or a cast can defeat.
function knownKind<K extends CursorKind>(kind: K): K {
  if (!isCursorKind(kind)) throw new AppError("INTERNAL", { detail: `unknown sync cursor "${String(kind)}"`, context: { cursor: String(kind) } });
  return kind;
}
