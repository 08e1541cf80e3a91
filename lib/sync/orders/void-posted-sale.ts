import { AppError } from "../../errors/app-error";
import type { LsSale } from "../../lightspeed/domain";
import type { Cents } from "../../money";
import type { SaleLinkState, VoidState } from "../link-state";
import { saveLink } from "../links";
import type { OrderRunContext } from "./order-run-context";
import { correctionDate } from "./correction-date";
import { saleBookingTime } from "./sale-references";

/**
 * A sale voided (or re-posted) after it was booked is reversed, never edited (GoBD): the receipt's revenue
 * postings and any gift-card posting are cancelled (BB deletes unfixed postings and reverses fixed ones), and
 * each payment gets a counter-transaction dated the day of the void, posted against the same debtor, so the
 * cash book shows the money going back out. Every step is recorded, so an interrupted reversal resumes.
 * The link stays `done` until the caller saves what comes next (voided, or pending for the re-post) in one
 * write together with the reversal: a state between the two would be a sale reversed and never posted again.
 */
export async function voidPostedSale(ctx: OrderRunContext, sale: LsSale, linked: SaleLinkState): Promise<VoidState> {
  const { database, tenantId, bb } = ctx;
  const plan = linked.plan;
  if (!plan) {
    throw new AppError("RECORD_INVALID", {
      detail: `Sale ${sale.ticketNumber || sale.saleId} was changed after it was posted, but its original booking is not on record`,
      fixHint: "Reverse the receipt in BuchhaltungsButler by hand, then resync the sale.",
    });
  }
  const v: VoidState = { cancelled: [...(linked.void?.cancelled ?? [])], reversals: { ...(linked.void?.reversals ?? {}) } };
  const timeZone = ctx.shopTimeZone(sale.shopId);
  const voidInstant = { completeTime: sale.updateTime ?? sale.timeStamp, timeStamp: sale.timeStamp };
  // A reversal is a correction: dated the day of the void, or past a locked period (correction-date.ts).
  v.date = linked.void?.date ?? (await correctionDate(bb, { originalDate: plan.date, detectedAt: new Date(voidInstant.completeTime), timeZone, cutoffHour: ctx.settings.cutoffHour, after: false })).date;
  const persist = () => saveLink(database, tenantId, "sale", sale.saleId, { targetIds: { void: v } });

  // 1. Cancel the receipt's revenue postings and the gift-card free posting.
  const postings = await bb.getPostings({ dateFrom: plan.date, dateTo: plan.date });
  const freeTexts = new Set(plan.freePostings.map((f) => f.text));
  const ours = postings.filter((p) => (linked.receiptId && p.receiptId === linked.receiptId && !p.transactionId) || (freeTexts.has(p.text) && !p.receiptId && !p.transactionId));
  for (const p of ours) {
    if (v.cancelled!.includes(p.id)) continue;
    await bb.cancelPosting(p.id);
    v.cancelled!.push(p.id);
    await persist();
  }

  // 2. A counter-transaction for every payment, posted against the debtor with the original lines negated.
  for (const tender of plan.tenders) {
    const r = (v.reversals![tender.key] ??= {});
    const purpose = `${tender.purpose}/S`;
    const amount = -tender.amount as Cents;
    if (!r.transactionId) {
      const found = await bb.findTransaction({ purpose, date: v.date, amount, account: tender.account });
      r.transactionId =
        found?.id ??
        (
          await bb.addTransaction({
            account: tender.account,
            toFrom: plan.debtor.name,
            amount,
            bookingDate: `${v.date} ${saleBookingTime(voidInstant, timeZone, ctx.settings.cutoffHour)}`,
            purpose,
            bookingText: `Storno Lightspeed ${tender.paymentTypeName}`.slice(0, 128),
          })
        ).id;
      await persist();
    }
    if (!r.posted && r.postSent) {
      // The posting was sent before a crash: BB may have it, and a second one would reverse the payment twice.
      const listed = await bb.getPostings({ dateFrom: v.date, dateTo: v.date });
      if (listed.some((p) => p.transactionId === r.transactionId)) {
        r.posted = true;
        await persist();
      }
    }
    if (!r.posted) {
      r.postSent = true;
      await persist();
      await bb.postTransaction({
        transactionId: r.transactionId,
        lines: tender.lines.map((l) => ({ account: l.account, vat: l.vat, amount: -l.amount as Cents, text: `Storno ${l.text}`.slice(0, 128) })),
        openItemReceiptIds: tender.lines.map(() => null),
      });
      r.posted = true;
      await persist();
    }
  }

  return v;
}
