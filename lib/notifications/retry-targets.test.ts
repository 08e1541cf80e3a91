import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { raiseNotification } from "./raise-notification";
import { retryTargetsFor } from "./retry-targets";

const database = testDb();

describe("retry targets of an inbox item", () => {
  it("#14.11 'Retry' on an ignored edit sends that sale again on its own (its link is done, not failed, so a retry of failed records touched nothing)", async () => {
    const tenantId = await createTestTenant(database);
    const raised = await raiseNotification(database, {
      tenantId,
      severity: "warning",
      code: "SALE_EDIT_IGNORED",
      message: { code: "sale_edit_ignored", params: { reference: "220001", invoiceNumber: "LS-1-220001", postedCents: 1000, nowCents: 1000 } },
      flow: "orders",
      entity: "sale",
      sourceId: "4711",
      dedupeKey: "edit-ignored:sale:4711",
    });
    const targets = await retryTargetsFor(database, tenantId, raised.id);
    expect(targets).toEqual({ flow: "orders", entity: "sale", sourceIds: ["4711"], resyncSaleId: "4711" });
  });
});
