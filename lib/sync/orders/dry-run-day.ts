import { findDebtorByCustomerNumber, findDebtorByEmail } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import { isAppError } from "../../errors/app-error";
import type { LightspeedClient } from "../../lightspeed";
import { loadOrderMappings } from "../../mapping/order-mappings";
import type { VatCode } from "../../mapping/chart-defaults";
import type { Cents } from "../../money";
import { businessDayRange } from "../../time";
import type { BookingPlan } from "./booking-plan";
import { buildBookingPlan } from "./build-booking-plan";
import { bookedIndividually, chooseDebtor, movesCustomerAccount } from "./choose-debtor";
import { dayInvoiceNumber, dayKeyOf, dayKeyString, parseDayKey } from "./group-sales-by-day";
import { loadOrderSettings } from "./order-settings";
import { formatInvoiceNumber, saleBookingTime, saleBusinessDate } from "./sale-references";
import { mergeSummaries, summarizeSale, type SaleSummary } from "./summarize-sale";
import { validateSale } from "./validate-sale";

export interface DryRunResult {
  date: string;
  plans: BookingPlan[];
  failures: { saleId: string; ticketNumber: string; code: string; detail: string; fixHint: string | null }[];
  totals: { gross: Cents; byVat: Partial<Record<VatCode, Cents>>; byPaymentType: Record<string, Cents>; sales: number };
}

/**
 * The setup wizard's dry run: one business day's sales turned into exactly the receipts, postings and payments
 * the sync would send, with the current mappings and settings. Nothing is written anywhere (no debtor is created:
 * a new customer shows as "new debtor").
 */
export async function dryRunDay(database: Database, ls: LightspeedClient, tenantId: string, date: string, timeZone = "Europe/Berlin"): Promise<DryRunResult> {
  const [{ settings }, mappings] = await Promise.all([loadOrderSettings(database, tenantId), loadOrderMappings(database, tenantId)]);
  const { start, end } = businessDayRange(date, timeZone, settings.cutoffHour);
  const result: DryRunResult = { date, plans: [], failures: [], totals: { gross: 0 as Cents, byVat: {}, byPaymentType: {}, sales: 0 } };
  const perDay = new Map<string, SaleSummary[]>();
  const defaultDebtor = mappings.defaultDebtor ? { number: mappings.defaultDebtor.postingAccountNumber, name: mappings.defaultDebtor.name } : { number: 0, name: "(kein Standard-Debitor gewählt)" };

  for await (const page of ls.readSales({ since: start.toISOString(), until: new Date(end.getTime() + 7 * 86_400_000).toISOString() })) {
    for (const sale of page.records) {
      if (!sale.completed || sale.voided) continue;
      if (saleBusinessDate(sale, timeZone, settings.cutoffHour) !== date) continue;
      result.totals.sales++;
      try {
        validateSale(sale, { maxSaleTotalCents: settings.maxSaleTotalCents });
        const summary = summarizeSale(sale, mappings, { useCategoryAccounts: false, businessDay: { timeZone, cutoffHour: settings.cutoffHour } });
        if (settings.postingMode === "daily_summary" && !bookedIndividually(sale, mappings, settings)) {
          const k = dayKeyString(dayKeyOf(sale, { timeZone, cutoffHour: settings.cutoffHour, granularity: settings.summaryGranularity }));
          perDay.set(k, [...(perDay.get(k) ?? []), summary]);
          continue;
        }
        const choice = chooseDebtor(sale.customer, { ownDebtor: movesCustomerAccount(sale, mappings) });
        let debtor = defaultDebtor;
        if (choice.kind === "customer") {
          const found = (choice.email ? await findDebtorByEmail(database, tenantId, choice.email) : null) ?? (await findDebtorByCustomerNumber(database, tenantId, choice.fields.customerNumber));
          debtor = found ? { number: found.postingAccountNumber, name: found.name } : { number: 0, name: `${choice.fields.name} (neuer Debitor)` };
        }
        result.plans.push(
          buildBookingPlan(summary, mappings, {
            kind: "sale",
            invoiceNumber: formatInvoiceNumber(settings.invoiceNumberPattern, sale),
            date,
            bookingTime: saleBookingTime(sale, timeZone, settings.cutoffHour),
            shopId: sale.shopId,
            registerId: sale.registerId,
            debtor,
            dueDate: date,
            linkToSaleId: null,
            label: `Sale ${sale.ticketNumber}`,
            comment: `Lightspeed-Verkauf ${sale.ticketNumber}`,
          }),
        );
      } catch (e) {
        if (!isAppError(e)) throw e;
        result.failures.push({ saleId: sale.saleId, ticketNumber: sale.ticketNumber, code: e.code, detail: e.detail ?? e.code, fixHint: e.fixHint ?? null });
      }
    }
  }
  for (const [k, summaries] of perDay) {
    const key = parseDayKey(k);
    try {
      result.plans.push(
        buildBookingPlan(mergeSummaries(summaries), mappings, {
          kind: "day",
          invoiceNumber: dayInvoiceNumber(key),
          date,
          bookingTime: "23:59:59",
          shopId: key.shopId,
          registerId: key.registerId,
          debtor: defaultDebtor,
          dueDate: date,
          linkToSaleId: null,
          label: `Daily summary ${dayInvoiceNumber(key)}`,
          comment: `Tagesabschluss ${date}`,
        }),
      );
    } catch (e) {
      if (!isAppError(e)) throw e;
      result.failures.push({ saleId: k, ticketNumber: dayInvoiceNumber(key), code: e.code, detail: e.detail ?? e.code, fixHint: e.fixHint ?? null });
    }
  }
  for (const p of result.plans) {
    result.totals.gross = (result.totals.gross + p.totals.gross) as Cents;
    for (const [v, a] of Object.entries(p.totals.byVat)) result.totals.byVat[v as VatCode] = ((result.totals.byVat[v as VatCode] ?? 0) + a) as Cents;
    for (const [t, a] of Object.entries(p.totals.byPaymentType)) result.totals.byPaymentType[t] = ((result.totals.byPaymentType[t] ?? 0) + a) as Cents;
  }
  return result;
}
