import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { needsRotation, open, openJson, seal, sealJson, type KeyRing } from "./secret-box";

const key = (id: string): KeyRing["keys"][number] => ({ id, key: crypto.randomBytes(32) });

describe("secret box", () => {
  it("round-trips and never contains the plaintext", () => {
    const ring = { keys: [key("a")] };
    const sealed = seal("refresh-token-123", ring);
    expect(sealed).not.toContain("refresh-token-123");
    expect(sealed.startsWith("v1.a.")).toBe(true);
    expect(open(sealed, ring)).toBe("refresh-token-123");
    expect(openJson(sealJson({ apiKey: "k" }, ring), ring)).toEqual({ apiKey: "k" });
  });

  it("uses a fresh IV each time", () => {
    const ring = { keys: [key("a")] };
    expect(seal("same", ring)).not.toBe(seal("same", ring));
  });

  it("still opens values sealed with an older key after rotation", () => {
    const old = key("old");
    const fresh = key("new");
    const sealed = seal("secret", { keys: [old] });
    const rotated = { keys: [fresh, old] };
    expect(open(sealed, rotated)).toBe("secret");
    expect(needsRotation(sealed, rotated)).toBe(true);
    expect(needsRotation(seal("secret", rotated), rotated)).toBe(false);
  });

  it("rejects tampering, a wrong key, and a removed key", () => {
    const ring = { keys: [key("a")] };
    const sealed = seal("secret", ring);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => open(parts.join("."), ring)).toThrow();
    expect(() => open(sealed, { keys: [{ id: "a", key: crypto.randomBytes(32) }] })).toThrow();
    expect(() => open(sealed, { keys: [key("b")] })).toThrow(/not configured/);
  });

  it("binds associated data (a row's tenant) to the value", () => {
    const ring = { keys: [key("a")] };
    const sealed = seal("secret", ring, "tenant-1");
    expect(open(sealed, ring, "tenant-1")).toBe("secret");
    expect(() => open(sealed, ring, "tenant-2")).toThrow();
  });

  it("opens only full 16-byte authentication tags", () => {
    const ring = { keys: [key("a")] };
    const parts = seal("secret", ring).split(".");
    const tag = Buffer.from(parts[4]!, "base64url");
    expect(tag.length).toBe(16);
    // A 4-byte prefix of the right tag: GCM would accept it if the tag length were not pinned.
    const truncated = [...parts.slice(0, 4), tag.subarray(0, 4).toString("base64url")].join(".");
    expect(() => open(truncated, ring)).toThrow(/16/);
  });
});
