import { toJson, type Database } from "../../db";
import { AppError } from "../../errors/app-error";
import type { OrdersSyncRequest } from "../../jobs/events";
import type { LightspeedClient, LsCursor, LsSale, Page } from "../../lightspeed";
import { loadOrderMappings } from "../../mapping/order-mappings";
import { loadFieldRules } from "../../mapping/field-mapper-store";
import { getTenantSettings } from "../../tenants/tenant-settings";
import { zonedTimeToUtc } from "../../time";
import { readCursor, writeCursor, type CursorOf } from "../cursors";
import { dayLinksTouchedSince, saleWriteDaysTouchedSince, getLinks } from "../links";
import { mapConcurrent } from "../map-concurrent";
import { handleRecordFailure } from "../handle-record-failure";
import { flowMayRun } from "../list-tenants-for-flow";
import { readDeadline, type SyncDeps } from "../deps";
import type { FlowStart, SyncFlow } from "../flow";
import { addRunCounts, finishRunFromCounts, readRunProgress, setRunProgress, startRun, type RunCounts } from "../runs";
import { loadOrderSettings } from "./order-settings";
import type { OrderRunContext } from "./order-run-context";
import { parseDayKey } from "./group-sales-by-day";
import { postClosedDays } from "./post-closed-days";
import { repairLateCommits, watchForLateCommits } from "./repair-late-commits";
import { finalizePreparedSales, isBook, prepareSale, processSale, writeItemOf, writePreparedSales, type PreparedSale, type SaleOutcome } from "./process-sale";
import { PlansToStore } from "./store-plans";
import { newReadBackCache, PipelinedWriter, type WriteItem, type WriteOutcome } from "./write-booking";

export type OrderRunKind = "poll" | "manual" | "backfill" | "resync";

const CURSOR = "sales";
/** Pages read within one step; the step's result tells the job whether to come back. */
const PAGES_PER_STEP = 20;
/**
 * A backfill step reads more: every step ends by waiting for its last chunks to pass BB's batch endpoints one
 * 5-second slot after another, which is time the endpoints stand idle; the writer keeps memory flat however
 * long the step (about 8 minutes of BB's limits for 5,000 sales).
 */
const BACKFILL_PAGES_PER_STEP = 50;
const READ_SHARE = 0.5;
/** From this many sales to write in one page, BB's batch endpoints are cheaper than single calls. */
const BATCH_FROM = 5;
const PREPARE_CONCURRENCY = 8;

type SalesCursor = CursorOf<"sales">;

export async function startOrdersRun(deps: SyncDeps, input: { tenantId: string; kind: OrderRunKind; runId?: string; from?: string; saleId?: string }): Promise<FlowStart> {
  const { database, ls } = deps;
  const tenant = await database.selectFrom("tenants").select(["status"]).where("id", "=", input.tenantId).executeTakeFirst();
  if (!tenant || tenant.status === "uninstalled" || tenant.status === "paused") return { proceed: false, reason: `tenant is ${tenant?.status ?? "unknown"}` };
  if (input.kind === "poll" && !(await flowMayRun(database, input.tenantId, "orders"))) return { proceed: false, reason: "orders flow is off" };
  if (input.runId) return { proceed: true, runId: input.runId };

  const runId = await startRun(database, { tenantId: input.tenantId, flow: "orders", kind: input.kind, params: { from: input.from ?? null, saleId: input.saleId ?? null } });
  if (input.kind === "backfill" && input.from) {
    const { settings } = await loadOrderSettings(database, input.tenantId);
    const timeZone = (await shopZones(database, input.tenantId, ls)).values().next().value ?? "Europe/Berlin";
    const since = zonedTimeToUtc(input.from, settings.cutoffHour, timeZone).toISOString();
    await writeCursor(database, input.tenantId, CURSOR, { timeStamp: since, ids: [], backfillFrom: input.from } satisfies SalesCursor);
    const total = await ls.countSales({ since, completedOnly: false });
    await setRunProgress(database, runId, { done: 0, total, etaSeconds: null });
  }
  return { proceed: true, runId };
}

