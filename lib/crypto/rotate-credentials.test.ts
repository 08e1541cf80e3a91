import crypto from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { saveBbCredentials, loadBbCredentials } from "@/lib/buchhaltungsbutler";
import { loadLightspeedCredentials, saveLightspeedTokens } from "@/lib/lightspeed";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { env, resetEnvCache } from "../env";
import { rotateCredentials } from "./rotate-credentials";

const database = testDb();
const SECRETS = {
  access: "ls-access-token-PLAINTEXT-1234567890",
  refresh: "ls-refresh-token-PLAINTEXT-0987654321",
  apiKey: "bb-api-key-PLAINTEXT-abcdef",
  apiSecret: "bb-api-secret-PLAINTEXT-ghijkl",
};

async function connectBoth(tenantId: string) {
  await saveLightspeedTokens(database, tenantId, { accessToken: SECRETS.access, refreshToken: SECRETS.refresh, expiresAt: new Date(Date.now() + 3_600_000), scopes: ["employee:all"], accountId: "4711" });
  await saveBbCredentials(database, tenantId, { mode: "own", apiKey: SECRETS.apiKey, apiClient: "client-x", apiSecret: SECRETS.apiSecret });
}

describe("credentials at rest", () => {
  it("a dump of the connections table contains no token, secret or key", async () => {
    const tenantId = await createTestTenant(database);
    await connectBoth(tenantId);
    const dump = JSON.stringify((await sql`select * from connections where tenant_id = ${tenantId}`.execute(database)).rows);
    for (const value of Object.values(SECRETS)) expect(dump).not.toContain(value);
    expect(dump).toContain("v1.");
  });

  it("still decrypts old rows after a key rotation, then re-encrypts them with the new key", async () => {
    const tenantId = await createTestTenant(database);
    await connectBoth(tenantId);
    const original = process.env.ENCRYPTION_KEYS;
    const oldKeys = original ?? `dev:${Buffer.alloc(32).toString("base64")}`;
    const newKey = `k${Date.now()}:${crypto.randomBytes(32).toString("base64")}`;
    try {
      process.env.ENCRYPTION_KEYS = `${newKey},${oldKeys}`;
      resetEnvCache();
      expect((await loadLightspeedCredentials(database, tenantId)).refreshToken).toBe(SECRETS.refresh);
      expect((await loadBbCredentials(database, tenantId)).apiKey).toBe(SECRETS.apiKey);

      const result = await rotateCredentials(database, { tenantId });
      expect(result.rotated).toBeGreaterThanOrEqual(2);
      expect(result.remaining).toBe(0);
      const rows = await database.selectFrom("connections").select("credentials_enc").where("tenant_id", "=", tenantId).execute();
      for (const r of rows) expect(r.credentials_enc!.split(".")[1]).toBe(env().ENCRYPTION_KEYS[0]!.id);

      // The old key can go now.
      process.env.ENCRYPTION_KEYS = newKey;
      resetEnvCache();
      expect((await loadLightspeedCredentials(database, tenantId)).accessToken).toBe(SECRETS.access);
      expect((await loadBbCredentials(database, tenantId)).apiSecret).toBe(SECRETS.apiSecret);
    } finally {
      if (original === undefined) delete process.env.ENCRYPTION_KEYS;
      else process.env.ENCRYPTION_KEYS = original;
      resetEnvCache();
    }
  });

  it("a value moved to another tenant's row does not decrypt", async () => {
    const a = await createTestTenant(database);
    const b = await createTestTenant(database);
    await connectBoth(a);
    await connectBoth(b);
    const rowA = await database.selectFrom("connections").select("credentials_enc").where("tenant_id", "=", a).where("provider", "=", "buchhaltungsbutler").executeTakeFirstOrThrow();
    await database.updateTable("connections").set({ credentials_enc: rowA.credentials_enc }).where("tenant_id", "=", b).where("provider", "=", "buchhaltungsbutler").execute();
    await expect(loadBbCredentials(database, b)).rejects.toThrow();
  });

  it("skips and reports a row it cannot open, and rotates the others", async () => {
    const good = await createTestTenant(database);
    const broken = await createTestTenant(database);
    await connectBoth(good);
    await connectBoth(broken);
    const original = process.env.ENCRYPTION_KEYS;
    const oldKeys = original ?? `dev:${Buffer.alloc(32).toString("base64")}`;
    const newKey = `n${Date.now()}:${crypto.randomBytes(32).toString("base64")}`;
    // Sealed with a key that is configured nowhere (e.g. removed before rotation finished).
    const orphan = `v1.gone.${crypto.randomBytes(12).toString("base64url")}.${crypto.randomBytes(20).toString("base64url")}.${crypto.randomBytes(16).toString("base64url")}`;
    const brokenRow = await database.updateTable("connections").set({ credentials_enc: orphan }).where("tenant_id", "=", broken).where("provider", "=", "buchhaltungsbutler").returning("id").executeTakeFirstOrThrow();
    try {
      process.env.ENCRYPTION_KEYS = `${newKey},${oldKeys}`;
      resetEnvCache();
      const result = await rotateCredentials(database, { tenantId: good });
      expect(result).toMatchObject({ rotated: 2, remaining: 0, failed: [] });
      const both = await rotateCredentials(database, { tenantId: broken });
      expect(both.rotated).toBe(1);
      expect(both.remaining).toBe(1);
      expect(both.failed).toEqual([{ connectionId: brokenRow.id, tenantId: broken, reason: expect.stringContaining("gone") }]);
    } finally {
      if (original === undefined) delete process.env.ENCRYPTION_KEYS;
      else process.env.ENCRYPTION_KEYS = original;
      resetEnvCache();
    }
  });
});
