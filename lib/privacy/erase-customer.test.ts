import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { recordActivity } from "../activity/record-activity";
import { raiseNotification } from "../notifications/raise-notification";
import { buildBookingPlan } from "../sync/orders/build-booking-plan";
import { PT, customer, line, pay, sale, skr03Mappings } from "../sync/orders/fixtures.test-helpers";
import { summarizeSale } from "../sync/orders/summarize-sale";
import { getLink, saveLink } from "../sync/links";
import { eraseCustomer } from "./erase-customer";

const database = testDb();

async function world() {
  const tenantId = await createTestTenant(database);
  const erika = customer({ customerId: "77", firstName: "Erika", lastName: "Musterfrau" }, "Erika@Example.com");
  const s = sale("11.90", [line("11.90")], [pay(PT.cash!, "11.90")], { saleId: "501", customer: erika });
  const m = skr03Mappings();
  const plan = buildBookingPlan(summarizeSale(s, m), m, {
    kind: "sale", invoiceNumber: "LS-1-501", date: "2026-03-14", bookingTime: "10:05:00", shopId: "1", registerId: "1",
    debtor: { number: 10077, name: "Erika Musterfrau" }, dueDate: "2026-03-14", linkToSaleId: null, label: "Verkauf 501", comment: "Lightspeed-Verkauf 501",
  });
  await saveLink(database, tenantId, "sale", "501", { status: "done", targetIds: { plan } });
  await recordActivity(database, { tenantId, flow: "orders", entity: "sale", sourceId: "501", reference: "501", result: "created", message: "Debtor Erika Musterfrau (erika@example.com) created", sourcePayload: s, transformedPayload: { plan } }, { redact: false });
  await raiseNotification(database, { tenantId, severity: "error", code: "RECORD_INVALID", title: "Sale 501 of Erika Musterfrau", body: "erika@example.com bounced", dedupeKey: "x:1" });
  // Someone else's sale stays as it is.
  const other = sale("5.00", [line("5.00")], [pay(PT.cash!, "5.00")], { saleId: "502", customer: customer({ customerId: "78", firstName: "Max", lastName: "Mustermann" }, "max@example.com") });
  await recordActivity(database, { tenantId, flow: "orders", entity: "sale", sourceId: "502", reference: "502", result: "created", message: "Debtor Max Mustermann created", sourcePayload: other }, { redact: false });
  return tenantId;
}

async function everything(tenantId: string): Promise<string> {
  const rows = await Promise.all(["activity_log", "notifications", "sync_links"].map((t) => database.selectFrom(t as "activity_log").selectAll().where("tenant_id", "=", tenantId).execute()));
  return JSON.stringify(rows);
}

describe("erasing one customer's data (Art. 17 GDPR)", () => {
  it("by e-mail (any case): their name and e-mail are gone from log, inbox and stored plans; amounts, ids and others stay", async () => {
    const tenantId = await world();
    const result = await eraseCustomer(database, tenantId, "ERIKA@example.com");
    expect(result).toEqual({ logEntries: 1, notifications: 1, plans: 1 });
    const all = await everything(tenantId);
    for (const personal of ["Erika", "Musterfrau", "erika@example.com", "Erika@Example.com"]) expect(all, personal).not.toContain(personal);
    expect(all).toContain("Max Mustermann");
    const link = await getLink(database, tenantId, "sale", "501");
    expect(link!.target_ids.plan!.debtor).toEqual({ number: 10077, name: "[redacted]" });
    expect(link!.target_ids.plan!.receipt!.amount).toBe(1190);
  });

  it("by Lightspeed customer id; an unknown customer is a clear not-found", async () => {
    const tenantId = await world();
    expect((await eraseCustomer(database, tenantId, "77")).logEntries).toBe(1);
    expect(await everything(tenantId)).not.toContain("Musterfrau");
    await expect(eraseCustomer(database, tenantId, "nobody@example.com")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
