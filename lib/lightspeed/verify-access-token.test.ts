import { SignJWT } from "jose";
import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { DEFAULT_CLIENT_ID, startLightspeedSandbox, type LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { clearJwksCache } from "./jwks";
import { verifyLightspeedAccessToken } from "./verify-access-token";

const clock = manualClock(Date.now());
let sb: LightspeedSandbox;

beforeAll(async () => {
  sb = await startLightspeedSandbox({ clock, profile: "e2e" });
});
afterAll(() => sb.close());
beforeEach(() => clearJwksCache());

const opts = (extra: Parameters<typeof verifyLightspeedAccessToken>[1] = {}) => ({ jwksUrl: `${sb.url}/.well-known/jwks`, issuer: sb.url, audience: DEFAULT_CLIENT_ID, now: clock.now(), jwksCooldownMs: 0, ...extra });

describe("access token verification", () => {
  it("returns acct, sub, scopes and exp from a token Lightspeed signed", async () => {
    const t = await sb.issueTokens({ scopes: ["employee:register_read", "employee:reports"], sub: "7" });
    const claims = await verifyLightspeedAccessToken(t.accessToken, opts());
    expect(claims).toEqual({ acct: String(sb.accounts[0]!.id), sub: "7", scope: ["employee:register_read", "employee:reports"], exp: Math.floor(clock.now() / 1000) + 3600 });
  });

  it("rejects another audience, another issuer, an expired or tampered token, and unknown keys", async () => {
    const t = await sb.issueTokens();
    await expect(verifyLightspeedAccessToken(t.accessToken, opts({ audience: "someone-else" }))).rejects.toMatchObject({ code: "OAUTH_FAILED" });
    await expect(verifyLightspeedAccessToken(t.accessToken, opts({ issuer: "https://cloud.lightspeedapp.com" }))).rejects.toMatchObject({ code: "OAUTH_FAILED" });
    await expect(verifyLightspeedAccessToken(t.accessToken, opts({ now: clock.now() + 3_601_000 }))).rejects.toMatchObject({ detail: "Lightspeed access token rejected: it has expired" });
    const [h, p, s] = t.accessToken.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, acct: "1" })).toString("base64url")}.${s}`;
    await expect(verifyLightspeedAccessToken(forged, opts())).rejects.toMatchObject({ detail: "Lightspeed access token rejected: the signature does not verify" });
    const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const alien = await new SignJWT({ acct: "1", scope: "employee:all" }).setProtectedHeader({ alg: "RS256", kid: "NOT_PUBLISHED" }).setSubject("1").setExpirationTime("1h").sign(privateKey);
    await expect(verifyLightspeedAccessToken(alien, opts())).rejects.toMatchObject({ detail: 'Lightspeed access token rejected: unknown signing key "NOT_PUBLISHED"' });
    await expect(verifyLightspeedAccessToken("not.a.jwt", opts())).rejects.toMatchObject({ code: "OAUTH_FAILED" });
  });
});
