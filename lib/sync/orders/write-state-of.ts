import type { WriteProgressState } from "../link-state";
import type { BookingPlan } from "./booking-plan";
import type { WriteState } from "./write-booking";

/**
 * A stored link as the writer's starting point. The whole link goes in, as before: the writer saves its state
 * back and logs it. The invoice number is the plan's (the writer sets it anyway); a re-post stores null for the
 * receipt fields, which the writer reads as "not done yet", like a missing field.
 */
export function writeStateOf(state: WriteProgressState, plan: Pick<BookingPlan, "invoiceNumber">): WriteState {
  return {
    ...state,
    invoiceNumber: plan.invoiceNumber,
    receiptId: state.receiptId ?? undefined,
    receiptAmount: state.receiptAmount ?? undefined,
    receiptPosted: state.receiptPosted ?? undefined,
    commented: state.commented ?? undefined,
    adoptedReceipt: state.adoptedReceipt ?? undefined,
  };
}
