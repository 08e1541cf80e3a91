import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pendingLaunchCookieName, sessionCookie } from "@/lib/auth/cookies";
import { cappedExpiry, safeTarget } from "@/lib/auth/launch-switch";
import { resetEnvCache } from "@/lib/env";
import { clearJwksCache } from "@/lib/lightspeed/jwks";
import { installTenant } from "@/lib/tenants/install-tenant";
import { updateTenantSettings } from "@/lib/tenants/tenant-settings";
import { testDb } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { startLightspeedSandbox, type LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { GET } from "./route";
import { POST } from "./switch/route";

/** Launch links as an attacker would try them: replayed, kept alive past their hour, planted for another account. */

const APP = "http://localhost:3000";
const database = testDb();
const clock = manualClock(Date.now());
let sb: LightspeedSandbox;
let accountA: number;
let accountB: number;
let tenantA: string;

beforeAll(async () => {
  sb = await startLightspeedSandbox({ clock, profile: "e2e", appUrl: APP, accounts: [{}, {}] });
  [accountA, accountB] = sb.accounts.map((a) => a.id) as [number, number];
  process.env.LS_LAUNCH_JWKS_URL = `${sb.url}/.well-known/jwks`;
  process.env.APP_URL = APP;
  resetEnvCache();
  clearJwksCache();
  tenantA = (await installTenant(database, { lsAccountId: String(accountA), actor: "test" })).tenantId;
  await installTenant(database, { lsAccountId: String(accountB), actor: "test" });
});

afterAll(async () => {
  delete process.env.LS_LAUNCH_JWKS_URL;
  resetEnvCache();
  await sb.close();
});

const cookieName = () => sessionCookie().name;
const cookieValue = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);

async function launch(url: string, cookie?: string): Promise<Response> {
  const u = new URL(url);
  return GET(new NextRequest(`${APP}${u.pathname}${u.search}`, { headers: cookie ? { cookie } : {} }));
}

function answer(decision: string, cookie: string, origin = APP): Promise<Response> {
  const body = new URLSearchParams({ decision, target: "/activity" });
  return POST(new NextRequest(`${APP}/launch/switch`, { method: "POST", body, headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" } }));
}

describe("launch links", () => {
  it("open one session; the same link again is refused with 401", async () => {
    const url = sb.launchUrl({ accountId: accountA, employeeId: 2 });
    const first = await launch(url);
    expect(first.status).toBe(303);
    expect(cookieValue(first, cookieName())).toBeTruthy();
    const replay = await launch(url);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/already used|schon benutzt/);
  });

  it("a launch session ends after its hour however often it is used", async () => {
    const res = await launch(sb.launchUrl({ accountId: accountA, employeeId: 3 }));
    const token = cookieValue(res, cookieName())!;
    const row = await database.selectFrom("Session").select(["expires", "hard_expires_at"]).where("sessionToken", "=", token).executeTakeFirstOrThrow();
    expect(row.hard_expires_at?.getTime()).toBe(row.expires.getTime());
    // What Auth.js asks for when it slides the session on use: now + 8 h.
    const slid = new Date(Date.now() + 8 * 3600_000);
    expect((await cappedExpiry(database, token, slid))?.getTime()).toBe(row.hard_expires_at!.getTime());
  });

  it("asks before a launch for another account replaces the open session, and switches only when told", async () => {
    const a = await launch(sb.launchUrl({ accountId: accountA, employeeId: 4 }));
    const sessionA = `${cookieName()}=${cookieValue(a, cookieName())}`;
    const asked = await launch(sb.launchUrl({ accountId: accountB, employeeId: 4 }), sessionA);
    expect(asked.status).toBe(200);
    expect(cookieValue(asked, cookieName())).toBeUndefined();
    const html = await asked.text();
    expect(html).toContain('action="/launch/switch"');
    const pending = cookieValue(asked, pendingLaunchCookieName())!;
    const both = `${sessionA}; ${pendingLaunchCookieName()}=${pending}`;

    // A form posted from another site, or without the parked session, is refused.
    expect((await answer("switch", both, "https://evil.example")).status).toBe(401);
    expect((await answer("switch", sessionA)).status).toBe(401);

    const switched = await answer("switch", both);
    expect(switched.status).toBe(303);
    expect(switched.headers.get("location")).toBe("/activity");
    expect(cookieValue(switched, cookieName())).toBe(pending);
  });

  it("staying discards the launch's session", async () => {
    const a = await launch(sb.launchUrl({ accountId: accountA, employeeId: 5 }));
    const sessionA = `${cookieName()}=${cookieValue(a, cookieName())}`;
    const asked = await launch(sb.launchUrl({ accountId: accountB, employeeId: 5 }), sessionA);
    const pending = cookieValue(asked, pendingLaunchCookieName())!;
    const stayed = await answer("stay", `${sessionA}; ${pendingLaunchCookieName()}=${pending}`);
    expect(stayed.status).toBe(303);
    expect(cookieValue(stayed, cookieName())).toBeUndefined();
    expect(await database.selectFrom("Session").select("id").where("sessionToken", "=", pending).executeTakeFirst()).toBeUndefined();
  });

  it("refuses staff with 403 and no session when the merchant gives staff no access", async () => {
    // This tenant's Lightspeed tokens are not stored, so the employee cannot be read: staff access at most.
    await updateTenantSettings(database, tenantA, { staffAccess: "none" });
    try {
      const res = await launch(sb.launchUrl({ accountId: accountA, employeeId: 3 }));
      expect(res.status).toBe(403);
      expect(cookieValue(res, cookieName())).toBeUndefined();
      expect(await res.text()).toContain("Kein Zugriff auf Butlerbridge");
    } finally {
      await updateTenantSettings(database, tenantA, { staffAccess: "read_only" });
    }
  });

  it("never redirects to another origin", () => {
    expect(safeTarget("//evil.example/x")).toBe("/");
    expect(safeTarget("https://evil.example")).toBe("/");
    expect(safeTarget("/\\evil.example")).toBe("/");
    expect(safeTarget("/activity?q=1")).toBe("/activity?q=1");
  });
});
