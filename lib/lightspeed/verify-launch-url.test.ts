import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { startLightspeedSandbox, type LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { clearJwksCache } from "./jwks";
import { phpBuildSortedQuery } from "./php-query";
import { verifyLaunchUrl } from "./verify-launch-url";

const clock = manualClock(Date.now());
let sb: LightspeedSandbox;
let jwksUrl: string;

beforeAll(async () => {
  sb = await startLightspeedSandbox({ clock, profile: "e2e", appUrl: "https://butlerbridge.example.com" });
  jwksUrl = `${sb.url}/.well-known/jwks`;
});
afterAll(() => sb.close());
beforeEach(() => clearJwksCache());

const verify = (url: string, extra: Parameters<typeof verifyLaunchUrl>[1] = {}) => verifyLaunchUrl(url, { jwksUrl, now: clock.now(), jwksCooldownMs: 0, ...extra });

/** Rewrites a URL's query with the same parameters in another order and another (equivalent) encoding. */
function reencode(url: string): string {
  const u = new URL(url);
  const pairs = [...u.searchParams.entries()].reverse();
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+").replace(/~/g, "%7E").replace(/\./g, "%2E");
  return `${u.origin}${u.pathname}?${pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&")}`;
}

function withParam(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}

describe("custom menu button launch verification", () => {
  it("accepts a launch signed by Lightspeed and returns its context", async () => {
    const sale = [...sb.store.sales.values()].find((s) => s.customerId)!;
    const url = sb.launchUrl({ registerId: 3, saleId: sale.id, employeeId: 2 });
    const launch = await verify(url);
    expect(launch).toMatchObject({
      accountId: String(sb.accounts[0]!.id), shopId: "2", registerId: "3", employeeId: "2", saleId: String(sale.id), customerId: String(sale.customerId), type: "sale",
    });
    expect(launch.returnURL).toContain("/__sandbox/backoffice?account=");
    // The signature covered the sorted, PHP-encoded query (checked here independently of the verifier).
    const u = new URL(url);
    const params = new Map([...u.searchParams.entries()].filter(([k]) => k !== "signature"));
    const signed = `${u.protocol}//${u.host}${u.pathname}?${phpBuildSortedQuery(params)}`;
    const jwk = ((await (await fetch(jwksUrl)).json()) as { keys: (crypto.JsonWebKey & { kid: string })[] }).keys.find((k) => k.kid === "RT_GENERIC_WEBHOOK_2023_03_17")!;
    expect(crypto.verify("sha256", Buffer.from(signed), crypto.createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(u.searchParams.get("signature")!, "base64url"))).toBe(true);
  });

  it("does not depend on parameter order or on how the query was percent-encoded", async () => {
    const url = sb.launchUrl();
    await expect(verify(reencode(url))).resolves.toMatchObject({ registerId: "1" });
    // A fragment never reaches the server; it does not change the result either.
    await expect(verify(`${url}#/settings`)).resolves.toMatchObject({ registerId: "1" });
  });

  it("rejects any change to a signed parameter, an added parameter, or a changed signature", async () => {
    const url = sb.launchUrl();
    await expect(verify(withParam(url, "accountID", "999"))).rejects.toMatchObject({ code: "LAUNCH_INVALID", detail: "the signature does not match the launch URL" });
    await expect(verify(withParam(url, "extra", "1"))).rejects.toMatchObject({ code: "LAUNCH_INVALID" });
    const sig = new URL(url).searchParams.get("signature")!;
    const flipped = sig.slice(0, 10) + (sig[10] === "A" ? "B" : "A") + sig.slice(11);
    await expect(verify(withParam(url, "signature", flipped))).rejects.toMatchObject({ code: "LAUNCH_INVALID" });
    await expect(verify(url.replace("https://butlerbridge.example.com", "https://attacker.example.com"))).rejects.toMatchObject({ code: "LAUNCH_INVALID" });
  });

  it("requires exp, kid, alg and signature, RS256 only, and rejects expired links", async () => {
    const url = sb.launchUrl();
    for (const p of ["exp", "kid", "alg", "signature"]) {
      const u = new URL(url);
      u.searchParams.delete(p);
      await expect(verify(u.toString())).rejects.toMatchObject({ code: "LAUNCH_INVALID", detail: `the launch URL has no ${p} parameter` });
    }
    await expect(verify(withParam(url, "alg", "HS256"))).rejects.toMatchObject({ detail: "unsupported signature algorithm HS256" });
    await expect(verify(url, { now: clock.now() + 61_000 + 30_000 })).rejects.toMatchObject({ detail: expect.stringMatching(/^the launch link expired at /) });
    await expect(verify(url, { now: clock.now() + 61_000 })).resolves.toBeTruthy();
  });

  it("refetches the JWKS once for an unknown kid, then rejects", async () => {
    await verify(sb.launchUrl());
    const fetches = sb.stats().jwksFetches;
    const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const base = new URL(sb.launchUrl());
    base.searchParams.delete("signature");
    base.searchParams.set("kid", "RT_UNKNOWN_2030");
    const params = new Map(base.searchParams.entries());
    const sig = crypto.sign("sha256", Buffer.from(`${base.protocol}//${base.host}${base.pathname}?${phpBuildSortedQuery(params)}`), privateKey).toString("base64url");
    await expect(verify(`${base.toString()}&signature=${sig}`)).rejects.toMatchObject({ code: "LAUNCH_INVALID", detail: 'unknown signing key "RT_UNKNOWN_2030"' });
    expect(sb.stats().jwksFetches).toBe(fetches + 1);
  });

  it("picks up a rotated key on the refetch", async () => {
    const oldKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const newKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = (k: crypto.KeyObject, kid: string) => ({ ...k.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" });
    let keys = [jwk(oldKey.publicKey, "K1")];
    let fetches = 0;
    const server = http.createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    const signedUrl = (key: crypto.KeyObject, kid: string) => {
      const params = new Map(Object.entries({ accountID: "5", alg: "RS256", exp: String(Math.floor(clock.now() / 1000) + 60), kid, registerID: "1", returnURL: "https://us.lightspeedapp.com/register.php?x=1 2" }));
      const target = "https://app.example.com/launch";
      const sig = crypto.sign("sha256", Buffer.from(`${target}?${phpBuildSortedQuery(params)}`), key).toString("base64url");
      return `${target}?${new URLSearchParams([...params.entries()])}&signature=${sig}`;
    };
    try {
      await expect(verify(signedUrl(oldKey.privateKey, "K1"), { jwksUrl: url })).resolves.toMatchObject({ accountId: "5", registerId: "1" });
      keys = [jwk(oldKey.publicKey, "K1"), jwk(newKey.publicKey, "K2")];
      await expect(verify(signedUrl(newKey.privateKey, "K2"), { jwksUrl: url })).resolves.toMatchObject({ accountId: "5" });
      expect(fetches).toBe(2);
      // Cached by kid: no further fetch for known keys.
      await verify(signedUrl(oldKey.privateKey, "K1"), { jwksUrl: url });
      expect(fetches).toBe(2);
    } finally {
      server.close();
    }
  });
});
