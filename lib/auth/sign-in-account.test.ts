import { randomInt } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { testDb } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { startLightspeedSandbox, type LightspeedSandbox, type LightspeedSandboxOptions } from "@/sandbox/lightspeed/server";
import { parseNoticeMessage, renderNotice } from "@/lib/notifications/notice-message";
import { flowMayRun } from "@/lib/sync/list-tenants-for-flow";
import { completeLightspeedSignIn } from "./complete-lightspeed-sign-in";

/**
 * Issue 16 item 1: sign-in reads the account after consent. Lightspeed's endpoint page shows a flat body for
 * `Account/{id}.json`; the list endpoint wraps it. Sign-in must name the tenant from either.
 */
const database = testDb();
const saved = { ...process.env };
let sb: LightspeedSandbox | undefined;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});
afterAll(() => {
  process.env = saved;
  resetEnvCache();
});

async function signInAgainst(accountBody: LightspeedSandboxOptions["accountBody"], currency?: string, before?: (sb: LightspeedSandbox) => void) {
  // An account id of its own, so that this tenant is not shared with other test files on the same database.
  const id = randomInt(100_000_000, 900_000_000);
  sb = await startLightspeedSandbox({ clock: manualClock(Date.now()), profile: "e2e", accountBody, accounts: [{ id, name: "Musterladen Berlin GmbH", currency }] });
  Object.assign(process.env, { LS_API_BASE_URL: sb.url, LS_AUTH_BASE_URL: sb.url, LS_CLIENT_ID: sb.clients[0]!.clientId, LS_CLIENT_SECRET: sb.clients[0]!.clientSecret });
  resetEnvCache();
  before?.(sb);
  const t = await sb.issueTokens({ accountId: id, scopes: ["employee:all"] });
  const claims = decodeJwt(t.accessToken);
  const { tenantId } = await completeLightspeedSignIn(database, {
    acct: String(claims.acct), sub: String(claims.sub), scope: String(claims.scope).split(" "),
    accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: Math.floor(Date.now() / 1000) + t.expiresIn,
  });
  const tenant = await database.selectFrom("tenants").select(["name", "ls_account_id"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
  const state = await database.selectFrom("tenants").select(["status", "paused_reason"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
  const conn = await database.selectFrom("connections").select("meta").where("tenant_id", "=", tenantId).where("provider", "=", "lightspeed").executeTakeFirstOrThrow();
  return { id, tenantId, tenant, state, meta: conn.meta as { accountName?: string; currency?: string; shops?: unknown[] } };
}

describe("Lightspeed sign-in reads the account", () => {
  it("from the documented flat body (account id from the token's acct claim)", async () => {
    const { id, tenant, meta } = await signInAgainst("flat");
    expect(tenant).toEqual({ name: "Musterladen Berlin GmbH", ls_account_id: String(id) });
    expect(meta).toMatchObject({ accountName: "Musterladen Berlin GmbH", currency: "EUR" });
    expect(meta.shops).toHaveLength(2);
  });

  it("from the wrapped body", async () => {
    const { tenant, meta } = await signInAgainst("wrapped");
    expect(tenant.name).toBe("Musterladen Berlin GmbH");
    expect(meta).toMatchObject({ accountName: "Musterladen Berlin GmbH", currency: "EUR" });
  });
});

describe("#17.7 currency", () => {
  it("refuses a Lightspeed account that does not keep its books in euro: the tenant is paused with a notice in both languages, and no flow may run", async () => {
    const { tenantId, state, meta } = await signInAgainst("flat", "CHF");
    expect(meta.currency).toBe("CHF");
    expect(state).toEqual({ status: "paused", paused_reason: "LS_CURRENCY_UNSUPPORTED" });
    const notice = await database.selectFrom("notifications").select(["code", "message", "title", "fix_hint"]).where("tenant_id", "=", tenantId).where("resolved_at", "is", null).executeTakeFirstOrThrow();
    const message = parseNoticeMessage(notice.message);
    expect(message).toEqual({ code: "tenant_paused", params: { error: "LS_CURRENCY_UNSUPPORTED" } });
    const de = renderNotice({ code: notice.code, message, title: notice.title, fixHint: notice.fix_hint }, "de");
    const en = renderNotice({ code: notice.code, message, title: notice.title, fixHint: notice.fix_hint }, "en");
    expect(de.headline).toBe("Die Synchronisierung ist pausiert");
    expect(de.text).toContain("nicht in Euro");
    expect(en.text).toContain("does not keep its books in euro");
    for (const flow of ["orders", "products", "stock"] as const) {
      await database.insertInto("flow_settings").values({ tenant_id: tenantId, flow, enabled: true, settings: "{}", updated_at: new Date() }).onConflict((oc) => oc.columns(["tenant_id", "flow"]).doUpdateSet({ enabled: true })).execute();
      expect(await flowMayRun(database, tenantId, flow)).toBe(false);
    }
  });

  it("refuses it even when the rest of what sign-in reads (the shops) cannot be read", async () => {
    const { state } = await signInAgainst("flat", "CHF", (sb) => sb.faults.injectOnce({ status: 403, path: "/Shop" }));
    expect(state).toEqual({ status: "paused", paused_reason: "LS_CURRENCY_UNSUPPORTED" });
  });

  it("a euro account connects as before", async () => {
    const { state } = await signInAgainst("flat", "EUR");
    expect(state.paused_reason).toBeNull();
    expect(state.status).not.toBe("paused");
  });
});
