import type { LsSale } from "../../lightspeed/domain";
import type { BookingPlan } from "./booking-plan";
import type { SaleLinkState } from "../link-state";
import { saveLink } from "../links";
import type { OrderRunContext } from "./order-run-context";
import { writeBooking } from "./write-booking";
import { writeStateOf } from "./write-state-of";

/**
 * Completes a booking that was started for an earlier version of a sale and cannot be finished as the sale is
 * now (its receipt, a payment or a posting in BB says otherwise). Finished with the plan it was started with,
 * it is a whole booking that a reversal undoes exactly; the change is then booked like any edit after posting,
 * so BB never holds half of one version and half of another. Throws the booking's own error.
 */
export async function finishStartedBooking(ctx: OrderRunContext, sale: LsSale, state: SaleLinkState, plan: BookingPlan): Promise<SaleLinkState> {
  const { database, tenantId } = ctx;
  const written = await writeBooking(database, ctx.bb, { tenantId, entity: "sale", sourceId: sale.saleId }, plan, writeStateOf(state, plan), { comment: ctx.comments });
  const finished = { ...written.state, debtor: plan.debtor.number, date: plan.date, plan };
  await saveLink(database, tenantId, "sale", sale.saleId, { status: "done", step: "done", lastError: null, targetIds: finished });
  return { ...state, ...finished };
}
