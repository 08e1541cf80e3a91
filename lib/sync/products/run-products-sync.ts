import { sql } from "kysely";
import type { RunKind } from "@/db/schema";
import type { Database } from "../../db";
import { createLightspeedClient, type LightspeedClient, type LsCursor, type Page, type ReadOptions } from "../../lightspeed";
import { recordActivity } from "../../activity/record-activity";
import { AppError } from "../../errors/app-error";
import { getCursor, setCursor } from "../cursors";
import { handleRecordFailure } from "../handle-record-failure";
import { flowMayRun } from "../list-tenants-for-flow";
import { addRunCounts, finishRun, setRunProgress, startRun, type RunCounts } from "../runs";
import { applyItemsPage } from "./apply-items-page";
import { applyMatricesPage } from "./apply-matrices-page";
import { loadProductContext } from "./load-product-context";
import { loadProductSettings } from "./product-settings";
import { applyCategories, refreshProductLookups } from "./refresh-product-lookups";
import { syncCategoryAccounts, type CategoryAccountsTarget } from "./sync-category-accounts";

/**
 * The product flow as steps the job runs one by one (each step's result is JSON, each step idempotent):
 *
 *   lookups → categories → matrices → items → accounts → done
 *
 * Each reading step takes up to `pagesPerStep` pages from ONE Lightspeed reader (so `next` links are followed,
 * not re-queried) and stores the cursor after every page it has fully written. The first step of a phase in a
 * new run re-reads `overlapMinutes` before the cursor (late commits); later steps resume exactly.
 */
export type ProductsKind = Extract<RunKind, "poll" | "manual" | "backfill">;
export type ProductsPhase = "lookups" | "categories" | "matrices" | "items" | "accounts" | "done";
export const PRODUCT_PHASES: ProductsPhase[] = ["lookups", "categories", "matrices", "items", "accounts", "done"];

export const PRODUCT_CURSORS = { items: "products:items", matrices: "products:matrices", categories: "products:categories" } as const;

/** Stored per entity: the reader's cursor plus when the last full pass ended. */
export interface StoredCursor extends LsCursor {
  /** When a pass last read everything there was (client clock, ISO). */
  caughtUpAt?: string | null;
  /** When the category tree was last read whole (parent renames do not bump the children). */
  fullAt?: string | null;
  [key: string]: unknown;
}

/** Pages per step: fewer, longer steps keep the prefetch going and the step count low. */
export const DEFAULT_PAGES_PER_STEP = 10;

const ANALYZE_AFTER_CREATED = 500;

/** Lookups and the full category tree are re-read at most this often on polls. */
const LOOKUP_MAX_AGE_MS = 24 * 3600_000;

export interface ProductsStepInput {
  tenantId: string;
  runId: string;
  kind: ProductsKind;
  phase: ProductsPhase;
  /** The first step of this phase in a new run: re-read the overlap window. */
  fresh: boolean;
  /** Pages per step (one reader). */
  pagesPerStep?: number;
  /** Injected in tests and benchmarks; the job builds the tenant's client. */
  client?: LightspeedClient;
  bb?: CategoryAccountsTarget;
  now?: () => number;
}

export interface ProductsStepResult {
  phase: ProductsPhase;
  /** Whether the NEXT step starts its phase fresh. */
  fresh: boolean;
  counts: Required<RunCounts>;
  paused?: boolean;
}

export async function startProductsRun(database: Database, input: { tenantId: string; kind: ProductsKind; runId?: string }): Promise<{ proceed: true; runId: string } | { proceed: false; reason: string }> {
  if (!(await flowMayRun(database, input.tenantId, "products"))) return { proceed: false, reason: "the product flow is off or the tenant is paused" };
  if (input.runId) return { proceed: true, runId: input.runId };
  const skip = await supersedeRuns(database, input.tenantId, "products", input.kind);
  if (skip) return { proceed: false, reason: skip };
  if (input.kind === "backfill") {
    for (const entity of Object.values(PRODUCT_CURSORS)) await setCursor(database, input.tenantId, entity, { timeStamp: null, ids: [] });
  }
  return { proceed: true, runId: await startRun(database, { tenantId: input.tenantId, flow: "products", kind: input.kind }) };
}

