import { importJWK, type JWK } from "jose";
import * as z from "zod";

/**
 * Public keys from a JWKS URL, cached by `kid` for a limited time. An unknown kid triggers one refetch (keys
 * rotate), but at most once per cooldown so a stream of forged kids cannot turn us into a load generator against
 * Lightspeed. A cached key is trusted only until the TTL runs out: then the set is fetched again, so a key that
 * Lightspeed removed (compromised, retired) stops opening sessions within one TTL.
 */
const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional() })) });

interface Entry {
  keys: Map<string, CryptoKey>;
  fetchedAt: number;
  pending: Promise<void> | null;
}

const caches = new Map<string, Entry>();

async function load(url: string, entry: Entry, now: number): Promise<void> {
  const res = await fetch(url, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`JWKS ${url} answered ${res.status}`);
  const parsed = jwksSchema.parse(await res.json());
  const keys = new Map<string, CryptoKey>();
  for (const jwk of parsed.keys) {
    if (jwk.kty !== "RSA" || !jwk.kid) continue;
    const key = await importJWK(jwk as JWK, "RS256");
    if (key instanceof Uint8Array) continue;
    keys.set(jwk.kid, key);
  }
  entry.keys = keys;
  entry.fetchedAt = now;
}

export interface JwksOptions {
  /** Minimum clock time between refetches for unknown kids (default 30 s). */
  cooldownMs?: number;
  /** How long a fetched key set is trusted before it is fetched again (default 1 h). */
  ttlMs?: number;
  now?: number;
}

/** The key for `kid`, or null when the JWKS (refetched if allowed) does not have it. Network failures throw. */
export async function jwksKey(url: string, kid: string, options: JwksOptions = {}): Promise<CryptoKey | null> {
  const now = options.now ?? Date.now();
  const cooldown = options.cooldownMs ?? 30_000;
  const ttl = options.ttlMs ?? 3_600_000;
  let entry = caches.get(url);
  if (!entry) {
    entry = { keys: new Map(), fetchedAt: Number.NEGATIVE_INFINITY, pending: null };
    caches.set(url, entry);
  }
  const fresh = now - entry.fetchedAt < ttl;
  const known = entry.keys.get(kid);
  if (known && fresh) return known;
  if (fresh && now - entry.fetchedAt < cooldown && entry.pending === null) return null;
  const e = entry;
  e.pending ??= load(url, e, now).finally(() => {
    e.pending = null;
  });
  await e.pending;
  return e.keys.get(kid) ?? null;
}

/** Tests: forget cached keys. */
export function clearJwksCache(): void {
  caches.clear();
}