async function shopZones(database: Database, tenantId: string, ls: LightspeedClient): Promise<Map<string, string>> {
  const row = await database.selectFrom("connections").select("meta").where("tenant_id", "=", tenantId).where("provider", "=", "lightspeed").executeTakeFirst();
  const cached = ((row?.meta as { shops?: { shopId: string; timeZone: string }[] } | undefined)?.shops ?? []).filter((s) => s.timeZone);
  if (cached.length) return new Map(cached.map((s) => [s.shopId, s.timeZone]));
  // Not cached yet (the sign-in could not read them): one request, then cached on the connection.
  const shops = await ls.listShops();
  const meta = (row?.meta ?? {}) as Record<string, unknown>;
  await database
    .updateTable("connections")
    .set({ meta: toJson({ ...meta, shops: shops.filter((s) => !s.archived).map((s) => ({ shopId: s.shopId, name: s.name, timeZone: s.timeZone })) }) })
    .where("tenant_id", "=", tenantId)
    .where("provider", "=", "lightspeed")
    .execute();
  return new Map(shops.map((s) => [s.shopId, s.timeZone]));
}

async function buildContext(deps: SyncDeps, tenantId: string, runId: string, kind: OrderRunKind): Promise<OrderRunContext> {
  const { database } = deps;
  const [{ settings }, mappings, tenantSettings, zones, customerRules, addressRules] = await Promise.all([
    loadOrderSettings(database, tenantId),
    loadOrderMappings(database, tenantId),
    getTenantSettings(database, tenantId),
    shopZones(database, tenantId, deps.ls),
    loadFieldRules(database, tenantId, "customer"),
    loadFieldRules(database, tenantId, "address"),
  ]);
  return {
    database,
    bb: deps.bb,
    tenantId,
    runId,
    settings,
    mappings,
    shopTimeZone: (shopId) => zones.get(shopId) ?? zones.values().next().value ?? "Europe/Berlin",
    redactPii: tenantSettings.redactPii,
    comments: kind !== "backfill",
    now: deps.now,
    fieldRules: { customer: customerRules.custom ? customerRules.rules : null, address: addressRules.custom ? addressRules.rules : null },
  };
}

function tally(counts: RunCounts, outcome: SaleOutcome) {
  if (outcome === "created") counts.created = (counts.created ?? 0) + 1;
  else if (outcome === "updated" || outcome === "voided") counts.updated = (counts.updated ?? 0) + 1;
  else if (outcome === "failed") counts.failed = (counts.failed ?? 0) + 1;
  else if (outcome === "skipped" || outcome === "linked" || outcome === "deferred") counts.skipped = (counts.skipped ?? 0) + 1;
}

export interface PageResult {
  more: boolean;
  paused: boolean;
  processed: number;
}

type PageInput = { tenantId: string; runId: string; kind: OrderRunKind; saleId?: string; firstPage?: boolean };

/**
 * One step of a run: read up to a few pages of changed sales from the stored cursor, process every sale, then
 * advance the cursor. A poll re-reads an overlap window first (late commits carry older timestamps); the links
 * make that re-read free of duplicates. Ends by repairing copies of BB writes that BB committed after our client
 * had given up on them (repair-late-commits.ts).
 */
