import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../db";

/**
 * A database outage must not look like being signed out: Auth.js reports a session it could not read as no session,
 * so getTenantContext tells the two apart.
 */
const state = vi.hoisted(() => ({ session: null as unknown, database: null as unknown }));

vi.mock("./index", () => ({ auth: async () => state.session }));
vi.mock("../db", async (original) => {
  const mod = await original<typeof import("../db")>();
  return { ...mod, db: () => state.database ?? mod.db() };
});

const { getTenantContext, requireTenant } = await import("./session");

afterEach(() => {
  state.session = null;
  state.database = null;
});

describe("getTenantContext", () => {
  it("is null without a session while the database answers", async () => {
    expect(await getTenantContext()).toBeNull();
  });

  it("says the database is unavailable, not signed out, when it does not answer", async () => {
    // Nothing listens on port 1: connecting fails at once.
    const dead = createDb("postgres://postgres@127.0.0.1:1/none", 1);
    state.database = dead;
    try {
      await expect(getTenantContext()).rejects.toMatchObject({ code: "DATABASE_UNAVAILABLE", status: 503 });
      state.session = { tenantId: "t1", user: { id: "u1" } };
      await expect(requireTenant()).rejects.toMatchObject({ code: "DATABASE_UNAVAILABLE" });
    } finally {
      await dead.destroy();
    }
  });
});
