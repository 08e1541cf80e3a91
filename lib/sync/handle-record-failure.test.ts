import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { AppError } from "../errors/app-error";
import { handleRecordFailure } from "./handle-record-failure";

const database = testDb();

const sale = {
  saleId: "4711",
  customer: { customerId: "9", firstName: "Erika", lastName: "Musterfrau", company: "", contact: { emails: [{ address: "erika@@musterfrau" }], phones: [{ number: "+49 30 1234567" }] } },
};
// What chooseDebtor throws for a broken address: the message quotes the value.
const invalidEmail = () => new AppError("RECORD_INVALID", { detail: 'the e-mail address "erika@@musterfrau" of Erika Musterfrau is not valid', fixHint: "Correct the e-mail of Erika Musterfrau (erika@musterfrau.example) in Lightspeed." });

async function stored(tenantId: string) {
  const link = await database.selectFrom("sync_links").select("last_error").where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
  const log = await database.selectFrom("activity_log").select(["message", "source_payload"]).where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
  const inbox = await database.selectFrom("notifications").select(["title", "body", "fix_hint", "message"]).where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
  return JSON.stringify({ link, log, inbox });
}

describe("a failed record with PII redaction on", () => {
  it("keeps the person's name, e-mail and phone out of the link, the log message and the inbox", async () => {
    const tenantId = await createTestTenant(database);
    const ctx = { tenantId, runId: null, flow: "orders" as const, entity: "sale" as const, sourceId: "4711", reference: "4711", sourcePayload: sale, startedAt: Date.now(), redactPii: true };
    expect(await handleRecordFailure(database, ctx, invalidEmail())).toBe("record");
    const all = await stored(tenantId);
    for (const personal of ["Erika", "Musterfrau", "erika@@musterfrau", "erika@musterfrau.example", "1234567"]) expect(all, personal).not.toContain(personal);
    expect(all).toContain("[redacted]");
  });

  it("keeps them when the merchant switched redaction off", async () => {
    const tenantId = await createTestTenant(database);
    const ctx = { tenantId, runId: null, flow: "orders" as const, entity: "sale" as const, sourceId: "4711", reference: "4711", sourcePayload: sale, startedAt: Date.now(), redactPii: false };
    await handleRecordFailure(database, ctx, invalidEmail());
    expect(await stored(tenantId)).toContain("Erika Musterfrau");
  });
});
