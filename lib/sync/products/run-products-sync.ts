import { sql } from "kysely";
import type { RunKind } from "@/db/schema";
import type { Database } from "../../db";
import type { ProductsPhase, ProductsSyncRequest } from "../../jobs/events";
import type { Page, ReadOptions } from "../../lightspeed";
import { recordActivity } from "../../activity/record-activity";
import { AppError } from "../../errors/app-error";
import { readCursor, writeCursor, type CursorOf } from "../cursors";
import { handleRecordFailure } from "../handle-record-failure";
import { flowMayRun } from "../list-tenants-for-flow";
import { readDeadline, type SyncDeps } from "../deps";
import type { FlowStart, SyncFlow } from "../flow";
import { finishRunFromCounts, readPages, recordPhaseStep, startRun, supersedeRuns, zeroCounts, type FinishedRun, type StoredRunCounts } from "../runs";
import { bbAccountsTarget } from "./bb-accounts-target";
import { applyItemsPage } from "./apply-items-page";
import { applyMatricesPage } from "./apply-matrices-page";
import { loadProductContext } from "./load-product-context";
import { loadProductSettings } from "./product-settings";
import { applyCategories, refreshProductLookups } from "./refresh-product-lookups";
import { syncCategoryAccounts } from "./sync-category-accounts";

// Applying a page is local work: most of the step budget may go to reading.
const READ_SHARE = 0.8;

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

export const PRODUCT_CURSORS = { items: "products:items", matrices: "products:matrices", categories: "products:categories" } as const;

/** Stored per entity (the category cursor has every field the item and matrix ones have). */
export type StoredCursor = CursorOf<"products:categories">;

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
}

export interface ProductsStepResult {
  phase: ProductsPhase;
  /** Whether the NEXT step starts its phase fresh. */
  fresh: boolean;
  counts: StoredRunCounts;
  paused?: boolean;
}

export async function startProductsRun(database: Database, input: { tenantId: string; kind: ProductsKind; runId?: string }): Promise<FlowStart> {
  if (!(await flowMayRun(database, input.tenantId, "products"))) return { proceed: false, reason: "the product flow is off or the tenant is paused" };
  if (input.runId) return { proceed: true, runId: input.runId };
  const skip = await supersedeRuns(database, input.tenantId, "products", input.kind);
  if (skip) return { proceed: false, reason: skip };
  if (input.kind === "backfill") {
    for (const entity of Object.values(PRODUCT_CURSORS)) await writeCursor(database, input.tenantId, entity, { timeStamp: null, ids: [] });
  }
  return { proceed: true, runId: await startRun(database, { tenantId: input.tenantId, flow: "products", kind: input.kind }) };
}

