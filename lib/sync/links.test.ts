import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { recordActivity } from "../activity/record-activity";
import { raiseNotification, resolveNotifications } from "../notifications/raise-notification";
import { readCursor, writeCursor } from "./cursors";
import { getLink, saveLink } from "./links";
import { addRunCounts, finishRun, startRun } from "./runs";

const database = testDb();

describe("sync state", () => {
  it("merges target ids step by step and counts failed attempts", async () => {
    const t = await createTestTenant(database);
    await saveLink(database, t, "sale", "277", { step: "receipt", targetIds: { receiptId: "456" } });
    await saveLink(database, t, "sale", "277", { step: "tenders", targetIds: { tenders: { "1": { transactionId: "789" } } } });
    await saveLink(database, t, "sale", "277", { lastError: { code: "UPSTREAM_UNAVAILABLE" } });
    await saveLink(database, t, "sale", "277", { lastError: { code: "UPSTREAM_UNAVAILABLE" } });
    const link = await getLink(database, t, "sale", "277");
    expect(link).toMatchObject({ step: "tenders", status: "pending", attempts: 2, target_ids: { receiptId: "456", tenders: { "1": { transactionId: "789" } } } });
    await saveLink(database, t, "sale", "277", { status: "done", lastError: null });
    expect((await getLink(database, t, "sale", "277"))?.status).toBe("done");
  });

  it("keeps one open notification per problem and counts repeats", async () => {
    const t = await createTestTenant(database);
    const n = { tenantId: t, severity: "error" as const, code: "MAPPING_MISSING", title: "x", body: "payment type PayPal", dedupeKey: "mapping:payment_type:7" };
    const a = await raiseNotification(database, n);
    const b = await raiseNotification(database, n);
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    const row = await database.selectFrom("notifications").select(["occurrences"]).where("id", "=", a.id).executeTakeFirstOrThrow();
    expect(row.occurrences).toBe(2);
    expect(await resolveNotifications(database, t, { dedupeKeyPrefix: "mapping:" })).toBe(1);
    const c = await raiseNotification(database, n);
    expect(c.created).toBe(true);
    expect(c.id).not.toBe(a.id);
  });

  it("redacts customer data in stored payloads when asked", async () => {
    const t = await createTestTenant(database);
    const source = { saleId: "1", customer: { customerId: "16", firstName: "Erika", contact: { emails: [{ address: "e@x.de" }] } }, payments: [{ paymentType: { name: "Bar" } }] };
    await recordActivity(database, { tenantId: t, flow: "orders", entity: "sale", sourceId: "1", result: "created", message: "ok", sourcePayload: source }, { redact: true });
    const row = await database.selectFrom("activity_log").select("source_payload").where("tenant_id", "=", t).executeTakeFirstOrThrow();
    const text = JSON.stringify(row.source_payload);
    expect(text).not.toContain("Erika");
    expect(text).not.toContain("e@x.de");
    expect(text).toContain('"customerId":"16"');
    expect(text).toContain('"name":"Bar"');
  });

  it("tracks runs and cursors", async () => {
    const t = await createTestTenant(database);
    const run = await startRun(database, { tenantId: t, flow: "orders", kind: "poll" });
    await addRunCounts(database, run, { created: 2, failed: 1 });
    await addRunCounts(database, run, { created: 3, skipped: 4 });
    await finishRun(database, run, "partial");
    const r = await database.selectFrom("sync_runs").selectAll().where("id", "=", run).executeTakeFirstOrThrow();
    expect(r.counts).toEqual({ created: 5, updated: 0, skipped: 4, failed: 1 });
    expect(r.status).toBe("partial");
    expect(await readCursor(database, t, "sales")).toBeNull();
    await writeCursor(database, t, "sales", { timeStamp: "2026-03-14T09:00:00.000Z", ids: [] });
    expect(await readCursor(database, t, "sales")).toEqual({ timeStamp: "2026-03-14T09:00:00.000Z", ids: [] });
  });
});

describe("poll schedules", () => {
  it("polls a tenant on its own interval, on its own minute", async () => {
    const { listTenantsForFlow } = await import("./list-tenants-for-flow");
    const { pollSlot } = await import("./poll-slot");
    const t = await createTestTenant(database);
    await database.insertInto("flow_settings").values({ tenant_id: t, flow: "orders", enabled: true, schedule: "60", settings: "{}", updated_at: new Date() }).execute();
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const slot = new Date(hour + pollSlot(t, "orders", 60) * 60_000);
    expect(await listTenantsForFlow(database, "orders", slot)).toContain(t);
    expect(await listTenantsForFlow(database, "orders", new Date(slot.getTime() + 20 * 60_000))).not.toContain(t);
    expect(await listTenantsForFlow(database, "orders", new Date(slot.getTime() + 60 * 60_000))).toContain(t);
  });
});
