import { AppError } from "../../errors/app-error";
import type { LsSale } from "../../lightspeed/domain";
import { decimal, toCents } from "../../money";

export interface SaleValidationOptions {
  maxSaleTotalCents: number;
}

/**
 * Checks a sale before anything is booked, and says precisely what is wrong: a sale that does not add up is
 * never posted half or "corrected" silently. Lightspeed rounds its total from the exact line values, so lines
 * and header may differ by at most a cent; payments must cover the total plus tips exactly.
 */
export function validateSale(sale: LsSale, options: SaleValidationOptions): void {
  const problems: string[] = [];
  const label = `Sale ${sale.ticketNumber || sale.saleId}`;
  if (!sale.completed) problems.push("it is not completed");
  if (!sale.completeTime) problems.push("it has no completion time");
  if (!sale.shopId) problems.push("it has no shop");

  const numbers: [string, string][] = [["total", sale.total], ["calcTips", sale.calcTips || "0"]];
  for (const l of sale.lines) numbers.push([`line ${l.saleLineId} calcTotal`, l.calcTotal]);
  for (const p of sale.payments) numbers.push([`payment ${p.salePaymentId} amount`, p.amount], [`payment ${p.salePaymentId} tipAmount`, p.tipAmount || "0"]);
  let numeric = true;
  for (const [what, value] of numbers) {
    try {
      decimal(value);
    } catch {
      numeric = false;
      problems.push(`${what} "${String(value).slice(0, 40)}" is not a number`);
    }
  }

  if (numeric) {
    const total = toCents(sale.total);
    if (Math.abs(total) > options.maxSaleTotalCents) {
      problems.push(`its total of ${sale.total} € is larger than the limit of ${(options.maxSaleTotalCents / 100).toFixed(2)} € (raise it under Settings if this is real)`);
    }
    const lineSum = toCents(sale.lines.reduce((acc, l) => acc.plus(decimal(l.calcTotal)), decimal("0")));
    if (Math.abs(lineSum - total) > 1) {
      problems.push(`its lines add up to ${(lineSum / 100).toFixed(2)} € but its total is ${(total / 100).toFixed(2)} €`);
    }
    const active = sale.payments.filter((p) => !p.archived);
    const paid = active.reduce((acc, p) => acc + toCents(p.amount), 0);
    const tips = active.reduce((acc, p) => acc + toCents(p.tipAmount || "0"), 0);
    if (paid - tips !== total) {
      problems.push(`its payments (${((paid - tips) / 100).toFixed(2)} € without tips) do not match its total (${(total / 100).toFixed(2)} €)`);
    }
    for (const l of sale.lines) {
      if (Math.abs(toCents(l.calcTotal)) > options.maxSaleTotalCents) problems.push(`line ${l.saleLineId} has an implausible amount (${l.calcTotal})`);
    }
  }

  if (problems.length) {
    throw new AppError("RECORD_INVALID", {
      detail: `${label}: ${problems.join("; ")}`,
      fixHint: "Correct the sale in Lightspeed (or void and re-enter it); Butlerbridge picks the change up automatically.",
      context: { saleId: sale.saleId, problems },
    });
  }
}