export async function runProductsStep(deps: SyncDeps, input: ProductsStepInput): Promise<ProductsStepResult> {
  const { tenantId, runId } = input;
  const { database, ls: client, now } = deps;
  const counts = zeroCounts();
  if (!(await flowMayRun(database, tenantId, "products"))) return { phase: "done", fresh: true, counts, paused: true };
  const { settings } = await loadProductSettings(database, tenantId);
  const pagesPerStep = deps.pagesPerStep ?? DEFAULT_PAGES_PER_STEP;

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
      const cursor = await readCursor(database, tenantId, PRODUCT_CURSORS.categories);
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
        await writeCursor(database, tenantId, PRODUCT_CURSORS.categories, { ...(cursor ?? {}), ...page.cursor });
      }, readDeadline(deps, READ_SHARE));
      if (r.more) return { phase: "categories", fresh: false, counts };
      const after = await readCursor(database, tenantId, PRODUCT_CURSORS.categories);
      await writeCursor(database, tenantId, PRODUCT_CURSORS.categories, { timeStamp: null, ids: [], ...(after ?? {}), caughtUpAt: new Date(now()).toISOString(), ...(full ? { fullAt: new Date(now()).toISOString() } : {}) });
      return { phase: "matrices", fresh: true, counts };
    }
    case "matrices": {
      const force = input.kind === "backfill";
      const context = await loadProductContext(database, tenantId);
      return readEntityPhase(deps, input, counts, settings, PRODUCT_CURSORS.matrices, "items", (opts) => client.readItemMatrices(opts), async (page) => {
        const out = await applyMatricesPage(database, { tenantId, runId, matrices: page.records, malformed: page.malformed, force, context });
        return { ...out, skipped: out.unchanged };
      });
    }
    case "items": {
      const force = input.kind === "backfill";
      // Settings and mappings are read once per step; each page only looks up its matrices.
      const context = await loadProductContext(database, tenantId);
      return readEntityPhase(deps, input, counts, settings, PRODUCT_CURSORS.items, "accounts", (opts) => client.readItems(opts), async (page) => {
        const out = await applyItemsPage(database, { tenantId, runId, items: page.records, malformed: page.malformed, force, context });
        return { ...out, skipped: out.unchanged };
      });
    }
    case "accounts": {
      if (settings.categoryAccounts.enabled) {
        const r = await syncCategoryAccounts(database, { tenantId, runId, bb: bbAccountsTarget(deps.bb) });
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
  deps: SyncDeps,
  input: ProductsStepInput,
  counts: StoredRunCounts,
  settings: { overlapMinutes: number; pageSize: number },
  entity: typeof PRODUCT_CURSORS.items | typeof PRODUCT_CURSORS.matrices,
  then: ProductsPhase,
  read: (opts: ReadOptions) => AsyncIterable<Page<T>>,
  apply: (page: Page<T>) => Promise<StoredRunCounts>,
): Promise<ProductsStepResult> {
  const { database, now } = deps;
  const cursor = await readCursor(database, input.tenantId, entity);
  const r = await readPages(read(readOptions(cursor, input.fresh, settings)), deps.pagesPerStep ?? DEFAULT_PAGES_PER_STEP, async (page) => {
    const out = await apply(page);
    counts.created += out.created;
    counts.updated += out.updated;
    counts.skipped += out.skipped;
    counts.failed += out.failed;
    await writeCursor(database, input.tenantId, entity, { ...(cursor ?? {}), ...page.cursor });
  }, readDeadline(deps, READ_SHARE));
  // A first load inserts thousands of rows within minutes, faster than autovacuum re-plans: refresh the
  // planner's statistics so the per-page lookups keep using their indexes.
  if (counts.created >= ANALYZE_AFTER_CREATED) {
    await sql`analyze ${sql.raw(entity === PRODUCT_CURSORS.items ? "products (tenant_id, item_id, sku_key, matrix_id)" : "product_matrices (tenant_id, matrix_id)")}`.execute(database);
  }
  if (r.more) return { phase: input.phase, fresh: false, counts };
  const after = await readCursor(database, input.tenantId, entity);
  await writeCursor(database, input.tenantId, entity, { timeStamp: null, ids: [], ...(after ?? {}), caughtUpAt: new Date(now()).toISOString() });
  return { phase: then, fresh: true, counts };
}

function readOptions(cursor: StoredCursor | null, fresh: boolean, settings: { overlapMinutes: number; pageSize: number }): ReadOptions {
  if (!cursor?.timeStamp) return { pageSize: settings.pageSize };
  if (fresh) return { since: cursor.timeStamp, overlapSeconds: settings.overlapMinutes * 60, pageSize: settings.pageSize };
  return { cursor: { timeStamp: cursor.timeStamp, ids: cursor.ids ?? [] }, pageSize: settings.pageSize };
}

async function lookupsStale(database: Database, tenantId: string, now: number): Promise<boolean> {
  const row = await database.selectFrom("product_tax_classes").select((eb) => eb.fn.min<Date | null>("updated_at").as("at")).where("tenant_id", "=", tenantId).executeTakeFirst();
  const at = row?.at ? new Date(row.at).getTime() : null;
  return at === null || now - at > LOOKUP_MAX_AGE_MS;
}

export async function finishProductsRun(deps: SyncDeps, input: { runId: string }): Promise<FinishedRun> {
  return finishRunFromCounts(deps.database, input.runId);
}

/** Steps per run before a continuation event takes over (keeps runs far below Inngest's step limit). */
export const PRODUCT_STEPS_PER_RUN = 40;

type PhasePosition<P> = { phase: P; fresh: boolean };

/**
 * The product flow for the job kernel: lookups, categories, matrices, items, then category accounts in BB
 * when that setting is on; each step writes one batch of pages and stores the cursor.
 */
export const productsFlow: SyncFlow<ProductsSyncRequest, PhasePosition<ProductsPhase>, ProductsStepResult> = {
  flow: "products",
  stepsPerRun: PRODUCT_STEPS_PER_RUN,
  start: (deps, e) => startProductsRun(deps.database, { tenantId: e.tenantId, kind: e.kind, runId: e.runId }),
  resume: (e) => ({ phase: e.phase ?? "lookups", fresh: e.fresh ?? true }),
  stepId: (position) => position.phase,
  async step(deps, { event, runId, position, index }) {
    const r = await runProductsStep(deps, { tenantId: event.tenantId, runId, kind: event.kind, phase: position.phase, fresh: position.fresh });
    await recordPhaseStep(deps.database, runId, r, index + 1);
    return r;
  },
  advance: (r) => ({ next: { phase: r.phase, fresh: r.fresh }, done: r.phase === "done", paused: !!r.paused }),
  handOver: (e, runId, { phase, fresh }) => ({ data: { tenantId: e.tenantId, kind: e.kind, runId, phase, fresh }, result: { continued: true, phase } }),
  finish: (deps, { runId }) => finishProductsRun(deps, { runId }),
};
