import { recordActivity } from "../../activity/record-activity";
import { AppError } from "../../errors/app-error";
import { handleRecordFailure } from "../handle-record-failure";
import type { WriteProgressState } from "../link-state";
import { dayCorrectionId, daysToPost, getLink, saleLinksOfDay, saveLink } from "../links";
import type { BookingPlan } from "./booking-plan";
import { buildBookingPlan, type PlanContext } from "./build-booking-plan";
import { correctionDate, type CorrectionDate } from "./correction-date";
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
      const result = await postDay(ctx, dayKey, readUpTo);
      if (result === "posted") posted++;
      if (result === "corrected") corrected++;
    } catch (e) {
      failed++;
      await handleRecordFailure(database, { tenantId, runId: ctx.runId, flow: "orders", entity: "day", sourceId: dayKey, reference: dayInvoiceNumber(key), startedAt, redactPii: ctx.redactPii }, e);
    }
  }
  return { posted, corrected, failed };
}

async function postDay(ctx: OrderRunContext, dayKey: string, readUpTo: Date): Promise<"posted" | "corrected" | "unchanged"> {
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
  // A correction is booked on its own date (correction-date.ts); the receipt's comment names the day it corrects.
  const planFor = (summary: SaleSummary, n: number, options: { tenderKeys?: PlanContext["tenderKeys"]; dated?: CorrectionDate } = {}): BookingPlan =>
    buildBookingPlan(summary, ctx.mappings, {
      kind: "day",
      invoiceNumber: dayInvoiceNumber(key, n),
      date: options.dated?.date ?? key.date,
      bookingTime: options.dated?.bookingTime ?? "23:59:59",
      shopId: key.shopId,
      registerId: key.registerId,
      debtor,
      dueDate: options.dated?.date ?? key.date,
      linkToSaleId: null,
      label: `Daily summary ${dayInvoiceNumber(key, n)}`,
      comment: `${n > 0 ? `Korrektur ${n} zum ` : ""}Tagesabschluss Lightspeed ${shopLabel} vom ${key.date} (${summary.saleIds.length} Verkäufe)${options.dated ? `, ${options.dated.note}` : ""}`,
      tenderKeys: options.tenderKeys ?? "paymentType",
    });
  // Only the sales a written plan covers are done; one that arrived meanwhile waits for the next correction.
  const markSalesDone = async (covered: SaleSummary) => {
    const ids = new Set(covered.saleIds);
    for (const s of sales.filter((x) => x.status === "pending" && ids.has(x.source_id))) await saveLink(database, tenantId, "sale", s.source_id, { status: "done" });
  };
  const changedSince = (posted: SaleSummary) => !isEmptySummary(mergeSummaries([current, negateSummary(posted)]));

  // Posted once the day's own plan went through (corrections counted from then on); a failed correction sets the
  // day's status to failed, which must not send it back to its first posting.
  const dayPosted = day?.status === "done" || state.corrections !== undefined;
  if (!dayPosted) {
    // The plan is stored before the first write and reused by every retry: recomputing it after a crash could
    // give a payment another key (a second cash transaction) or take in a late sale BB never received.
    // Only a day BB refused outright (failed, nothing of it in BB) is planned afresh, so a fixed mapping counts.
    const refused = day?.status === "failed" && !hasWritten(state);
    let plan = refused ? undefined : state.plan;
    let planned = refused ? undefined : state.postedSummary;
    if (!plan || !planned) {
      if (isEmptySummary(current)) {
        await saveLink(database, tenantId, "day", dayKey, { status: "done", step: "done", targetIds: { postedSummary: current, corrections: 0, needsCorrection: false } });
        await markSalesDone(current);
        return "unchanged";
      }
      // A day whose writing began before plans were stored keeps the keys its payments were written with.
      plan = planFor(current, 0, { tenderKeys: hasWritten(state) ? "position" : "paymentType" });
      planned = current;
      await saveLink(database, tenantId, "day", dayKey, { step: "planned", targetIds: { plan, postedSummary: planned, needsCorrection: false } });
    }
    const result = await writeBooking(database, ctx.bb, { tenantId, entity: "day", sourceId: dayKey }, plan, writeStateOf(state, plan), { comment: true });
    const late = changedSince(planned);
    await saveLink(database, tenantId, "day", dayKey, { status: "done", step: "done", lastError: null, targetIds: { ...result.state, plan, postedSummary: planned, corrections: 0, needsCorrection: late } });
    await markSalesDone(planned);
    await recordActivity(
      database,
      { tenantId, runId: ctx.runId, flow: "orders", entity: "day", sourceId: dayKey, reference: plan.invoiceNumber, result: result.adopted ? "skipped" : "created", message: `Daily summary ${plan.invoiceNumber}: ${planned.saleIds.length} sales, ${(plan.totals.gross / 100).toFixed(2)} €.`, transformedPayload: plan, targetResponse: result.state },
      { redact: ctx.redactPii },
    );
    // What changed while the day was being written is booked right away, as a correction.
    if (late) await postDay(ctx, dayKey, readUpTo);
    return "posted";
  }

  // A posted day changed: book the difference as correction n.
  const posted = state.postedSummary ?? mergeSummaries([]);
  const n = state.pendingCorrection?.n ?? (state.corrections ?? 0) + 1;
  const correctionId = dayCorrectionId(dayKey, n);
  const previousAttempt = await getLink(database, tenantId, "dayCorrection", correctionId);
  // Like the day's own plan: a correction BB refused outright (nothing of it written) is planned afresh.
  const refused = day?.status === "failed" && !hasWritten(previousAttempt?.target_ids ?? {});
  const pending = refused ? null : (state.pendingCorrection ?? null);
  const delta = pending?.summary ?? mergeSummaries([current, negateSummary(posted)]);
  if (isEmptySummary(delta)) {
    await saveLink(database, tenantId, "day", dayKey, { status: "done", lastError: null, targetIds: { needsCorrection: false, postedSummary: current, pendingCorrection: null } });
    await markSalesDone(current);
    return "unchanged";
  }
  // Pinned like the day's own plan: a resumed correction writes exactly what its first attempt began. One begun
  // under the previous release (no stored plan) is finished as that release planned it: on the day, by position.
  let plan = pending?.plan;
  if (!plan && pending) plan = planFor(delta, n, { tenderKeys: "position" });
  if (!plan) {
    const dated = await correctionDate(ctx.bb, { originalDate: key.date, detectedAt: readUpTo, timeZone: ctx.shopTimeZone(key.shopId), cutoffHour: ctx.settings.cutoffHour, after: true });
    plan = planFor(delta, n, { dated });
    await saveLink(database, tenantId, "day", dayKey, { targetIds: { pendingCorrection: { n, summary: delta, plan } } });
  }
  const result = await writeBooking(database, ctx.bb, { tenantId, entity: "day", sourceId: correctionId }, plan, previousAttempt && writeStateOf(previousAttempt.target_ids, plan), { comment: true });
  await saveLink(database, tenantId, "dayCorrection", correctionId, { status: "done", step: "done", targetIds: { ...result.state, plan } });
  // Posted now: what was posted before plus this correction — not `current`, which may hold a sale that came later.
  const nowPosted = mergeSummaries([posted, delta]);
  await saveLink(database, tenantId, "day", dayKey, { status: "done", lastError: null, targetIds: { postedSummary: nowPosted, corrections: n, needsCorrection: changedSince(nowPosted), pendingCorrection: null } });
  await markSalesDone(delta);
  await recordActivity(
    database,
    { tenantId, runId: ctx.runId, flow: "orders", entity: "day", sourceId: dayKey, reference: plan.invoiceNumber, result: "updated", message: `Correction ${n} to the daily summary of ${key.date}, booked on ${plan.date}: ${(plan.totals.gross / 100).toFixed(2)} €.`, transformedPayload: plan, targetResponse: result.state },
    { redact: ctx.redactPii },
  );
  return "corrected";
}

/** Whether any of a day's writes may already be in BB (then its plan must not change). */
function hasWritten(state: WriteProgressState): boolean {
  return !!state.receiptId || Object.values(state.tenders ?? {}).some((t) => !!t.transactionId) || Object.values(state.free ?? {}).some((f) => !!f.posted) || (state.intents ?? []).length > 0;
}