export async function runOrdersPage(deps: SyncDeps, input: PageInput): Promise<PageResult> {
  const lostBefore = deps.bb.stats().unconfirmed;
  const since = new Date();
  const written = new Set<string>();
  let step: { ctx: OrderRunContext; result: PageResult };
  try {
    step = await readAndWritePages(deps, input, written);
  } finally {
    if (deps.bb.stats().unconfirmed > lostBefore) {
      const days = (await dayLinksTouchedSince(deps.database, input.tenantId, since)).map((k) => parseDayKey(k.replace(/#K\d+$/, "")).date);
      // A void's reversal and a deposit are dated on their own days, not the sale's.
      const saleDays = await saleWriteDaysTouchedSince(deps.database, input.tenantId, since);
      await watchForLateCommits(deps.database, input.tenantId, [...written, ...days, ...saleDays], deps.now());
    }
  }
  if (!step.result.paused) await repairLateCommits(step.ctx, deps.now());
  return step.result;
}

/** `written`: the business days of the sales this step sends to BB (for the late-commit watch). */
async function readAndWritePages(deps: SyncDeps, input: PageInput, written: Set<string>): Promise<{ ctx: OrderRunContext; result: PageResult }> {
  const { database } = deps;
  const ctx = await buildContext(deps, input.tenantId, input.runId, input.kind);
  const counts: RunCounts = {};

  if (input.kind === "resync" && input.saleId) {
    const sale = await deps.ls.getSale(input.saleId);
    if (sale) tally(counts, await processSale(ctx, sale));
    await addRunCounts(database, input.runId, counts);
    return { ctx, result: { more: false, paused: false, processed: sale ? 1 : 0 } };
  }

  const stored = (await readCursor(database, input.tenantId, CURSOR)) ?? null;
  const startDate = ctx.settings.startDate;
  const cursor: SalesCursor = stored ?? {
    timeStamp: startDate ? zonedTimeToUtc(startDate, ctx.settings.cutoffHour, ctx.shopTimeZone("1")).toISOString() : null,
    ids: [],
  };
  const reader = deps.ls.readSales({
    // Open sales too: a layaway's instalments are booked on the days they are paid, not when it completes.
    completedOnly: false,
    cursor,
    ...(input.firstPage && stored ? { since: cursor.timeStamp ?? undefined, overlapSeconds: ctx.settings.overlapMinutes * 60 } : {}),
    pageSize: 100,
  });

  let pages = 0;
  let processed = 0;
  let paused = false;
  let latest: LsCursor = cursor;
  const iterator = reader[Symbol.asyncIterator]();
  let exhausted = false;
  const prepared: PreparedSale[] = [];
  // A backfill streams: each full chunk goes to BB while the next sales are still being read and prepared, and
  // each sale is recorded as soon as its write settles, so a step holds only the sales in flight.
  const streaming = input.kind === "backfill";
  const settled: { item: WriteItem; outcome: WriteOutcome }[] = [];
  const inFlight = new Map<WriteItem, PreparedSale>();
  const inFlightIds = new Set<string>();
  const writer = streaming
    ? new PipelinedWriter(database, deps.bb, { batch: true, comment: ctx.comments, cache: newReadBackCache(), onSettled: (item, outcome) => settled.push({ item, outcome }) })
    : null;
  const recordSettled = async () => {
    const batch = settled.splice(0);
    if (!batch.length) return;
    const sales = batch.map((x) => inFlight.get(x.item)!);
    for (const x of batch) {
      inFlight.delete(x.item);
      inFlightIds.delete(x.item.target.sourceId);
    }
    for (const o of await finalizePreparedSales(ctx, sales, new Map(batch.map((x, i) => [sales[i]!, x.outcome])))) {
      tally(counts, o);
      if (o === "paused") paused = true;
    }
  };
  const pagesPerStep = streaming ? BACKFILL_PAGES_PER_STEP : PAGES_PER_STEP;
  // Half of the step's wall-clock budget for reading: a backfill must still drain its BB pipeline afterwards.
  const deadline = readDeadline(deps, READ_SHARE);
  // Read the next Lightspeed page while this one is prepared (two hosts, two budgets).
  let pending: Promise<IteratorResult<Page<LsSale>>> | null = iterator.next();
  while (pending && pages < pagesPerStep && !paused) {
    const next = await pending;
    pending = null;
    if (next.done) {
      exhausted = true;
      break;
    }
    const page = next.value;
    if (pages + 1 < pagesPerStep && Date.now() < deadline) pending = iterator.next();
    for (const bad of page.malformed) {
      tally(counts, "failed");
      await handleRecordFailure(
        database,
        { tenantId: input.tenantId, runId: input.runId, flow: "orders", entity: "sale", sourceId: bad.id ?? "unknown", reference: bad.id, sourcePayload: bad.raw, startedAt: Date.now(), redactPii: ctx.redactPii },
        malformedError(bad),
      );
    }
    // A sale changed while the step reads comes again in a later page: its first write settles before it is
    // looked at again, so the second sees the link (done, with the first write's hash) instead of racing it.
    if (writer && page.records.some((s) => inFlightIds.has(s.saleId))) {
      await writer.flush();
      await recordSettled();
    }
    const links = await getLinks(database, input.tenantId, "sale", page.records.map((s) => s.saleId));
    // Sales are prepared several at a time (database and debtor lookups); one customer's sales in order.
    const plans = new PlansToStore();
    const preparedPage = await mapConcurrent(page.records, PREPARE_CONCURRENCY, (sale) => (sale.customer ? `c${sale.customer.customerId}` : null), (sale) => prepareSale(ctx, sale, { links, plans }));
    // Before any of them is written.
    await plans.store(database, input.tenantId);
    for (const p of preparedPage) {
      if (p.kind === "outcome" && p.outcome === "paused") paused = true;
      if (!writer) prepared.push(p);
      else if (isBook(p)) {
        const item = writeItemOf(ctx, p);
        written.add(item.plan.date);
        inFlight.set(item, p);
        inFlightIds.add(p.sale.saleId);
        writer.add(item);
      } else tally(counts, p.outcome);
    }
    processed += page.records.length;
    if (paused) break;
    latest = mergeCursor(latest, page.cursor);
    pages++;
    if (writer) {
      await recordSettled();
      // Reading further ahead than BB can take only holds memory.
      await writer.room();
      await recordSettled();
      // BB failed for good in this step: stop reading; the step's retry resumes from the links.
      if (writer.failed) break;
    }
  }
  if (pending) await pending.catch(() => undefined);

  // A poll writes what it read together: in BB batches when there is enough of it, one by one when quiet.
  if (writer) {
    await writer.finish();
    await recordSettled();
  } else {
    const toBook = prepared.filter(isBook).length;
    for (const p of prepared.filter(isBook)) written.add(p.plan.date);
    for (const o of await writePreparedSales(ctx, prepared, { batch: toBook >= BATCH_FROM, cache: newReadBackCache() })) {
      tally(counts, o);
      if (o === "paused") paused = true;
    }
  }
  // Only now, with every sale of these pages handled, may the cursor move past them.
  if (!paused && pages > 0) await writeCursor(database, input.tenantId, CURSOR, { ...latest, ...(cursor.backfillFrom ? { backfillFrom: cursor.backfillFrom } : {}) });
  if (!exhausted) await iterator.return?.(undefined);

  await addRunCounts(database, input.runId, counts);
  if (input.kind === "backfill") await updateProgress(database, input.runId, processed);
  if (ctx.settings.postingMode === "daily_summary" && !paused && latest.timeStamp) {
    await postClosedDays(ctx, new Date(latest.timeStamp));
  }
  return { ctx, result: { more: !exhausted && !paused, paused, processed } };
}

function mergeCursor(a: LsCursor, b: LsCursor): LsCursor {
  if (!a.timeStamp) return b;
  if (!b.timeStamp || b.timeStamp < a.timeStamp) return a;
  if (b.timeStamp > a.timeStamp) return b;
  return { timeStamp: a.timeStamp, ids: [...new Set([...a.ids, ...b.ids])] };
}

/** A record Lightspeed sent in a shape we cannot read fails alone, with what is wrong in words. */
function malformedError(bad: { entity: string; id: string | null; problems: string[] }): AppError {
  return new AppError("RECORD_INVALID", {
    detail: `${bad.entity} ${bad.id ?? "(no id)"} from Lightspeed is incomplete or malformed: ${bad.problems.join("; ")}`,
    fixHint: "Open the record in Lightspeed and correct or re-save it; it is picked up again automatically.",
    context: { problems: bad.problems },
  });
}

async function updateProgress(database: Database, runId: string, processed: number) {
  const run = await readRunProgress(database, runId);
  const done = (run.progress?.done ?? 0) + processed;
  const elapsed = (Date.now() - run.startedAt.getTime()) / 1000;
  const total = run.progress?.total ?? null;
  const etaSeconds = total && done > 0 ? Math.max(0, Math.round((elapsed / done) * (total - done))) : null;
  await setRunProgress(database, runId, { done, total, etaSeconds });
}

export async function finishOrdersRun(deps: SyncDeps, input: { runId: string }): Promise<{ status: string }> {
  const { status } = await finishRunFromCounts(deps.database, input.runId);
  return { status };
}

/** Pages per run before handing over to a continuation event, so no run grows past Inngest's step limits. */
const STEPS_PER_RUN = 25;

/**
 * The order flow for the job kernel: polls, "sync now", backfills and single-sale resyncs, one step per
 * batch of pages; the cursor advances only after a page is fully linked. Each run's first step re-reads the
 * overlap window.
 */
export const ordersFlow: SyncFlow<OrdersSyncRequest, null, PageResult> = {
  flow: "orders",
  stepsPerRun: STEPS_PER_RUN,
  start: (deps, e) => startOrdersRun(deps, { tenantId: e.tenantId, kind: e.kind, runId: e.runId, from: e.from, saleId: e.saleId }),
  resume: () => null,
  stepId: (_, index) => `page-${index}`,
  step: (deps, { event, runId, index }) => runOrdersPage(deps, { tenantId: event.tenantId, runId, kind: event.kind, saleId: event.saleId, firstPage: index === 0 }),
  advance: (r) => ({ next: null, done: !r.more, paused: r.paused }),
  handOver: (event, runId) => ({ data: { tenantId: event.tenantId, kind: event.kind, runId }, result: { continued: true } }),
  finish: (deps, { runId }) => finishOrdersRun(deps, { runId }),
};