const zero = (): Required<RunCounts> => ({ created: 0, updated: 0, skipped: 0, failed: 0 });

export async function runProductsStep(database: Database, input: ProductsStepInput): Promise<ProductsStepResult> {
  const { tenantId, runId } = input;
  const counts = zero();
  if (!(await flowMayRun(database, tenantId, "products"))) return { phase: "done", fresh: true, counts, paused: true };
  const now = input.now ?? Date.now;
  const client = input.client ?? createLightspeedClient({ database, tenantId });
  const { settings } = await loadProductSettings(database, tenantId);
  const pagesPerStep = input.pagesPerStep ?? DEFAULT_PAGES_PER_STEP;

  switch (input.phase) {
    case "lookups": {
      const stale = await lookupsStale(database, tenantId, now());
      if (input.kind !== "poll" || stale) {
        const r = await refreshProductLookups(database, tenantId, client);
        await recordActivity(database, { tenantId, runId, flow: "products", entity: "lookups", result: "info", message: `Read ${r.shops} shops, ${r.taxClasses} tax rates, ${r.attributeSets} attribute sets from Lightspeed` }, { redact: false });
      }
      return { phase: "categories", fresh: true, counts };
    }
    case "categories": {
      const cursor = await getCursor<StoredCursor>(database, tenantId, PRODUCT_CURSORS.categories);
      const full = input.kind !== "poll" || !cursor?.fullAt || now() - Date.parse(cursor.fullAt) > LOOKUP_MAX_AGE_MS;
      const opts: ReadOptions = full && input.fresh ? { pageSize: settings.pageSize } : readOptions(cursor, input.fresh, settings);
      const r = await readPages(client.readCategories(opts), pagesPerStep, async (page) => {
        const out = await applyCategories(database, tenantId, page.records, runId);
        counts.created += out.created;
        counts.updated += out.updated;
        for (const bad of page.malformed) {
          counts.failed++;
          await handleRecordFailure(
            database,
            { tenantId, runId, flow: "products", entity: "category", sourceId: bad.id ?? "unknown", reference: bad.id ? `category ${bad.id}` : null, sourcePayload: bad.raw, startedAt: Date.now(), redactPii: false },
            new AppError("RECORD_INVALID", { detail: `Lightspeed category ${bad.id ?? "(no id)"}: ${bad.problems.join("; ")}`, fixHint: "Correct the category in Lightspeed; it is picked up on the next sync." }),
          );
        }
        await setCursor(database, tenantId, PRODUCT_CURSORS.categories, { ...(cursor ?? {}), ...page.cursor });
      });
      if (r.more) return { phase: "categories", fresh: false, counts };
      const after = await getCursor<StoredCursor>(database, tenantId, PRODUCT_CURSORS.categories);
      await setCursor(database, tenantId, PRODUCT_CURSORS.categories, { timeStamp: null, ids: [], ...(after ?? {}), caughtUpAt: new Date(now()).toISOString(), ...(full ? { fullAt: new Date(now()).toISOString() } : {}) });
      return { phase: "matrices", fresh: true, counts };
    }
    case "matrices": {
      const force = input.kind === "backfill";
      const context = await loadProductContext(database, tenantId);
      return readEntityPhase(database, input, counts, settings, PRODUCT_CURSORS.matrices, "items", (opts) => client.readItemMatrices(opts), async (page) => {
        const out = await applyMatricesPage(database, { tenantId, runId, matrices: page.records, malformed: page.malformed, force, context });
        return { ...out, skipped: out.unchanged };
      });
    }
    case "items": {
      const force = input.kind === "backfill";
      // Settings and mappings are read once per step; each page only looks up its matrices.
      const context = await loadProductContext(database, tenantId);
      return readEntityPhase(database, input, counts, settings, PRODUCT_CURSORS.items, "accounts", (opts) => client.readItems(opts), async (page) => {
        const out = await applyItemsPage(database, { tenantId, runId, items: page.records, malformed: page.malformed, force, context });
        return { ...out, skipped: out.unchanged };
      });
    }
    case "accounts": {
      if (settings.categoryAccounts.enabled) {
        const r = await syncCategoryAccounts(database, { tenantId, runId, bb: input.bb });
        counts.created += r.created;
        counts.updated += r.renamed;
        counts.skipped += r.kept;
        counts.failed += r.failed;
      }
      return { phase: "done", fresh: true, counts };
    }
    case "done":
      return { phase: "done", fresh: true, counts };
  }
}

