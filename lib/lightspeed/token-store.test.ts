import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openJson } from "@/lib/crypto/secret-box";
import { testDb, createTestTenant } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { connect, startSandbox } from "./sandbox.test-helpers";
import { loadLightspeedCredentials, markLightspeedNeedsReauth, saveLightspeedTokens, type StoredCredentials } from "./token-store";

const database = testDb();
const clock = manualClock(Date.now());
let sb: LightspeedSandbox;

beforeAll(async () => {
  sb = await startSandbox({ clock, profile: "e2e" });
});
afterAll(() => sb.close());

const row = (tenantId: string) => database.selectFrom("connections").selectAll().where("tenant_id", "=", tenantId).where("provider", "=", "lightspeed").executeTakeFirstOrThrow();

describe("token store", () => {
  it("saves sealed tokens on the connection row, bound to the tenant, bumping the version on every save", async () => {
    const tenantId = await createTestTenant(database);
    const expiresAt = new Date(Date.now() + 3_600_000);
    await saveLightspeedTokens(database, tenantId, { accessToken: "access-token-plaintext-1", refreshToken: "refresh-token-plaintext-1", expiresAt, scopes: ["employee:all"], accountId: "123" });
    const first = await row(tenantId);
    expect(first).toMatchObject({ status: "connected", external_id: "123", credentials_version: 1, scopes: "employee:all" });
    // Long, distinctive plaintexts: a two-letter token would turn up in random base64 now and then.
    expect(first.credentials_enc).not.toContain("access-token-plaintext");
    expect(first.credentials_enc).not.toContain("refresh-token-plaintext");
    expect(openJson(first.credentials_enc!, undefined, tenantId)).toEqual({ accessToken: "access-token-plaintext-1", refreshToken: "refresh-token-plaintext-1" });
    // Sealed with the tenant id as associated data: another tenant's row cannot be swapped in.
    expect(() => openJson(first.credentials_enc!, undefined, "another-tenant")).toThrow();
    await markLightspeedNeedsReauth(database, tenantId, "revoked in Lightspeed");
    expect(await row(tenantId)).toMatchObject({ status: "needs_reauth", last_error: { code: "LS_AUTH_REVOKED", detail: "revoked in Lightspeed" } });
    await expect(loadLightspeedCredentials(database, tenantId)).rejects.toMatchObject({ code: "LS_AUTH_REVOKED" });
    await saveLightspeedTokens(database, tenantId, { accessToken: "a2", refreshToken: "r2", expiresAt, scopes: [], accountId: "123" });
    expect(await row(tenantId)).toMatchObject({ status: "connected", credentials_version: 2, last_error: null });
  });

  it("refreshes only when the token expires, form-encoded without scope, and stores the new pair before using it", async () => {
    const c = await connect(database, sb);
    await c.client.listShops();
    expect(sb.oauth.counters.refreshes).toBe(0);
    const before = await row(c.tenantId);
    clock.advance(3_600_000);
    const refreshesBefore = sb.oauth.counters.refreshes;
    await c.client.listShops();
    expect(sb.oauth.counters.refreshes).toBe(refreshesBefore + 1);
    const after = await row(c.tenantId);
    expect(after.credentials_version).toBe(before.credentials_version + 1);
    expect(after.token_expires_at!.getTime()).toBe(clock.now() + 3_600_000);
    expect(openJson<{ refreshToken: string }>(after.credentials_enc!, undefined, c.tenantId).refreshToken).not.toBe(openJson<{ refreshToken: string }>(before.credentials_enc!, undefined, c.tenantId).refreshToken);
    expect(c.client.stats().refreshes).toBe(1);
  });

  it("refresh race: 20 concurrent requests with an expired token in separate workers → one refresh, all succeed, and it refreshes again later", async () => {
    const c = await connect(database, sb);
    clock.advance(3_600_000);
    const refreshesBefore = sb.oauth.counters.refreshes;
    // Four workers that share nothing but the database (their own in-flight maps), five requests each.
    const workers = Array.from({ length: 4 }, () => c.newClient({ tokenInflight: new Map<string, Promise<StoredCredentials>>() }));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => workers[i % 4]!.listPaymentTypes()));
    expect(results.every((r) => r.length === 7)).toBe(true);
    expect(sb.oauth.counters.refreshes - refreshesBefore).toBe(1);
    expect(sb.oauth.counters.refreshFailures).toBe(0);
    expect((await row(c.tenantId)).status).toBe("connected");
    // The chain is intact: an hour later it refreshes again, once.
    clock.advance(3_600_000);
    await Promise.all(workers.map((w) => w.listShops()));
    expect(sb.oauth.counters.refreshes - refreshesBefore).toBe(2);
  });

  it("a 401 with a token the row still holds triggers one refresh; a newer stored token is simply used", async () => {
    const c = await connect(database, sb);
    await c.client.listShops();
    // Lightspeed has revoked the access token (e.g. rotated by another worker's refresh), the refresh token still works.
    for (const a of sb.oauth.accessTokens.values()) a.revoked = true;
    const refreshesBefore = sb.oauth.counters.refreshes;
    await c.client.listShops();
    expect(sb.oauth.counters.refreshes).toBe(refreshesBefore + 1);
    // Another worker refreshed meanwhile: this client's cached token gets a 401 and it picks up the stored pair.
    const other = c.newClient();
    clock.advance(3_600_000);
    await other.listShops();
    const n = sb.oauth.counters.refreshes;
    await c.client.listShops();
    expect(sb.oauth.counters.refreshes).toBe(n);
  });

  it("a dead refresh token marks the connection needs_reauth and stops with LS_AUTH_REVOKED", async () => {
    const c = await connect(database, sb);
    sb.oauth.revokeAll(Number(c.accountId));
    await expect(c.client.listShops()).rejects.toMatchObject({ code: "LS_AUTH_REVOKED", kind: "tenant" });
    expect(await row(c.tenantId)).toMatchObject({ status: "needs_reauth", last_error: { code: "LS_AUTH_REVOKED" } });
    // And nothing more is sent until the merchant reconnects.
    const requests = sb.stats().apiRequests;
    await expect(c.newClient().listShops()).rejects.toMatchObject({ code: "LS_AUTH_REVOKED" });
    expect(sb.stats().apiRequests).toBe(requests);
  });

  it("a 401 right after a refresh means the grant is gone: LS_AUTH_REVOKED", async () => {
    const c = await connect(database, sb);
    await c.client.listShops();
    // Every new access token is refused (employee locked), while refreshing itself still works.
    sb.faults.injectOnce({ status: 401, times: 2, path: "/API/", message: "Access token could not be verified" });
    await expect(c.client.listShops()).rejects.toMatchObject({ code: "LS_AUTH_REVOKED" });
    expect((await row(c.tenantId)).status).toBe("needs_reauth");
  });

  it("revoke() revokes at Lightspeed and disconnects", async () => {
    const c = await connect(database, sb);
    const revokes = sb.oauth.counters.revokes;
    await c.client.revoke();
    expect(sb.oauth.counters.revokes).toBe(revokes + 1);
    expect(await row(c.tenantId)).toMatchObject({ status: "disconnected", credentials_enc: null });
    await expect(c.newClient().listShops()).rejects.toMatchObject({ code: "LS_AUTH_REVOKED" });
  });
});
