import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { createTestTenant, testDb } from "@/scripts/test/db";

/**
 * The job endpoint in production's mode (JOBS_DRIVER=inngest, signing key set): every call that Inngest did not
 * sign is refused before any function runs. The inline mode (404) is covered by app/tenant-isolation.test.ts.
 */

const database = testDb();
const saved = { ...process.env };
const sweep = vi.fn();
let tenantId: string;

vi.mock("@/inngest/functions/log-retention-sweep", async (original) => {
  const mod = await original<typeof import("@/inngest/functions/log-retention-sweep")>();
  return { logRetentionSweep: { ...mod.logRetentionSweep, handler: async (...args: unknown[]) => { sweep(...args); return mod.logRetentionSweep.handler(...(args as Parameters<typeof mod.logRetentionSweep.handler>)); } } };
});

type Route = Record<"GET" | "POST" | "PUT", (req: NextRequest, ctx: unknown) => Promise<Response>>;

async function route(): Promise<Route> {
  vi.resetModules();
  return (await import("./route")) as Route;
}

const runRequest = (headers: Record<string, string> = {}) =>
  new NextRequest("http://localhost/api/inngest?fnId=butlerbridge-log-retention-sweep&stepId=step", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ event: { name: "inngest/scheduled.timer", data: {} }, events: [], steps: {}, ctx: { run_id: "r1", attempt: 0, stack: { stack: [] } }, version: 2 }),
  });

beforeAll(async () => {
  tenantId = await createTestTenant(database, { name: "Route GmbH" });
  Object.assign(process.env, { JOBS_DRIVER: "inngest", INNGEST_SIGNING_KEY: "signkey-prod-0123456789abcdef0123456789abcdef", INNGEST_DEV: "false" });
  resetEnvCache();
});

afterAll(() => {
  for (const k of ["JOBS_DRIVER", "INNGEST_SIGNING_KEY", "INNGEST_DEV"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetEnvCache();
});

describe("/api/inngest with JOBS_DRIVER=inngest", () => {
  it("refuses an unsigned run request and runs nothing", async () => {
    const res = await (await route()).POST(runRequest(), { params: Promise.resolve({}) });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain(tenantId);
    expect(sweep).not.toHaveBeenCalled();
  });

  it("refuses a request signed with another key", async () => {
    const res = await (await route()).POST(runRequest({ "x-inngest-signature": `t=${Math.floor(Date.now() / 1000)}&s=${"ab".repeat(32)}` }), { params: Promise.resolve({}) });
    expect(res.status).toBe(401);
    expect(sweep).not.toHaveBeenCalled();
  });

  it("does not list the functions to an unsigned introspection", async () => {
    const res = await (await route()).GET(new NextRequest("http://localhost/api/inngest"), { params: Promise.resolve({}) });
    const body = await res.text();
    expect(body).not.toContain("log-retention-sweep");
    expect(body).not.toContain(tenantId);
  });
});
