import { recordActivity } from "../../activity/record-activity";
import { AppError } from "../../errors/app-error";
import { handleRecordFailure } from "../handle-record-failure";
import { dayCorrectionId, daysToPost, getLink, saleLinksOfDay, saveLink } from "../links";
import type { BookingPlan } from "./booking-plan";
import { buildBookingPlan } from "./build-booking-plan";
import { dayInvoiceNumber, isDayClosed, parseDayKey } from "./group-sales-by-day";
import type { OrderRunContext } from "./order-run-context";
import { isEmptySummary, mergeSummaries, negateSummary, type SaleSummary } from "./summarize-sale";
import { writeBooking } from "./write-booking";
import { writeStateOf } from "./write-state-of";

/**
 * Daily-summary mode (Tagesabschluss): once a business day is closed, one receipt per shop (or register) with
 * revenue per account × VAT code and one transaction per payment type. A change to an already posted day (a late
 * sale, a void, an edit) is booked as a correcting receipt for the difference — the posted day is never edited.
 */
export async function postClosedDays(ctx: OrderRunContext, readUpTo: Date): Promise<{ posted: number; corrected: number; failed: number }> {
  const { database, tenantId } = ctx;
  const keys = await daysToPost(database, tenantId);
  let posted = 0;
  let corrected = 0;
  let failed = 0;
  for (const dayKey of keys) {
    const key = parseDayKey(dayKey);
    if (!isDayClosed(key.date, { timeZone: ctx.shopTimeZone(key.shopId), cutoffHour: ctx.settings.cutoffHour, readUpTo, overlapMinutes: ctx.settings.overlapMinutes })) continue;
    const startedAt = Date.now();
    try {
      const result = await postDay(ctx, dayKey);
      if (result === "posted") posted++;
      if (result === "corrected") corrected++;
    } catch (e) {
      failed++;
      await handleRecordFailure(database, { tenantId, runId: ctx.runId, flow: "orders", entity: "day", sourceId: dayKey, reference: dayInvoiceNumber(key), startedAt, redactPii: ctx.redactPii }, e);
    }
  }
  return { posted, corrected, failed };
}

async function postDay(ctx: OrderRunContext, dayKey: string): Promise<"posted" | "corrected" | "unchanged"> {
  const { database, tenantId } = ctx;
  const key = parseDayKey(dayKey);
  const sales = await saleLinksOfDay(database, tenantId, dayKey);
  const current = mergeSummaries(sales.flatMap((s) => (s.status !== "voided" && s.target_ids.summary ? [s.target_ids.summary] : [])));
  const day = await getLink(database, tenantId, "day", dayKey);
  const state = day?.target_ids ?? {};
  if (!ctx.mappings.defaultDebtor) {
    throw new AppError("MAPPING_MISSING", { detail: "daily summaries are booked to the default debtor, and none is set", fixHint: "Choose a default debtor under Mappings → Default debtor." });
  }
  const debtor = { number: ctx.mappings.defaultDebtor.postingAccountNumber, name: ctx.mappings.defaultDebtor.name };
  const shopLabel = `Filiale ${key.shopId}${key.registerId ? ` Kasse ${key.registerId}` : ""}`;
  const planFor = (summary: SaleSummary, n: number): BookingPlan =>
    buildBookingPlan(summary, ctx.mappings, {
      kind: "day",
      invoiceNumber: dayInvoiceNumber(key, n),
      date: key.date,
      bookingTime: "23:59:59",
      shopId: key.shopId,
      registerId: key.registerId,
      debtor,
      dueDate: key.date,
      linkToSaleId: null,
      label: `Daily summary ${dayInvoiceNumber(key, n)}`,
      comment: `${n > 0 ? `Korrektur ${n} zum ` : ""}Tagesabschluss Lightspeed ${shopLabel} vom ${key.date} (${summary.saleIds.length} Verkäufe)`,
    });
  const markSalesDone = async () => {
    for (const s of sales.filter((x) => x.status === "pending")) await saveLink(database, tenantId, "sale", s.source_id, { status: "done" });
  };

  if (day?.status !== "done") {
    if (isEmptySummary(current)) {
      await saveLink(database, tenantId, "day", dayKey, { status: "done", step: "done", targetIds: { postedSummary: current, corrections: 0, needsCorrection: false } });
      await markSalesDone();
      return "unchanged";
    }
    const plan = planFor(current, 0);
    const result = await writeBooking(database, ctx.bb, { tenantId, entity: "day", sourceId: dayKey }, plan, writeStateOf(state, plan), { comment: true });
    await saveLink(database, tenantId, "day", dayKey, { status: "done", step: "done", lastError: null, targetIds: { ...result.state, postedSummary: current, corrections: 0, needsCorrection: false, plan } });
    await markSalesDone();
    await recordActivity(
      database,
      { tenantId, runId: ctx.runId, flow: "orders", entity: "day", sourceId: dayKey, reference: plan.invoiceNumber, result: result.adopted ? "skipped" : "created", message: `Daily summary ${plan.invoiceNumber}: ${current.saleIds.length} sales, ${(plan.totals.gross / 100).toFixed(2)} €.`, transformedPayload: plan, targetResponse: result.state },
      { redact: ctx.redactPii },
    );
    return "posted";
  }

  // A posted day changed: book the difference as correction n.
  const pending = state.pendingCorrection ?? null;
  const n = pending?.n ?? (state.corrections ?? 0) + 1;
  const delta = pending?.summary ?? mergeSummaries([current, negateSummary(state.postedSummary ?? mergeSummaries([]))]);
  if (isEmptySummary(delta)) {
    await saveLink(database, tenantId, "day", dayKey, { targetIds: { needsCorrection: false, postedSummary: current } });
    await markSalesDone();
    return "unchanged";
  }
  if (!pending) await saveLink(database, tenantId, "day", dayKey, { targetIds: { pendingCorrection: { n, summary: delta } } });
  const plan = planFor(delta, n);
  const correctionId = dayCorrectionId(dayKey, n);
  const previousAttempt = await getLink(database, tenantId, "dayCorrection", correctionId);
  const result = await writeBooking(database, ctx.bb, { tenantId, entity: "day", sourceId: correctionId }, plan, previousAttempt && writeStateOf(previousAttempt.target_ids, plan), { comment: true });
  await saveLink(database, tenantId, "dayCorrection", correctionId, { status: "done", step: "done", targetIds: { ...result.state, plan } });
  await saveLink(database, tenantId, "day", dayKey, { targetIds: { postedSummary: current, corrections: n, needsCorrection: false, pendingCorrection: null } });
  await markSalesDone();
  await recordActivity(
    database,
    { tenantId, runId: ctx.runId, flow: "orders", entity: "day", sourceId: dayKey, reference: plan.invoiceNumber, result: "updated", message: `Correction ${n} to the daily summary of ${key.date}: ${(plan.totals.gross / 100).toFixed(2)} €.`, transformedPayload: plan, targetResponse: result.state },
    { redact: ctx.redactPii },
  );
  return "corrected";
}
