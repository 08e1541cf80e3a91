import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpCatcher, type SmtpCatcher } from "@/scripts/lib/smtp-catcher";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { resetEnvCache } from "../env";
import { saveLink } from "../sync/links";
import { countUnread, dismissNotification, listFatalProblems, listNotifications, markNotificationsRead } from "./list-notifications";
import { raiseNotification } from "./raise-notification";
import { retryTargetsFor } from "./retry-targets";
import { sendPendingNotificationEmails, sendTestEmail } from "./send-notification-emails";

const database = testDb();
let catcher: SmtpCatcher;

beforeAll(async () => {
  catcher = await startSmtpCatcher();
  process.env.SMTP_URL = `smtp://127.0.0.1:${catcher.smtpPort}`;
  resetEnvCache();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  resetEnvCache();
  await catcher.close();
});

const problem = (tenantId: string, key: string, over: Partial<Parameters<typeof raiseNotification>[1]> = {}) =>
  raiseNotification(database, { tenantId, severity: "error", code: "MAPPING_MISSING", title: `payment type "PayPal" is not mapped (${key})`, body: "", fixHint: "Map PayPal", link: "/mappings", flow: "orders", entity: "sale", dedupeKey: key, ...over });

describe("inbox queries", () => {
  it("counts unread per tenant, marks read, keeps fatal problems until fixed", async () => {
    const t = await createTestTenant(database);
    const other = await createTestTenant(database);
    const a = await problem(t, "k1");
    await problem(t, "k1");
    await problem(t, "k2");
    const fatal = await problem(t, "tenant:LS_AUTH_REVOKED", { severity: "fatal", code: "LS_AUTH_REVOKED" });
    await problem(other, "k1");
    expect(await countUnread(database, t)).toBe(3);
    const list = await listNotifications(database, t);
    expect(list.find((n) => n.id === a.id)?.occurrences).toBe(2);
    expect((await listFatalProblems(database, t)).map((n) => n.id)).toEqual([fatal.id]);
    expect(await markNotificationsRead(database, other, [a.id])).toBe(0);
    expect(await markNotificationsRead(database, t, [a.id])).toBe(1);
    expect(await countUnread(database, t)).toBe(2);
    expect(await dismissNotification(database, t, fatal.id)).toBe(false);
    expect(await dismissNotification(database, t, a.id)).toBe(true);
    expect((await listNotifications(database, t)).map((n) => n.id)).not.toContain(a.id);
  });

  it("finds exactly the still-failed records behind a notification for bulk retry", async () => {
    const t = await createTestTenant(database);
    const n = await problem(t, "mapping:payment_type:7");
    for (const id of ["101", "102", "103"]) {
      await saveLink(database, t, "sale", id, { status: "failed", lastError: { code: "MAPPING_MISSING", dedupeKey: id === "103" ? "other" : "mapping:payment_type:7" } });
    }
    await saveLink(database, t, "sale", "102", { status: "done", lastError: null });
    expect(await retryTargetsFor(database, t, n.id)).toEqual({ flow: "orders", entity: "sale", sourceIds: ["101"] });
    const other = await createTestTenant(database);
    expect(await retryTargetsFor(database, other, n.id)).toBeNull();
  });
});

describe("notification e-mails", () => {
  it("sends a test e-mail and one digest per tenant to the configured address, once", async () => {
    const t = await createTestTenant(database, { name: "Mail Laden GmbH", settings: { notificationEmail: "owner@mail-laden.example", redactPii: true } });
    const silent = await createTestTenant(database);
    await problem(t, "m1");
    await problem(t, "m2", { severity: "fatal", code: "BB_CREDENTIALS_INVALID" });
    await problem(t, "m3", { severity: "info", code: "NOT_FOUND" });
    await problem(silent, "m1");
    await sendTestEmail(database, t);
    const before = catcher.messages.length;
    const first = await sendPendingNotificationEmails(database);
    expect(first.notifications).toBeGreaterThanOrEqual(2);
    const mine = catcher.messages.slice(before).filter((m) => m.to.includes("owner@mail-laden.example"));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.subject).toContain("2 Problem");
    expect(mine[0]!.text).toContain("PayPal");
    expect(catcher.messages.some((m) => m.subject.includes("Test-E-Mail"))).toBe(true);
    await sendPendingNotificationEmails(database);
    expect(catcher.messages.slice(before).filter((m) => m.to.includes("owner@mail-laden.example"))).toHaveLength(1);
    const rows = await database.selectFrom("notifications").select(["emailed_at"]).where("tenant_id", "=", silent).execute();
    expect(rows.every((r) => r.emailed_at === null)).toBe(true);
  });

  it("one tenant's bouncing address fails only that tenant's digest: inbox item, retry an hour later, the others are sent", async () => {
    const broken = await createTestTenant(database, { name: "Bounce GmbH", settings: { notificationEmail: "owner@bounce.invalid" } });
    const fine = await createTestTenant(database, { name: "Fine GmbH", settings: { notificationEmail: "owner@fine.example" } });
    // The broken tenant's problems are older: before, they headed the queue and the exception stopped the loop.
    await problem(broken, "b1");
    await problem(fine, "f1");
    const before = catcher.messages.length;
    const run = await sendPendingNotificationEmails(database);
    expect(run.failed).toBe(1);
    expect(catcher.messages.slice(before).filter((m) => m.to.includes("owner@fine.example"))).toHaveLength(1);
    const inbox = await database.selectFrom("notifications").select(["severity", "message", "link"]).where("tenant_id", "=", broken).where("dedupe_key", "=", "email:failed").where("resolved_at", "is", null).execute();
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ severity: "warning", link: "/settings", message: { code: "email_failed", params: { address: "owner@bounce.invalid" } } });

    // Within the hour the broken tenant is not tried again; after it, it is.
    expect((await sendPendingNotificationEmails(database)).failed).toBe(0);
    expect((await sendPendingNotificationEmails(database, { now: new Date(Date.now() + 61 * 60_000) })).failed).toBe(1);

    // Fixed address → sent, and the inbox item clears itself.
    await database.updateTable("tenants").set({ settings: JSON.stringify({ notificationEmail: "owner@fixed.example" }) }).where("id", "=", broken).execute();
    const later = await sendPendingNotificationEmails(database, { now: new Date(Date.now() + 125 * 60_000) });
    expect(later.failed).toBe(0);
    expect(catcher.messages.some((m) => m.to.includes("owner@fixed.example"))).toBe(true);
    const open = await database.selectFrom("notifications").select("id").where("tenant_id", "=", broken).where("dedupe_key", "=", "email:failed").where("resolved_at", "is", null).execute();
    expect(open).toEqual([]);
  });
});
