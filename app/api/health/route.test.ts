import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";

const globalForDb = globalThis as unknown as { __butlerbridgeDb?: { destroy(): Promise<void> } };

async function freshRoute() {
  await globalForDb.__butlerbridgeDb?.destroy();
  globalForDb.__butlerbridgeDb = undefined;
  resetEnvCache();
  return import("./route");
}

describe("GET /api/health", () => {
  const original = process.env.DATABASE_URL;
  afterEach(async () => {
    process.env.DATABASE_URL = original;
    await globalForDb.__butlerbridgeDb?.destroy();
    globalForDb.__butlerbridgeDb = undefined;
    resetEnvCache();
  });

  it("is ok when the database answers", async () => {
    const { GET } = await freshRoute();
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", checks: { database: "ok" } });
  });

  it("returns 503 when the database is unreachable", async () => {
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/nowhere";
    const { GET } = await freshRoute();
    const res = await GET();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "degraded", checks: { database: "unreachable" } });
  });
});