async function readEntityPhase<T>(
  database: Database,
  input: ProductsStepInput,
  counts: Required<RunCounts>,
  settings: { overlapMinutes: number; pageSize: number },
  entity: string,
  then: ProductsPhase,
  read: (opts: ReadOptions) => AsyncIterable<Page<T>>,
  apply: (page: Page<T>) => Promise<Required<RunCounts>>,
): Promise<ProductsStepResult> {
  const now = input.now ?? Date.now;
  const cursor = await getCursor<StoredCursor>(database, input.tenantId, entity);
  const r = await readPages(read(readOptions(cursor, input.fresh, settings)), input.pagesPerStep ?? DEFAULT_PAGES_PER_STEP, async (page) => {
    const out = await apply(page);
    counts.created += out.created;
    counts.updated += out.updated;
    counts.skipped += out.skipped;
    counts.failed += out.failed;
    await setCursor(database, input.tenantId, entity, { ...(cursor ?? {}), ...page.cursor });
  });
  // A first load inserts thousands of rows within minutes, faster than autovacuum re-plans: refresh the
  // planner's statistics so the per-page lookups keep using their indexes.
  if (counts.created >= ANALYZE_AFTER_CREATED) {
    await sql`analyze ${sql.raw(entity === PRODUCT_CURSORS.items ? "products (tenant_id, item_id, sku_key, matrix_id)" : "product_matrices (tenant_id, matrix_id)")}`.execute(database);
  }
  if (r.more) return { phase: input.phase, fresh: false, counts };
  const after = await getCursor<StoredCursor>(database, input.tenantId, entity);
  await setCursor(database, input.tenantId, entity, { timeStamp: null, ids: [], ...(after ?? {}), caughtUpAt: new Date(now()).toISOString() });
  return { phase: then, fresh: true, counts };
}

/** A run still going (a long first load hands over to continuation events) makes a poll unnecessary. */
const ACTIVE_RUN_MS = 2 * 3600_000;

/**
 * Before a new run: a poll is skipped while another run of the flow is active (it reads the same cursor);
 * runs left "running" by a killed process long ago are closed as cancelled. Returns why to skip, or null.
 */
export async function supersedeRuns(database: Database, tenantId: string, flow: "products" | "stock", kind: string): Promise<string | null> {
  const running = await database.selectFrom("sync_runs").select(["id", "started_at"]).where("tenant_id", "=", tenantId).where("flow", "=", flow).where("status", "=", "running").execute();
  const now = Date.now();
  const active = running.filter((r) => now - new Date(r.started_at).getTime() < ACTIVE_RUN_MS);
  if (kind === "poll" && active.length > 0) return "another run of this flow is still in progress";
  for (const r of running) if (!active.includes(r)) await finishRun(database, r.id, "cancelled", { detail: "left running (no progress for hours); superseded by a newer run" });
  return null;
}

function readOptions(cursor: StoredCursor | null, fresh: boolean, settings: { overlapMinutes: number; pageSize: number }): ReadOptions {
  if (!cursor?.timeStamp) return { pageSize: settings.pageSize };
  if (fresh) return { since: cursor.timeStamp, overlapSeconds: settings.overlapMinutes * 60, pageSize: settings.pageSize };
  return { cursor: { timeStamp: cursor.timeStamp, ids: cursor.ids ?? [] }, pageSize: settings.pageSize };
}

