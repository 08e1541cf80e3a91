import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "./manual-clock";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startLightspeedSandbox, type LightspeedSandbox } from "./server";

/**
 * Issue 16, items 1–4: where Lightspeed's own documentation shows a shape, the sandbox serves that shape by
 * default and the other one only behind its switch.
 */
const clock = manualClock();
let sb: LightspeedSandbox;
let token: string;

beforeAll(async () => {
  sb = await startLightspeedSandbox({ clock, profile: "test", malformedShare: 0 });
  token = (await sb.issueTokens({ scopes: ["employee:all"] })).accessToken;
});
afterAll(() => sb.close());

type Body = Record<string, unknown>;
async function get(url: string, t = token): Promise<{ status: number; body: Body }> {
  clock.advance(5_000);
  const res = await fetch(url, { headers: { Authorization: `Bearer ${t}` } });
  return { status: res.status, body: (await res.json()) as Body };
}
const rel = (r: string[]) => encodeURIComponent(JSON.stringify(r));

describe("GET Account/{id}.json (item 1)", () => {
  it("is flat by default, as the endpoint page shows it, with no accountID to rely on", async () => {
    const { status, body } = await get(`${sb.url}/API/V3/Account/${sb.accounts[0]!.id}.json`);
    expect(status).toBe(200);
    expect(body).not.toHaveProperty("Account");
    expect(body).not.toHaveProperty("accountID");
    expect(body).toMatchObject({ status: "active", name: "Musterladen Berlin GmbH", defaultCurrency: { code: "EUR" } });
  });

  it("is wrapped behind accountBody: \"wrapped\"; Account.json stays wrapped either way", async () => {
    const other = await startLightspeedSandbox({ clock, profile: "e2e", accountBody: "wrapped" });
    try {
      const t = (await other.issueTokens({ scopes: ["employee:all"] })).accessToken;
      const { body } = await get(`${other.url}/API/V3/Account/${other.accounts[0]!.id}.json`, t);
      expect(body).toMatchObject({ "@attributes": { count: "1" }, Account: { accountID: String(other.accounts[0]!.id), name: "Musterladen Berlin GmbH" } });
    } finally {
      await other.close();
    }
    expect((await get(`${sb.url}/API/V3/Account.json`)).body).toMatchObject({ Account: { accountID: String(sb.accounts[0]!.id) } });
  });
});

describe("empty requested relations (item 2)", () => {
  it("are sometimes \"\" and sometimes left out, the same way on every read for a seed", async () => {
    const empty = [...sb.store.sales.values()].filter((s) => s.payments.length === 0);
    expect(empty.length).toBeGreaterThan(3);
    const forms = new Set<string>();
    for (const s of empty) {
      const url = `${sb.url}/API/V3/Account/${sb.accounts[0]!.id}/Sale/${s.id}.json?load_relations=${rel(["SalePayments"])}`;
      const sale = (await get(url)).body.Sale as Body;
      const form = "SalePayments" in sale ? JSON.stringify(sale.SalePayments) : "omitted";
      expect(["\"\"", "omitted"]).toContain(form);
      forms.add(form);
      const again = (await get(url)).body.Sale as Body;
      expect("SalePayments" in again ? JSON.stringify(again.SalePayments) : "omitted").toBe(form);
    }
    expect([...forms].sort()).toEqual(["\"\"", "omitted"]);
  });

  it("can be pinned to one form", async () => {
    const other = await startLightspeedSandbox({ clock, profile: "e2e", emptyRelations: "omitted" });
    try {
      const t = (await other.issueTokens({ scopes: ["employee:all"] })).accessToken;
      const s = [...other.store.sales.values()].find((x) => x.payments.length === 0)!;
      const sale = (await get(`${other.url}/API/V3/Account/${other.accounts[0]!.id}/Sale/${s.id}.json?load_relations=${rel(["SalePayments"])}`, t)).body.Sale as Body;
      expect(sale).not.toHaveProperty("SalePayments");
    } finally {
      await other.close();
    }
  });
});

describe("token endpoint bodies (item 3)", () => {
  async function code(): Promise<string> {
    const verifierless = { client_id: DEFAULT_CLIENT_ID, response_type: "code", scope: "employee:register_read", state: "s", decision: "allow", account_id: String(sb.accounts[0]!.id) };
    const res = await fetch(`${sb.url}/auth/oauth/authorize`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(verifierless).toString(), redirect: "manual" });
    return new URL(res.headers.get("location")!).searchParams.get("code")!;
  }

  it("takes JSON for the code grant and multipart for the refresh grant, as the docs show", async () => {
    const json = await fetch(`${sb.url}/auth/oauth/token`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ grant_type: "authorization_code", code: await code(), client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }),
    });
    expect(json.status).toBe(200);
    const pair = (await json.json()) as { refresh_token: string };
    const form = new FormData();
    for (const [k, v] of Object.entries({ grant_type: "refresh_token", refresh_token: pair.refresh_token, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET })) form.append(k, v);
    const multi = await fetch(`${sb.url}/auth/oauth/token`, { method: "POST", body: form });
    expect(multi.status).toBe(200);
    expect(await multi.json()).toMatchObject({ token_type: "Bearer", access_token: expect.any(String), refresh_token: expect.any(String) });
  });

  it("stays form-only behind strict.formEncodedOnly", async () => {
    const other = await startLightspeedSandbox({ clock, profile: "e2e", strict: { formEncodedOnly: true } });
    try {
      const res = await fetch(`${other.url}/auth/oauth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ grant_type: "refresh_token", refresh_token: "x" }) });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_request" });
    } finally {
      await other.close();
    }
  });
});

describe("API 401 bodies (item 4)", () => {
  it("come as {error, error_description, hint} for token problems, without the envelope", async () => {
    const bogus = `${token.slice(0, -4)}${crypto.randomBytes(3).toString("base64url")}`;
    const { status, body } = await get(`${sb.url}/API/V3/Account/${sb.accounts[0]!.id}/Shop.json`, bogus);
    expect(status).toBe(401);
    expect(body).toEqual({ error: "access_denied", error_description: expect.any(String), hint: "Access token could not be verified" });
    const none = await fetch(`${sb.url}/API/V3/Account.json`);
    expect(await none.json()).toMatchObject({ error: "access_denied" });
  });

  it("use the envelope behind authErrorBody: \"envelope\"; other errors always do", async () => {
    const other = await startLightspeedSandbox({ clock, profile: "e2e", authErrorBody: "envelope" });
    try {
      const { body } = await get(`${other.url}/API/V3/Account.json`, "nope");
      expect(body).toMatchObject({ httpCode: "401", message: "Access token could not be verified" });
    } finally {
      await other.close();
    }
    expect((await get(`${sb.url}/API/V3/Account/${sb.accounts[0]!.id}/Nothing.json`)).body).toMatchObject({ httpCode: "404" });
  });
});
