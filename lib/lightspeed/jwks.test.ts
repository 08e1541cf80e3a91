import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearJwksCache, jwksKey } from "./jwks";

let served: JWK[] = [];
let fetches = 0;
let server: http.Server;
let url: string;
let keyA: JWK;
let keyB: JWK;

beforeAll(async () => {
  keyA = { ...(await exportJWK((await generateKeyPair("RS256", { extractable: true })).publicKey)), kid: "A", alg: "RS256" };
  keyB = { ...(await exportJWK((await generateKeyPair("RS256", { extractable: true })).publicKey)), kid: "B", alg: "RS256" };
  server = http.createServer((_req, res) => {
    fetches++;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  clearJwksCache();
  fetches = 0;
  served = [keyA, keyB];
});

describe("launch JWKS cache", () => {
  const T0 = 1_800_000_000_000;

  it("serves a known key from the cache within the TTL", async () => {
    expect(await jwksKey(url, "A", { now: T0, ttlMs: 60_000 })).not.toBeNull();
    expect(await jwksKey(url, "A", { now: T0 + 59_000, ttlMs: 60_000 })).not.toBeNull();
    expect(fetches).toBe(1);
  });

  it("refetches after the TTL and honours a key Lightspeed removed", async () => {
    expect(await jwksKey(url, "A", { now: T0, ttlMs: 60_000 })).not.toBeNull();
    served = [keyB];
    expect(await jwksKey(url, "A", { now: T0 + 61_000, ttlMs: 60_000 })).toBeNull();
    expect(fetches).toBe(2);
    expect(await jwksKey(url, "B", { now: T0 + 62_000, ttlMs: 60_000 })).not.toBeNull();
    expect(fetches).toBe(2);
  });

  it("refetches for an unknown kid at most once per cooldown", async () => {
    await jwksKey(url, "A", { now: T0 });
    expect(await jwksKey(url, "forged-1", { now: T0 + 1_000, cooldownMs: 30_000 })).toBeNull();
    expect(await jwksKey(url, "forged-2", { now: T0 + 2_000, cooldownMs: 30_000 })).toBeNull();
    expect(fetches).toBe(1);
    expect(await jwksKey(url, "forged-3", { now: T0 + 31_000, cooldownMs: 30_000 })).toBeNull();
    expect(fetches).toBe(2);
  });
});
