import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { resetEnvCache } from "../env";
import { AppError } from "../errors/app-error";
import { loadBbCredentials, loadStoredBbCredentials, saveBbCredentials } from "./credentials";

const database = testDb();

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("BB credentials at rest", () => {
  it("stores own credentials sealed (never in clear) and loads them back", async () => {
    const tenantId = await createTestTenant(database);
    await saveBbCredentials(database, tenantId, { mode: "own", apiClient: "client-1", apiSecret: "secret-123456", apiKey: "key-123456" }, { check: { chart: "SKR03" } });
    const row = await database.selectFrom("connections").selectAll().where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
    expect(row.credentials_enc).not.toContain("secret-123456");
    expect(row).toMatchObject({ provider: "buchhaltungsbutler", status: "connected", credentials_version: 1 });
    expect(row.meta).toMatchObject({ mode: "own", check: { chart: "SKR03" } });
    expect(await loadBbCredentials(database, tenantId)).toEqual({ apiClient: "client-1", apiSecret: "secret-123456", apiKey: "key-123456" });
    await saveBbCredentials(database, tenantId, { mode: "own", apiClient: "client-2", apiSecret: "secret-2", apiKey: "key-2" });
    const again = await database.selectFrom("connections").select(["credentials_version"]).where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
    expect(again.credentials_version).toBe(2);
  });

  it("partner mode stores only the key and takes client/secret from BB_PARTNER_CLIENT/SECRET", async () => {
    const tenantId = await createTestTenant(database);
    await saveBbCredentials(database, tenantId, { mode: "partner", apiKey: "merchant-key", apiClient: "ignored", apiSecret: "ignored" });
    expect(await loadStoredBbCredentials(database, tenantId)).toEqual({ mode: "partner", apiKey: "merchant-key" });
    const saved = { client: process.env.BB_PARTNER_CLIENT, secret: process.env.BB_PARTNER_SECRET };
    try {
      process.env.BB_PARTNER_CLIENT = "our-client";
      process.env.BB_PARTNER_SECRET = "our-secret";
      resetEnvCache();
      expect(await loadBbCredentials(database, tenantId)).toEqual({ apiClient: "our-client", apiSecret: "our-secret", apiKey: "merchant-key" });
      delete process.env.BB_PARTNER_CLIENT;
      resetEnvCache();
      const e = await rejection(loadBbCredentials(database, tenantId));
      expect(e.code).toBe("BB_CREDENTIALS_INVALID");
      expect(e.detail).toContain("BB_PARTNER_CLIENT");
    } finally {
      if (saved.client === undefined) delete process.env.BB_PARTNER_CLIENT;
      else process.env.BB_PARTNER_CLIENT = saved.client;
      if (saved.secret === undefined) delete process.env.BB_PARTNER_SECRET;
      else process.env.BB_PARTNER_SECRET = saved.secret;
      resetEnvCache();
    }
  });

  it("answers BB_CREDENTIALS_INVALID when nothing is stored or the connection was disconnected", async () => {
    const tenantId = await createTestTenant(database);
    expect((await rejection(loadBbCredentials(database, tenantId))).code).toBe("BB_CREDENTIALS_INVALID");
    await saveBbCredentials(database, tenantId, { mode: "partner", apiKey: "k" });
    await database.updateTable("connections").set({ status: "disconnected" }).where("tenant_id", "=", tenantId).execute();
    expect((await rejection(loadBbCredentials(database, tenantId))).code).toBe("BB_CREDENTIALS_INVALID");
  });

  it("binds the sealed value to its tenant: copied to another tenant it does not open", async () => {
    const a = await createTestTenant(database);
    const b = await createTestTenant(database);
    await saveBbCredentials(database, a, { mode: "partner", apiKey: "key-of-a" });
    const row = await database.selectFrom("connections").select("credentials_enc").where("tenant_id", "=", a).executeTakeFirstOrThrow();
    await saveBbCredentials(database, b, { mode: "partner", apiKey: "key-of-b" });
    await database.updateTable("connections").set({ credentials_enc: row.credentials_enc }).where("tenant_id", "=", b).execute();
    expect((await rejection(loadBbCredentials(database, b))).code).toBe("BB_CREDENTIALS_INVALID");
  });

  it("refuses incomplete credentials with a clear message", async () => {
    const tenantId = await createTestTenant(database);
    const e = await rejection(saveBbCredentials(database, tenantId, { mode: "own", apiKey: "k", apiClient: "c" }));
    expect([e.code, e.detail]).toEqual(["INVALID_INPUT", expect.stringContaining("apiSecret")]);
  });
});
