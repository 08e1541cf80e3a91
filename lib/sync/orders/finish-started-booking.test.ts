import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import type { Cents } from "@/lib/money";
import { AppError } from "@/lib/errors/app-error";
import { loadOrderMappings } from "@/lib/mapping/order-mappings";
import { getLink } from "../links";
import type { BookingPlan } from "./booking-plan";
import { finishStartedBooking } from "./finish-started-booking";
import { parseOrderSettings } from "./order-settings";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import { sale } from "./fixtures.test-helpers";
import { writeBookings } from "./write-booking";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

function plan(saleId: string, gross: number): BookingPlan {
  const amount = gross as Cents;
  const invoiceNumber = `LS-1-${saleId}`;
  return {
    kind: "sale",
    saleIds: [saleId],
    invoiceNumber,
    date: "2026-03-14",
    shopId: "1",
    registerId: "1",
    debtor: { number: 10001, name: "Laufkundschaft" },
    receipt: { amount, dueDate: "2026-03-14", lines: [{ account: 8400, vat: "19_vat", amount, text: `${invoiceNumber} Erlöse` }], linkToSaleId: null },
    tenders: [
      { key: "1", paymentTypeIds: ["1"], paymentTypeName: "Bar", account: 1000, amount, purpose: `${invoiceNumber}/1`, bookingDate: "2026-03-14 10:00:00", bookingText: "Bar", lines: [{ account: 10001, vat: "0_none", amount, text: invoiceNumber, clearsReceipt: true }] },
    ],
    freePostings: [],
    comment: "",
    totals: { gross: amount, byVat: { "19_vat": amount }, byPaymentType: {}, tips: 0 as Cents, rounding: 0 as Cents },
  };
}

describe("finishStartedBooking", () => {
  it("completes a half-written booking with the plan it was started with and marks the sale posted", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
    const w = world;
    const s = sale("10.00", [], []);
    const started = plan(s.saleId, 1000);
    // The first write stopped after the receipt.
    const client = w.bbClient();
    const refusing = new Proxy(client, { get: (t, k) => (k === "postReceipt" ? () => Promise.reject(new AppError("UPSTREAM_REJECTED", { detail: "refused" })) : (Reflect.get(t, k, t) as unknown)) });
    await writeBookings(database, refusing, [{ target: { tenantId: w.tenantId, entity: "sale", sourceId: s.saleId }, plan: started, initial: undefined }], { batch: false, comment: false });
    const before = (await getLink(database, w.tenantId, "sale", s.saleId))!.target_ids;

    const ctx = { database, bb: client, tenantId: w.tenantId, runId: null, settings: parseOrderSettings({}), mappings: await loadOrderMappings(database, w.tenantId), shopTimeZone: () => "Europe/Berlin", redactPii: false, comments: false };
    const state = await finishStartedBooking(ctx, s, before, started);

    const link = (await getLink(database, w.tenantId, "sale", s.saleId))!;
    expect(link.status).toBe("done");
    expect(link.target_ids.plan).toEqual(started);
    expect(state.receiptId).toBe(before.receiptId);
    const bb = w.bb.tenant(w.bbApiKey);
    expect(bb.receipts.filter((r) => r.invoiceNumber === started.invoiceNumber).length).toBe(1);
    expect(bb.postings.filter((p) => p.receiptId === Number(before.receiptId) && p.kind === "receipt" && !p.cancelled).reduce((a, p) => a + p.amount, 0)).toBe(1000);
    expect(bb.transactions.filter((t) => t.purpose === `${started.invoiceNumber}/1`).map((t) => t.amount)).toEqual([1000]);
  });
});
