import { sql } from "kysely";
import type { Database } from "../../db";
import { toJson } from "../../db";
import { recordActivity } from "../../activity/record-activity";
import { AppError, toAppError } from "../../errors/app-error";
import { CHART_DEFAULTS } from "../../mapping/chart-defaults";
import { loadOrderMappings } from "../../mapping/order-mappings";
import { cents, formatAmount } from "../../money";
import { addDays } from "../../time";
import { raiseNotification, resolveNotifications } from "../../notifications/raise-notification";
import { readCursor } from "../cursors";
import { handleRecordFailure } from "../handle-record-failure";
import { getLink, saveLink } from "../links";
import { computeStockValue } from "./compute-stock-value";
import { planValuationPosting, type PlannedValuationPosting, type ValuationAccounts } from "./plan-valuation-posting";
import { loadStockSettings, type StockSettings } from "./stock-settings";
import { STOCK_CURSOR } from "./stock-cursor";
import type { ValuationTarget } from "./valuation-target";
import { lastClosedPeriod, nextPeriod, periodDates, periodEndInstant, periodOfDate, type ValuationFrequency } from "./valuation-periods";

interface PostingRecord extends PlannedValuationPosting {
  seq: number;
  postedAt: string;
  /** How the outcome was established: sent, or found by read-back after an unclear answer. */
  via: "sent" | "read_back";
}

export interface ValuationContext {
  tenantId: string;
  runId: string | null;
  settings: StockSettings;
  timeZone: string;
  accounts: ValuationAccounts;
  frequency: ValuationFrequency;
  /** Only called when a posting or read-back is really due: an idle run makes no BB call at all. */
  bb: ValuationTarget;
  now: () => number;
}

export interface ValuationOutcome {
  /** Periods computed in this call, in order. */
  periods: { period: string; status: string; valueCents: number; postedCents: number }[];
  /** Why nothing was valued yet, if so. */
  waiting?: string;
  failed: number;
}

/** The first active shop's zone, or Europe/Berlin until shops are known. */
export async function valuationTimeZone(database: Database, tenantId: string, settings: StockSettings): Promise<string> {
  if (settings.timeZone) return settings.timeZone;
  const shops = await database.selectFrom("stock_shops").select(["shop_id", "time_zone"]).where("tenant_id", "=", tenantId).where("archived", "=", false).execute();
  shops.sort((a, b) => Number(a.shop_id) - Number(b.shop_id));
  return shops[0]?.time_zone ?? "Europe/Berlin";
}

async function loadContext(database: Database, input: { tenantId: string; runId: string | null; bb: ValuationTarget; now?: () => number }): Promise<ValuationContext | null> {
  const { settings } = await loadStockSettings(database, input.tenantId);
  const chart = (await loadOrderMappings(database, input.tenantId)).chart;
  const stock = settings.stockAccount ?? (chart ? CHART_DEFAULTS[chart].stock : undefined);
  const stockChange = settings.stockChangeAccount ?? (chart ? CHART_DEFAULTS[chart].stockChange : undefined);
  if (stock === undefined || stockChange === undefined) {
    await raiseNotification(database, {
      tenantId: input.tenantId,
      severity: "error",
      code: "MAPPING_MISSING",
      title: "Bestandsbewertung: Konten fehlen",
      body: "The stock valuation needs a stock account and a stock-change account, and the chart of accounts (SKR03/SKR04) is not known yet.",
      fixHint: "Set both accounts on the Stock page (settings), or check the BuchhaltungsButler connection so the chart can be detected.",
      link: "/stock",
      flow: "stock",
      dedupeKey: "valuation:accounts",
    });
    return null;
  }
  await resolveNotifications(database, input.tenantId, { dedupeKey: "valuation:accounts" });
  return {
    tenantId: input.tenantId,
    runId: input.runId,
    settings,
    timeZone: await valuationTimeZone(database, input.tenantId, settings),
    accounts: { stock, stockChange },
    frequency: settings.valuationFrequency,
    bb: input.bb,
    now: input.now ?? Date.now,
  };
}

/**
 * The scheduled part: values every closed period that is due (in order), and revalues from the first period
 * that received late data (a row observed after its valuation but timestamped before its end). Only reads our
 * DB unless something must be posted.
 */
