import { afterAll, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { connect, startSandbox } from "./sandbox.test-helpers";
import { saveLightspeedTokens } from "./token-store";

/**
 * Issue 16 item 4: token problems on the API come as {error, error_description, hint} (no `message`, no
 * httpCode). The client acts on the status alone, whichever body comes.
 */
const database = testDb();
const open: LightspeedSandbox[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

describe.each(["oauth", "envelope"] as const)("API 401 bodies as %s", (authErrorBody) => {
  it("a refused access token is refreshed once and the call goes through", async () => {
    const sb = await startSandbox({ clock: manualClock(Date.now()), profile: "e2e", authErrorBody });
    open.push(sb);
    const c = await connect(database, sb);
    const fresh = await sb.issueTokens({ accountId: Number(c.accountId) });
    // A stored access token Lightspeed does not accept (e.g. its key was rotated), with a refresh token that works.
    await saveLightspeedTokens(database, c.tenantId, { accessToken: "not-a-jwt", refreshToken: fresh.refreshToken, expiresAt: new Date(Date.now() + 3_600_000), scopes: [], accountId: c.accountId });
    const shops = await c.newClient().listShops();
    expect(shops.length).toBe(2);
  });

  it("a refused access token whose refresh is refused too ends in LS_AUTH_REVOKED", async () => {
    const sb = await startSandbox({ clock: manualClock(Date.now()), profile: "e2e", authErrorBody });
    open.push(sb);
    const c = await connect(database, sb);
    await saveLightspeedTokens(database, c.tenantId, { accessToken: "not-a-jwt", refreshToken: "not-a-refresh-token", expiresAt: new Date(Date.now() + 3_600_000), scopes: [], accountId: c.accountId });
    await expect(c.newClient().listShops()).rejects.toMatchObject({ code: "LS_AUTH_REVOKED" });
  });
});
