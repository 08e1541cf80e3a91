import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "./manual-clock";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startLightspeedSandbox, type LightspeedSandbox } from "./server";

const clock = manualClock();
let sb: LightspeedSandbox;
const REDIRECT = "http://localhost:3000/api/auth/callback/lightspeed";

beforeAll(async () => {
  sb = await startLightspeedSandbox({ clock, profile: "e2e", accounts: [{ name: "Musterladen Berlin GmbH" }, { name: "Zweitladen GmbH" }] });
});
afterAll(() => sb.close());

const form = (o: Record<string, string>) => ({ method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(o).toString(), redirect: "manual" as const });
const verifier = () => crypto.randomBytes(40).toString("base64url");
const challengeOf = (v: string) => crypto.createHash("sha256").update(v).digest("base64url");

async function authorize(o: { state?: string; challenge?: string; decision?: string; account?: number; scope?: string } = {}): Promise<URL> {
  const params: Record<string, string> = { client_id: DEFAULT_CLIENT_ID, response_type: "code", scope: o.scope ?? "employee:register_read employee:inventory_read", state: o.state ?? "st-1" };
  if (o.challenge) Object.assign(params, { code_challenge: o.challenge, code_challenge_method: "S256" });
  const page = await fetch(`${sb.url}/auth/oauth/authorize?${new URLSearchParams(params)}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<legend>Account</legend>');
  expect(html).toMatch(/<button type="submit" name="decision" value="allow"[^>]*>Authorize<\/button>/);
  const res = await fetch(`${sb.url}/auth/oauth/authorize`, form({ ...params, decision: o.decision ?? "allow", account_id: String(o.account ?? sb.accounts[0]!.id) }));
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

async function token(o: Record<string, string>) {
  const res = await fetch(`${sb.url}/auth/oauth/token`, form({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, ...o }));
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const api = (accessToken: string) => fetch(`${sb.url}/API/V3/Account.json`, { headers: { Authorization: `Bearer ${accessToken}` } });

describe("consent and authorization codes", () => {
  it("redirects with code and state; Deny gives access_denied", async () => {
    const ok = await authorize({ state: "abc" });
    expect(`${ok.origin}${ok.pathname}`).toBe(REDIRECT);
    expect(ok.searchParams.get("state")).toBe("abc");
    expect(ok.searchParams.get("code")!.length).toBeGreaterThan(100);
    const denied = await authorize({ decision: "deny", state: "xyz" });
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("xyz");
    expect(denied.searchParams.has("code")).toBe(false);
  });

  it("PKCE S256: the right verifier gets tokens for the chosen account, a wrong one invalid_grant", async () => {
    const v = verifier();
    const second = sb.accounts[1]!.id;
    const code = (await authorize({ challenge: challengeOf(v), account: second })).searchParams.get("code")!;
    const bad = await token({ grant_type: "authorization_code", code, code_verifier: verifier() });
    expect(bad).toMatchObject({ status: 400, body: { error: "invalid_grant", hint: "Failed to verify `code_verifier`." } });
    const code2 = (await authorize({ challenge: challengeOf(v), account: second })).searchParams.get("code")!;
    const good = await token({ grant_type: "authorization_code", code: code2, code_verifier: v });
    expect(good.status).toBe(200);
    expect(Object.keys(good.body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "token_type"]);
    const claims = JSON.parse(Buffer.from(good.body.access_token!.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ acct: String(second), sub: "1", scope: "employee:register_read employee:inventory_read", aud: DEFAULT_CLIENT_ID, iss: sb.url });
    const header = JSON.parse(Buffer.from(good.body.access_token!.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: "RS256", kid: "RT_OAUTH2_2024_07_08" });
  });

  it("refuses the plain PKCE method and unknown scopes", async () => {
    const res = await fetch(`${sb.url}/auth/oauth/authorize?${new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, response_type: "code", scope: "employee:all", state: "s", code_challenge: "x".repeat(43), code_challenge_method: "plain" })}`, { redirect: "manual" });
    expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const scope = await fetch(`${sb.url}/auth/oauth/authorize?${new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, response_type: "code", scope: "employee:everything", state: "s" })}`, { redirect: "manual" });
    expect(new URL(scope.headers.get("location")!).searchParams.get("error")).toBe("invalid_scope");
  });

  it("refuses a redirect_uri that differs from the registered one", async () => {
    const res = await fetch(`${sb.url}/auth/oauth/authorize?${new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, response_type: "code", scope: "employee:all", redirect_uri: "https://evil.example/cb" })}`, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("does not match");
  });

  it("codes are single-use (a replay also revokes what the code issued) and expire after 60 s", async () => {
    const code = (await authorize()).searchParams.get("code")!;
    const first = await token({ grant_type: "authorization_code", code });
    expect(first.status).toBe(200);
    const replay = await token({ grant_type: "authorization_code", code });
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant", hint: "Authorization code has been revoked" } });
    expect((await api(first.body.access_token!)).status).toBe(401);

    const late = (await authorize()).searchParams.get("code")!;
    clock.advance(61_000);
    expect(await token({ grant_type: "authorization_code", code: late })).toMatchObject({ status: 400, body: { error: "invalid_grant", hint: "Authorization code has expired" } });
  });

  it("refuses an unreadable token request body and authenticates the client", async () => {
    const code = (await authorize()).searchParams.get("code")!;
    const text = await fetch(`${sb.url}/auth/oauth/token`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: `grant_type=authorization_code&code=${code}` });
    expect(text.status).toBe(400);
    expect(((await text.json()) as { error: string }).error).toBe("invalid_request");
    const wrong = await token({ grant_type: "authorization_code", code, client_secret: "nope" });
    expect(wrong).toMatchObject({ status: 401, body: { error: "invalid_client" } });
  });
});

describe("refresh token rotation", () => {
  async function fresh() {
    const code = (await authorize()).searchParams.get("code")!;
    const t = await token({ grant_type: "authorization_code", code });
    return { access: t.body.access_token!, refresh: t.body.refresh_token! };
  }

  it("rotates the pair; the old generation dies only when the new access token is first used", async () => {
    const a = await fresh();
    expect((await api(a.access)).status).toBe(200);
    const r1 = await token({ grant_type: "refresh_token", refresh_token: a.refresh });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(a.refresh);
    // Deferred revocation: the old pair still works, and a retry with the old refresh token is allowed.
    expect((await api(a.access)).status).toBe(200);
    const retry = await token({ grant_type: "refresh_token", refresh_token: a.refresh });
    expect(retry.status).toBe(200);
    // First use of the retry's access token retires the old generation and the sibling pair.
    expect((await api(retry.body.access_token!)).status).toBe(200);
    const oldAccess = await api(a.access);
    expect(oldAccess.status).toBe(401);
    expect(((await oldAccess.json()) as { hint: string }).hint).toBe("Access token has been revoked");
    expect((await api(r1.body.access_token!)).status).toBe(401);
    expect(await token({ grant_type: "refresh_token", refresh_token: a.refresh })).toMatchObject({ status: 400, body: { error: "invalid_grant", hint: "Token has been revoked" } });
    expect(await token({ grant_type: "refresh_token", refresh_token: r1.body.refresh_token! })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // The surviving chain goes on.
    clock.advance(61_000);
    expect((await token({ grant_type: "refresh_token", refresh_token: retry.body.refresh_token! })).status).toBe(200);
  });

  it("never accepts scope on refresh", async () => {
    const a = await fresh();
    clock.advance(61_000);
    expect(await token({ grant_type: "refresh_token", refresh_token: a.refresh, scope: "employee:all" })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("allows at most 5 refresh attempts per minute per connection", async () => {
    const a = await fresh();
    clock.advance(61_000);
    let current = a.refresh;
    for (let i = 0; i < 5; i++) {
      const r = await token({ grant_type: "refresh_token", refresh_token: current });
      expect(r.status).toBe(200);
      current = r.body.refresh_token!;
    }
    const sixth = await fetch(`${sb.url}/auth/oauth/token`, form({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, grant_type: "refresh_token", refresh_token: current }));
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    clock.advance(60_000);
    expect((await token({ grant_type: "refresh_token", refresh_token: current })).status).toBe(200);
  });

  it("lets unused refresh tokens expire after 30 days and access tokens after their lifetime", async () => {
    const a = await fresh();
    clock.advance(3601_000);
    const expired = await api(a.access);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { hint: string }).hint).toBe("Access token has expired");
    clock.advance(30 * 86_400_000);
    expect(await token({ grant_type: "refresh_token", refresh_token: a.refresh })).toMatchObject({ status: 400, body: { error: "invalid_grant", hint: "Token has expired" } });
  });

  it("revokes a connection", async () => {
    const a = await fresh();
    const res = await fetch(`${sb.url}/auth/oauth/revoke`, form({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, refresh_token: a.refresh }));
    expect(res.status).toBe(200);
    expect((await api(a.access)).status).toBe(401);
    expect(await token({ grant_type: "refresh_token", refresh_token: a.refresh })).toMatchObject({ status: 400, body: { error: "invalid_grant", hint: "Token has been revoked" } });
  });

  it("publishes both signing keys in the JWKS", async () => {
    const jwks = (await (await fetch(`${sb.url}/.well-known/jwks`)).json()) as { keys: { kid: string; kty: string }[] };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(["RT_GENERIC_WEBHOOK_2023_03_17", "RT_OAUTH2_2024_07_08"]);
  });
});
