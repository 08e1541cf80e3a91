import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { saveBbCredentials } from "../buchhaltungsbutler";
import { AppError } from "../errors/app-error";
import { pauseTenant, resumeTenant } from "./pause-tenant";
import { retireRevokedTenants } from "./retire-revoked-tenants";

const database = testDb();
const DAY = 86_400_000;

async function pausedTenant(code: "LS_AUTH_REVOKED" | "BB_CREDENTIALS_INVALID", daysAgo: number): Promise<string> {
  const id = await createTestTenant(database);
  await saveBbCredentials(database, id, { mode: "own", apiKey: "key-0001-abcd", apiClient: "client", apiSecret: "secret-0001" });
  await pauseTenant(database, id, new AppError(code));
  await database.updateTable("tenants").set({ paused_at: new Date(Date.now() - daysAgo * DAY) }).where("id", "=", id).execute();
  return id;
}

const tenant = (id: string) => database.selectFrom("tenants").select(["status", "purge_after", "paused_at"]).where("id", "=", id).executeTakeFirstOrThrow();

describe("tenants whose Lightspeed access was revoked", () => {
  it("are retired after the grace period: uninstalled, credentials forgotten, purge scheduled", async () => {
    const revoked = await pausedTenant("LS_AUTH_REVOKED", 15);
    const recent = await pausedTenant("LS_AUTH_REVOKED", 3);
    const otherCause = await pausedTenant("BB_CREDENTIALS_INVALID", 40);
    const { retired } = await retireRevokedTenants(database);
    expect(retired).toContain(revoked);
    expect(retired).not.toContain(recent);
    expect(retired).not.toContain(otherCause);
    const t = await tenant(revoked);
    expect(t.status).toBe("uninstalled");
    expect(t.purge_after).not.toBeNull();
    const creds = await database.selectFrom("connections").select("credentials_enc").where("tenant_id", "=", revoked).execute();
    expect(creds.every((c) => c.credentials_enc === null)).toBe(true);
    expect((await tenant(recent)).status).toBe("paused");
    expect((await tenant(otherCause)).status).toBe("paused");
  });

  it("keeps the first pause's time while the pause lasts and clears it on resume", async () => {
    const id = await pausedTenant("LS_AUTH_REVOKED", 10);
    const first = (await tenant(id)).paused_at;
    await pauseTenant(database, id, new AppError("LS_AUTH_REVOKED"));
    expect((await tenant(id)).paused_at).toEqual(first);
    await resumeTenant(database, id, ["LS_AUTH_REVOKED"], "test");
    expect((await tenant(id)).paused_at).toBeNull();
  });
});
