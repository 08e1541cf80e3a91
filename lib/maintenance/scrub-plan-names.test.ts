import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { buildBookingPlan } from "../sync/orders/build-booking-plan";
import { PT, line, pay, sale, skr03Mappings } from "../sync/orders/fixtures.test-helpers";
import { summarizeSale } from "../sync/orders/summarize-sale";
import { getLink, saveLink } from "../sync/links";
import { scrubPlanNames } from "./scrub-plan-names";

const database = testDb();

function planFor(name: string) {
  const m = skr03Mappings();
  return buildBookingPlan(summarizeSale(sale("11.90", [line("11.90")], [pay(PT.cash!, "11.90")]), m), m, {
    kind: "sale", invoiceNumber: "LS-1-100", date: "2026-03-14", bookingTime: "10:05:00", shopId: "1", registerId: "1",
    debtor: { number: 10050, name }, dueDate: "2026-03-14", linkToSaleId: null, label: "Verkauf 100", comment: "Lightspeed-Verkauf 100",
  });
}

describe("plans under the retention job", () => {
  it("lose the customer's name once older than the retention; amounts, accounts and numbers stay, newer plans keep it", async () => {
    const tenantId = await createTestTenant(database);
    await saveLink(database, tenantId, "sale", "old", { status: "done", targetIds: { plan: planFor("Erika Musterfrau") } });
    await saveLink(database, tenantId, "sale", "new", { status: "done", targetIds: { plan: planFor("Max Mustermann") } });
    await database.updateTable("sync_links").set({ updated_at: new Date(Date.now() - 100 * 86_400_000) }).where("tenant_id", "=", tenantId).where("source_id", "=", "old").execute();

    expect(await scrubPlanNames(database, tenantId, 90)).toEqual({ scrubbed: 1 });
    const old = await getLink(database, tenantId, "sale", "old");
    expect(JSON.stringify(old!.target_ids)).not.toContain("Musterfrau");
    expect(old!.target_ids.plan!.debtor).toEqual({ number: 10050, name: "[redacted]" });
    expect(old!.target_ids.plan!.tenders[0]!.lines[0]).toMatchObject({ account: 10050, amount: 1190, text: "LS-1-100 [redacted]" });
    expect(old!.target_ids.plan!.receipt!.amount).toBe(1190);
    expect(JSON.stringify((await getLink(database, tenantId, "sale", "new"))!.target_ids)).toContain("Max Mustermann");
    // Once is enough.
    expect(await scrubPlanNames(database, tenantId, 90)).toEqual({ scrubbed: 0 });
  });
});