export async function runDueValuations(database: Database, input: { tenantId: string; runId: string | null; bb: ValuationTarget; now?: () => number }): Promise<ValuationOutcome> {
  const out: ValuationOutcome = { periods: [], failed: 0 };
  const { settings } = await loadStockSettings(database, input.tenantId);
  if (!settings.managedInBb) return { ...out, waiting: "stock is not managed in BuchhaltungsButler" };
  const ctx = await loadContext(database, input);
  if (!ctx) return { ...out, failed: 1 };
  const cursor = await readCursor(database, ctx.tenantId, STOCK_CURSOR);
  if (!cursor?.ledgerStartedAt || !cursor.caughtUpAt) return { ...out, waiting: "the stock ledger has not been read completely yet" };
  const ledgerStart = Date.parse(cursor.ledgerStartedAt);
  const caughtUp = Date.parse(cursor.caughtUpAt);
  const settleMs = settings.settleMinutes * 60_000;

  const valued = await database.selectFrom("stock_valuations").select(["period", "period_end_date", "status"]).where("tenant_id", "=", ctx.tenantId).orderBy("period_end_date").execute();
  const periods: string[] = [];
  // Late data first: revalue from the earliest affected period (its successors follow in order).
  const late = await sql<{ period: string }>`
    select v.period from stock_valuations v
    where v.tenant_id = ${ctx.tenantId} and v.status <> 'pending'
      and exists (select 1 from stock_history h where h.tenant_id = v.tenant_id and h.observed_at > v.computed_at and h.ls_timestamp < v.as_of)
    order by v.period_end_date limit 1`.execute(database);
  const firstLate = late.rows[0]?.period;
  if (firstLate) {
    const from = valued.findIndex((v) => v.period === firstLate);
    for (const v of valued.slice(from)) periods.push(v.period);
  }
  for (const v of valued) if ((v.status === "pending" || v.status === "failed") && !periods.includes(v.period)) periods.push(v.period);

  // New closed periods: after the last valued one (or the first one that ends after the ledger started).
  const last = lastClosedPeriod(new Date(ctx.now()), ctx.frequency, ctx.timeZone);
  const lastValued = valued.at(-1);
  // After a change of frequency the next period is the one containing the day after the last valued end.
  let p = lastValued ? periodOfDate(addDays(lastValued.period_end_date, 1), ctx.frequency) : last;
  if (!lastValued) {
    // The first period must end after the ledger started: earlier ends cannot be reconstructed.
    if (periodEndInstant(p, ctx.timeZone).getTime() <= ledgerStart) return { ...out, waiting: `the ledger started after ${p} ended; the first valuation is the period after` };
  }
  let waiting: string | undefined;
  for (let guard = 0; guard < 120 && comparePeriods(p, last, ctx.timeZone) <= 0; guard++, p = nextPeriod(p)) {
    if (periodEndInstant(p, ctx.timeZone).getTime() + settleMs > caughtUp) {
      waiting = `${p} closes its ledger once the stock has been read past ${new Date(periodEndInstant(p, ctx.timeZone).getTime() + settleMs).toISOString()}`;
      break;
    }
    if (!periods.includes(p)) periods.push(p);
  }
  periods.sort((a, b) => periodDates(a).last.localeCompare(periodDates(b).last));
  for (const period of periods) {
    const r = await valuePeriod(database, ctx, period);
    out.periods.push(r);
    if (r.status === "failed") {
      out.failed++;
      break;
    }
  }
  return waiting && out.periods.length === 0 ? { ...out, waiting } : out;
}

function comparePeriods(a: string, b: string, timeZone: string): number {
  return periodEndInstant(a, timeZone).getTime() - periodEndInstant(b, timeZone).getTime();
}

/** A correction requested by hand: revalue `period` and every later valued period, posting differences only. */
export async function revaluePeriod(database: Database, input: { tenantId: string; runId: string | null; period: string; bb: ValuationTarget; now?: () => number }): Promise<ValuationOutcome> {
  periodDates(input.period); // validates the name
  const ctx = await loadContext(database, input);
  if (!ctx) return { periods: [], failed: 1 };
  const later = await database.selectFrom("stock_valuations").select(["period"]).where("tenant_id", "=", input.tenantId).where("period_end_date", ">", periodDates(input.period).last).orderBy("period_end_date").execute();
  const out: ValuationOutcome = { periods: [], failed: 0 };
  for (const period of [input.period, ...later.map((r) => r.period)]) {
    const r = await valuePeriod(database, ctx, period);
    out.periods.push(r);
    if (r.status === "failed") {
      out.failed++;
      break;
    }
  }
  return out;
}

