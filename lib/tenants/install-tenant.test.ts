import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { testDb } from "@/scripts/test/db";
import { openLaunchSession } from "../auth/open-launch-session";
import { installTenant } from "./install-tenant";
import { purgeUninstalledTenants } from "./purge-uninstalled-tenants";

const database = testDb();

describe("tenant lifecycle", () => {
  it("reinstalling is idempotent: same tenant, settings kept, audit trail", async () => {
    const acct = `acct-${randomUUID()}`;
    const first = await installTenant(database, { lsAccountId: acct, actor: "lightspeed-user:1" });
    expect(first.isNew).toBe(true);
    await database.updateTable("tenants").set({ settings: JSON.stringify({ logRetentionDays: 30 }) }).where("id", "=", first.tenantId).execute();
    const again = await installTenant(database, { lsAccountId: acct, actor: "lightspeed-user:1" });
    expect(again).toMatchObject({ tenantId: first.tenantId, isNew: false });
    const row = await database.selectFrom("tenants").select("settings").where("id", "=", first.tenantId).executeTakeFirstOrThrow();
    expect(row.settings).toEqual({ logRetentionDays: 30 });
    const audit = await database.selectFrom("audit_log").select("action").where("tenant_id", "=", first.tenantId).execute();
    expect(audit.map((a) => a.action)).toEqual(["tenant.installed"]);
  });

  it("brings an uninstalled tenant back within the grace period, to the dashboard if it had finished setup", async () => {
    const acct = `acct-${randomUUID()}`;
    const t = await installTenant(database, { lsAccountId: acct, actor: "x" });
    await database.updateTable("tenants").set({ status: "uninstalled", onboarded_at: new Date(), purge_after: new Date(Date.now() + 86_400_000) }).where("id", "=", t.tenantId).execute();
    const back = await installTenant(database, { lsAccountId: acct, actor: "x" });
    expect(back).toMatchObject({ tenantId: t.tenantId, status: "active", isNew: false });
    const row = await database.selectFrom("tenants").select(["purge_after", "uninstalled_at"]).where("id", "=", t.tenantId).executeTakeFirstOrThrow();
    expect(row).toEqual({ purge_after: null, uninstalled_at: null });
  });

  it("opens a short launch session only for an installed account", async () => {
    const acct = `acct-${randomUUID()}`;
    await expect(openLaunchSession(database, { accountId: acct, employeeId: "2" })).rejects.toMatchObject({ code: "LAUNCH_INVALID" });
    const t = await installTenant(database, { lsAccountId: acct, actor: "x" });
    const now = new Date();
    const s = await openLaunchSession(database, { accountId: acct, employeeId: "2", saleId: "277" }, now);
    expect(s.tenantId).toBe(t.tenantId);
    expect(s.target).toBe("/activity?q=277");
    expect(s.expires.getTime() - now.getTime()).toBe(3600_000);
    const session = await database.selectFrom("Session").innerJoin("User", "User.id", "Session.userId").select(["User.tenant_id", "Session.expires"]).where("sessionToken", "=", s.sessionToken).executeTakeFirstOrThrow();
    expect(session.tenant_id).toBe(t.tenantId);
    await database.updateTable("tenants").set({ status: "uninstalled" }).where("id", "=", t.tenantId).execute();
    await expect(openLaunchSession(database, { accountId: acct, employeeId: "2" })).rejects.toMatchObject({ code: "LAUNCH_INVALID" });
  });

  it("purges only tenants whose grace period has ended, keeping an audit entry", async () => {
    const due = await installTenant(database, { lsAccountId: `acct-${randomUUID()}`, actor: "x" });
    const grace = await installTenant(database, { lsAccountId: `acct-${randomUUID()}`, actor: "x" });
    const now = new Date();
    await database.updateTable("tenants").set({ status: "uninstalled", purge_after: new Date(now.getTime() - 1000) }).where("id", "=", due.tenantId).execute();
    await database.updateTable("tenants").set({ status: "uninstalled", purge_after: new Date(now.getTime() + 86_400_000) }).where("id", "=", grace.tenantId).execute();
    await database.insertInto("activity_log").values({ tenant_id: due.tenantId, flow: "orders", entity: "sale", result: "created" }).execute();
    const { purged } = await purgeUninstalledTenants(database, now);
    expect(purged).toContain(due.tenantId);
    expect(purged).not.toContain(grace.tenantId);
    expect(await database.selectFrom("tenants").select("id").where("id", "=", due.tenantId).executeTakeFirst()).toBeUndefined();
    expect(await database.selectFrom("activity_log").select("id").where("tenant_id", "=", due.tenantId).executeTakeFirst()).toBeUndefined();
    const audit = await database.selectFrom("audit_log").select("details").where("action", "=", "tenant.purged").execute();
    expect(audit.some((a) => (a.details as { tenantId?: string }).tenantId === due.tenantId)).toBe(true);
  });
});
