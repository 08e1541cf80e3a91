import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const base = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/x" };
const KEY = `k1:${Buffer.alloc(32, 7).toString("base64")}`;

function problems(source: Record<string, string | undefined>) {
  try {
    parseEnv(source);
  } catch (e) {
    if (e instanceof EnvError) return e;
    throw e;
  }
  throw new Error("expected the environment to be rejected");
}

describe("env", () => {
  it("gives secrets development defaults outside production", () => {
    const env = parseEnv({ ...base, NODE_ENV: "development" });
    expect(env.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env.ENCRYPTION_KEYS[0]?.key.length).toBe(32);
    expect(env.JOBS_DRIVER).toBe("inline");
  });

  it("rejects a missing secret in production and names it", () => {
    const err = problems({ ...base, NODE_ENV: "production", ENCRYPTION_KEYS: KEY, DEMO_MODE: "true" });
    expect(err.problems.map((p) => p.variable)).toEqual(["AUTH_SECRET"]);
    expect(err.message).toContain("AUTH_SECRET: required in production");
    expect(err.message).toContain(".env.example");
  });

  it("names every bad variable at once and says what it expects", () => {
    const err = problems({ NODE_ENV: "production", JOBS_DRIVER: "inngest", APP_URL: "not a url" });
    const vars = err.problems.map((p) => p.variable);
    expect(vars).toEqual(expect.arrayContaining(["DATABASE_URL", "APP_URL"]));
    expect(err.message).toMatch(/DATABASE_URL: missing — expected a postgres:\/\/ connection string/);
    expect(err.message).toMatch(/APP_URL: expected an absolute URL/);
  });

  it("requires the Inngest signing key with the inngest driver, unless developing against `inngest dev`", () => {
    const ok = { ...base, NODE_ENV: "production", AUTH_SECRET: "x".repeat(40), ENCRYPTION_KEYS: KEY, JOBS_DRIVER: "inngest", INNGEST_SIGNING_KEY: "signkey-prod-ab12" };
    expect(() => parseEnv(ok)).not.toThrow();
    expect(problems({ ...ok, INNGEST_SIGNING_KEY: "" }).problems.map((p) => p.variable)).toEqual(["INNGEST_SIGNING_KEY"]);
    expect(problems({ ...base, JOBS_DRIVER: "inngest" }).problems.map((p) => p.variable)).toEqual(["INNGEST_SIGNING_KEY"]);
    expect(() => parseEnv({ ...base, JOBS_DRIVER: "inngest", INNGEST_DEV: "true" })).not.toThrow();
  });

  it("refuses the inline driver in production unless DEMO_MODE says it is a demo", () => {
    const prod = { ...base, NODE_ENV: "production", AUTH_SECRET: "x".repeat(40), ENCRYPTION_KEYS: KEY };
    const err = problems(prod);
    expect(err.problems.map((p) => p.variable)).toEqual(["JOBS_DRIVER"]);
    expect(err.message).toContain("DEMO_MODE=true");
    expect(problems({ ...prod, JOBS_DRIVER: "inline" }).problems.map((p) => p.variable)).toEqual(["JOBS_DRIVER"]);
    expect(parseEnv({ ...prod, DEMO_MODE: "true" }).JOBS_DRIVER).toBe("inline");
    expect(() => parseEnv({ ...base, NODE_ENV: "development" })).not.toThrow();
  });

  it("refuses Inngest's dev mode in production, demo or not", () => {
    const prod = { ...base, NODE_ENV: "production", AUTH_SECRET: "x".repeat(40), ENCRYPTION_KEYS: KEY };
    expect(problems({ ...prod, JOBS_DRIVER: "inngest", INNGEST_DEV: "true", INNGEST_SIGNING_KEY: "signkey-prod-ab12" }).problems.map((p) => p.variable)).toEqual(["INNGEST_DEV"]);
    expect(problems({ ...prod, DEMO_MODE: "true", INNGEST_DEV: "1" }).problems.map((p) => p.variable)).toEqual(["INNGEST_DEV"]);
  });

  it("refuses malformed encryption keys", () => {
    const err = problems({ ...base, ENCRYPTION_KEYS: "k1:tooshort" });
    expect(err.problems[0]?.variable).toBe("ENCRYPTION_KEYS");
    expect(err.problems[0]?.problem).toContain("32-byte key");
  });

  it("parses several keys, the first one active", () => {
    const other = `k0:${Buffer.alloc(32, 1).toString("base64")}`;
    const env = parseEnv({ ...base, ENCRYPTION_KEYS: `${KEY}, ${other}` });
    expect(env.ENCRYPTION_KEYS.map((k) => k.id)).toEqual(["k1", "k0"]);
  });
});

describe(".env.example", () => {
  it("documents every variable the schema reads", async () => {
    const fs = await import("node:fs");
    const { envVariableNames } = await import("./env");
    const documented = new Set(
      fs.readFileSync(new URL("../.env.example", import.meta.url), "utf8").split("\n").map((l) => /^([A-Z0-9_]+)=/.exec(l)?.[1]).filter(Boolean),
    );
    const missing = envVariableNames().filter((n) => !documented.has(n));
    expect(missing).toEqual([]);
  });
});