/** Values one period and posts what is missing for it (exactly once per posting, read back when unclear). */
export async function valuePeriod(database: Database, ctx: ValuationContext, period: string): Promise<{ period: string; status: string; valueCents: number; postedCents: number }> {
  const startedAt = Date.now();
  const { tenantId } = ctx;
  const date = periodDates(period).last;
  const asOf = periodEndInstant(period, ctx.timeZone);
  const value = await computeStockValue(database, tenantId, asOf);
  const computedAt = new Date();
  const row = await database.selectFrom("stock_valuations").selectAll().where("tenant_id", "=", tenantId).where("period", "=", period).executeTakeFirst();
  const previous = await database
    .selectFrom("stock_valuations")
    .select(["period", "value_cents"])
    .where("tenant_id", "=", tenantId)
    .where("period_end_date", "<", date)
    .orderBy("period_end_date", "desc")
    .executeTakeFirst();
  const postings = [...((row?.postings ?? []) as PostingRecord[])];
  let postedCents = row?.posted_cents ?? 0;

  const save = async (status: "baseline" | "posted" | "unchanged" | "pending" | "failed") => {
    const values = {
      frequency: ctx.frequency,
      period_end_date: date,
      as_of: asOf,
      time_zone: ctx.timeZone,
      value_cents: value.valueCents,
      previous_value_cents: previous?.value_cents ?? null,
      posted_cents: postedCents,
      status,
      postings: toJson(postings),
      details: toJson({ items: value.items, rows: value.rows, negativeRows: value.negativeRows, missingCost: value.missingCost.slice(0, 100), missingCostCount: value.missingCost.length, nonInventorySkipped: value.nonInventorySkipped, previousPeriod: previous?.period ?? null }),
      computed_at: computedAt,
    };
    await database
      .insertInto("stock_valuations")
      .values({ tenant_id: tenantId, period, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "period"]).doUpdateSet(values))
      .execute();
  };

  // 1. A posting whose outcome is unknown (the last attempt died after sending): read back, then decide.
  const seqPending = postings.length + 1;
  const pendingKey = `${period}#${seqPending}`;
  const pendingLink = await getLink(database, tenantId, "valuation", pendingKey);
  if (pendingLink?.status === "pending" && pendingLink.step === "sending") {
    const p = pendingLink.target_ids;
    const found = await ctx.bb.hasFreePosting({ date: p.date, text: p.text, amountCents: p.amountCents, debitAccount: p.debitAccount, creditAccount: p.creditAccount });
    if (!found) await ctx.bb.addFreePosting({ date: p.date, text: p.text, amountCents: p.amountCents, debitAccount: p.debitAccount, creditAccount: p.creditAccount });
    postings.push({ ...p, seq: seqPending, postedAt: new Date().toISOString(), via: found ? "read_back" : "sent" });
    postedCents += p.signedCents;
    await saveLink(database, tenantId, "valuation", pendingKey, { step: "posted", status: "done", lastError: null });
    await save("posted");
  }

  // 2. What the period still needs.
  const seq = postings.length + 1;
  const plan = planValuationPosting({
    period,
    date,
    valueCents: value.valueCents,
    previousValueCents: previous?.value_cents ?? null,
    postedCents,
    firstValuation: ctx.settings.firstValuation,
    accounts: ctx.accounts,
    seq,
  });
  const describe = `stock value ${formatAmount(cents(value.valueCents))} € at ${asOf.toISOString()} (${value.items} items, ${value.negativeRows} negative rows valued at 0${value.missingCost.length ? `, ${value.missingCost.length} without cost` : ""})`;
  if (value.missingCost.length) {
    await raiseNotification(database, {
      tenantId,
      severity: "warning",
      code: "VALUATION_MISSING_COST",
      title: `Bestandsbewertung ${period}: ${value.missingCost.length} Artikel ohne Einstandspreis`,
      body: `These items have stock but no average or default cost in Lightspeed and were valued at 0: ${value.missingCost.slice(0, 20).join(", ")}${value.missingCost.length > 20 ? " …" : ""}`,
      fixHint: "Enter a default cost for these items in Lightspeed, then the next valuation (or a revaluation of the period) picks it up.",
      link: "/stock",
      flow: "stock",
      dedupeKey: `valuation:missing-cost:${period}`,
    });
  }
  const log = (result: "created" | "updated" | "skipped" | "info", message: string, posting?: PlannedValuationPosting) =>
    recordActivity(
      database,
      {
        tenantId,
        runId: ctx.runId,
        flow: "stock",
        entity: "valuation",
        sourceId: period,
        reference: `Bestandsbewertung ${period}`,
        result,
        message,
        sourcePayload: { period, asOf: asOf.toISOString(), timeZone: ctx.timeZone, ...value, missingCost: value.missingCost.slice(0, 100) },
        transformedPayload: { plan, previousPeriod: previous?.period ?? null, previousValueCents: previous?.value_cents ?? null },
        targetResponse: posting ? { postings: "postings/add/free", ...posting } : null,
        durationMs: Date.now() - startedAt,
      },
      { redact: false },
    );

  if (!plan.posting) {
    const status = plan.status === "baseline" ? "baseline" : postings.length ? "posted" : "unchanged";
    await save(status);
    await log(
      "info",
      plan.status === "baseline"
        ? `${period}: baseline recorded, nothing posted (first valuation) — ${describe}`
        : `${period}: nothing to post, the books already reflect ${describe}`,
    );
    return { period, status, valueCents: value.valueCents, postedCents };
  }

  const key = `${period}#${seq}`;
  await saveLink(database, tenantId, "valuation", key, { step: "sending", status: "pending", targetIds: { ...plan.posting } });
  try {
    await ctx.bb.addFreePosting({ date: plan.posting.date, text: plan.posting.text, amountCents: plan.posting.amountCents, debitAccount: plan.posting.debitAccount, creditAccount: plan.posting.creditAccount });
  } catch (e) {
    const err = toAppError(e);
    if (err.kind === "retryable" || err.kind === "internal") {
      // Unclear: the link stays "sending", so the retry reads back before it sends anything.
      await save("pending");
      throw e;
    }
    await save("failed");
    await handleRecordFailure(
      database,
      { tenantId, runId: ctx.runId, flow: "stock", entity: "valuation", sourceId: key, reference: `Bestandsbewertung ${period}`, transformedPayload: plan.posting, startedAt, redactPii: false },
      err.kind === "record" || err.kind === "tenant" ? err : new AppError("UPSTREAM_REJECTED", { detail: err.detail, cause: e }),
    );
    return { period, status: "failed", valueCents: value.valueCents, postedCents };
  }
  postings.push({ ...plan.posting, seq, postedAt: new Date().toISOString(), via: "sent" });
  postedCents += plan.posting.signedCents;
  await saveLink(database, tenantId, "valuation", key, { step: "posted", status: "done", lastError: null });
  await save("posted");
  const direction = plan.posting.signedCents > 0 ? "increase" : "decrease";
  await log(
    seq === 1 ? "created" : "updated",
    `${period}: posted ${direction} of ${formatAmount(cents(plan.posting.amountCents))} € (debit ${plan.posting.debitAccount}, credit ${plan.posting.creditAccount})${seq > 1 ? ` as correction ${seq - 1}` : ""} — ${describe}`,
    plan.posting,
  );
  return { period, status: "posted", valueCents: value.valueCents, postedCents };
}

/** Valuation history for the UI, newest first. */
export async function listValuations(database: Database, tenantId: string, limit = 36) {
  const rows = await database
    .selectFrom("stock_valuations")
    .select(["period", "frequency", "period_end_date", "as_of", "time_zone", "value_cents", "previous_value_cents", "posted_cents", "status", "postings", "details", "computed_at"])
    .where("tenant_id", "=", tenantId)
    .orderBy("period_end_date", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    period: r.period,
    frequency: r.frequency,
    periodEndDate: r.period_end_date,
    asOf: r.as_of,
    timeZone: r.time_zone,
    valueCents: r.value_cents,
    previousValueCents: r.previous_value_cents,
    postedCents: r.posted_cents,
    status: r.status,
    postings: r.postings as PostingRecord[],
    details: r.details,
    computedAt: r.computed_at,
  }));
}
