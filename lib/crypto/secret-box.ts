import "server-only";
import crypto from "node:crypto";
import { env } from "../env";

/**
 * AES-256-GCM for credentials at rest. Each value carries the id of the key that sealed it
 * (`v1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url), so keys rotate row by row: the first configured key
 * seals, every configured key opens, and `needsRotation` tells a re-encryption job what to rewrite.
 */
export interface KeyRing {
  keys: { id: string; key: Buffer }[];
}

const VERSION = "v1";
// GCM accepts shorter tags unless told otherwise; a truncated tag would make forgery cheaper, so only 16 bytes open.
const TAG_BYTES = 16;

function ring(keyRing?: KeyRing): KeyRing {
  return keyRing ?? { keys: env().ENCRYPTION_KEYS };
}

export function seal(plaintext: string, keyRing?: KeyRing, associatedData = ""): string {
  const active = ring(keyRing).keys[0];
  if (!active) throw new Error("no encryption key configured");
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", active.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, active.id, iv.toString("base64url"), ct.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export function open(sealed: string, keyRing?: KeyRing, associatedData = ""): string {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) throw new Error("not a sealed value");
  const [, keyId, iv, ct, tag] = parts as [string, string, string, string, string];
  const key = ring(keyRing).keys.find((k) => k.id === keyId);
  if (!key) throw new Error(`encryption key "${keyId}" is not configured (was it removed before rotation finished?)`);
  const tagBytes = Buffer.from(tag, "base64url");
  if (tagBytes.length !== TAG_BYTES) throw new Error(`the authentication tag has ${tagBytes.length} bytes, expected ${TAG_BYTES}`);
  const decipher = crypto.createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(tagBytes);
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

export function sealJson(value: unknown, keyRing?: KeyRing, associatedData = ""): string {
  return seal(JSON.stringify(value), keyRing, associatedData);
}

export function openJson<T = unknown>(sealed: string, keyRing?: KeyRing, associatedData = ""): T {
  return JSON.parse(open(sealed, keyRing, associatedData)) as T;
}

/** True when a value was sealed with a key other than the active one. */
export function needsRotation(sealed: string, keyRing?: KeyRing): boolean {
  return sealed.split(".")[1] !== ring(keyRing).keys[0]?.id;
}