/**
 * Handles up to `max` pages of one reader; `more` when it stopped because of the budget. The next page is
 * requested while the current one is written (Lightspeed's pacing, not our DB, sets the speed); pages are
 * still handled, and cursors stored, strictly in order.
 */
export async function readPages<T>(reader: AsyncIterable<Page<T>>, max: number, handle: (page: Page<T>) => Promise<void>): Promise<{ pages: number; more: boolean }> {
  const it = reader[Symbol.asyncIterator]();
  let pages = 0;
  let pending: Promise<IteratorResult<Page<T>>> | null = it.next();
  try {
    while (pending) {
      const r: IteratorResult<Page<T>> = await pending;
      pending = null;
      if (r.done) return { pages, more: false };
      pages++;
      if (pages < max) {
        pending = it.next();
        // Its failure surfaces when awaited; until then it must not count as unhandled.
        pending.catch(() => {});
      }
      await handle(r.value);
      if (pages >= max) return { pages, more: true };
    }
    return { pages, more: false };
  } finally {
    if (pending) await pending.catch(() => undefined);
    await it.return?.();
  }
}

async function lookupsStale(database: Database, tenantId: string, now: number): Promise<boolean> {
  const row = await database.selectFrom("product_tax_classes").select((eb) => eb.fn.min("updated_at").as("at")).where("tenant_id", "=", tenantId).executeTakeFirst();
  const at = row?.at ? new Date(row.at as unknown as string | Date).getTime() : null;
  return at === null || now - at > LOOKUP_MAX_AGE_MS;
}

export async function addStepToRun(database: Database, runId: string, r: ProductsStepResult, progress: { steps: number }): Promise<void> {
  await addRunCounts(database, runId, r.counts);
  await setRunProgress(database, runId, { done: progress.steps, total: null, note: r.phase });
}

export async function finishProductsRun(database: Database, input: { tenantId: string; runId: string }): Promise<{ status: "succeeded" | "partial"; counts: Record<string, unknown> }> {
  const run = await database.selectFrom("sync_runs").select("counts").where("id", "=", input.runId).executeTakeFirstOrThrow();
  const counts = run.counts as Record<string, number>;
  const status = (counts.failed ?? 0) > 0 ? "partial" : "succeeded";
  await finishRun(database, input.runId, status);
  return { status, counts };
}

/**
 * Runs a whole product sync in-process, step after step, exactly as the job does (without Inngest): for
 * scripts, benchmarks and tests. Jobs use the steps directly so each one is retried on its own.
 */
export async function syncProductsNow(
  database: Database,
  input: { tenantId: string; kind?: ProductsKind; client?: LightspeedClient; bb?: CategoryAccountsTarget; pagesPerStep?: number; now?: () => number },
): Promise<{ runId: string | null; steps: number; status: string; counts: Record<string, unknown> }> {
  const kind = input.kind ?? "manual";
  const run = await startProductsRun(database, { tenantId: input.tenantId, kind });
  if (!run.proceed) return { runId: null, steps: 0, status: run.reason, counts: {} };
  let phase: ProductsPhase = "lookups";
  let fresh = true;
  let steps = 0;
  while (phase !== "done") {
    const r = await runProductsStep(database, { tenantId: input.tenantId, runId: run.runId, kind, phase, fresh, client: input.client, bb: input.bb, pagesPerStep: input.pagesPerStep, now: input.now });
    await addStepToRun(database, run.runId, r, { steps: ++steps });
    if (r.paused) return { runId: run.runId, steps, status: "paused", counts: r.counts };
    phase = r.phase;
    fresh = r.fresh;
  }
  const done = await finishProductsRun(database, { tenantId: input.tenantId, runId: run.runId });
  return { runId: run.runId, steps, status: done.status, counts: done.counts };
}
