import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { createBbClient, saveBbCredentials } from "../buchhaltungsbutler";
import { connect, testSandbox } from "../buchhaltungsbutler/test-helpers";
import { resetEnvCache } from "../env";
import { AppError } from "../errors/app-error";
import { pauseTenant } from "../tenants/pause-tenant";
import { connectBuchhaltungsbutler, testBuchhaltungsbutlerConnection } from "./connect-buchhaltungsbutler";

const database = testDb();
const sandbox = await testSandbox();
const seed = { paymentAccounts: [{ number: 1000, name: "Kasse", type: "cash" as const }] };
let proxy: http.Server;
let proxyUrl: string;

beforeAll(async () => {
  process.env.BB_API_BASE_URL = sandbox.apiBaseUrl;
  resetEnvCache();
  // What a corporate proxy or WAF in front of BB answers: a 401 page, not BB's JSON.
  proxy = http.createServer((_req, res) => {
    res.writeHead(401, { "content-type": "text/html" });
    res.end("<html><body><h1>401 Authorization Required</h1>nginx</body></html>");
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/v1`;
});

afterAll(async () => {
  delete process.env.BB_API_BASE_URL;
  resetEnvCache();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

describe("a 401 that is not BuchhaltungsButler's", () => {
  it("is a passing outage, not rejected credentials", async () => {
    const { client: _sandboxClient, ...rest } = await connect(database, sandbox, seed);
    const client = createBbClient({ database, tenantId: rest.tenantId, credentials: { apiClient: rest.bb.apiClient, apiSecret: rest.bb.apiSecret, apiKey: rest.bb.apiKey }, baseUrl: proxyUrl, clock: sandbox.clock, timeoutMs: 5_000 });
    const e = await client.listAccounts().then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AppError);
    expect([(e as AppError).code, (e as AppError).kind]).toEqual(["UPSTREAM_UNAVAILABLE", "retryable"]);
    expect((e as AppError).detail).toContain("not BuchhaltungsButler's");
    // A read is retried like any other outage before it gives up.
    expect(client.stats().calls).toBeGreaterThan(1);
  });

  it("BB's own 401 still means the credentials are wrong", async () => {
    const { bb } = await connect(database, sandbox, seed);
    const bad = await connect(database, sandbox, seed, { credentials: { apiClient: bb.apiClient, apiSecret: bb.apiSecret, apiKey: "not-the-key" } });
    const e = await bad.client.listAccounts().then(
      () => null,
      (x: unknown) => x,
    );
    expect((e as AppError).code).toBe("BB_CREDENTIALS_INVALID");
  });
});

describe("Test connection", () => {
  it("resumes a tenant paused for BB credentials once the stored ones work again", async () => {
    const { tenantId, bb } = await connect(database, sandbox, seed);
    await saveBbCredentials(database, tenantId, { mode: "own", apiKey: bb.apiKey, apiClient: bb.apiClient, apiSecret: bb.apiSecret });
    await database.updateTable("tenants").set({ onboarded_at: new Date() }).where("id", "=", tenantId).execute();
    await pauseTenant(database, tenantId, new AppError("BB_CREDENTIALS_INVALID", { detail: "the API key is unknown" }));
    expect((await database.selectFrom("tenants").select("status").where("id", "=", tenantId).executeTakeFirstOrThrow()).status).toBe("paused");

    const result = await testBuchhaltungsbutlerConnection(database, tenantId, "user:test");
    expect(result.error).toBeUndefined();
    const tenant = await database.selectFrom("tenants").select(["status", "paused_reason"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
    expect(tenant).toEqual({ status: "active", paused_reason: null });
    const open = await database.selectFrom("notifications").select("id").where("tenant_id", "=", tenantId).where("dedupe_key", "=", "tenant:BB_CREDENTIALS_INVALID").where("resolved_at", "is", null).execute();
    expect(open).toEqual([]);
  });

  it("leaves a tenant paused when the check still fails", async () => {
    const { tenantId, bb } = await connect(database, sandbox, seed);
    await saveBbCredentials(database, tenantId, { mode: "own", apiKey: "still-wrong-key", apiClient: bb.apiClient, apiSecret: bb.apiSecret });
    await pauseTenant(database, tenantId, new AppError("BB_CREDENTIALS_INVALID"));
    const result = await testBuchhaltungsbutlerConnection(database, tenantId, "user:test");
    expect(result.error?.code).toBe("BB_CREDENTIALS_INVALID");
    expect((await database.selectFrom("tenants").select("status").where("id", "=", tenantId).executeTakeFirstOrThrow()).status).toBe("paused");
  });
});

describe("Connecting BuchhaltungsButler", () => {
  it("reads the merchant's existing debtors into the index, so the first sale finds them", async () => {
    const { tenantId, bb } = await connect(database, sandbox, { ...seed, debtors: [{ number: 10020, name: "Stammkundin", email: "Stamm@Example.com", customerNumber: "K-1" }] });
    const result = await connectBuchhaltungsbutler(database, tenantId, { mode: "own", apiClient: bb.apiClient, apiSecret: bb.apiSecret, apiKey: bb.apiKey }, "user:test");
    expect(result.saved).toBe(true);
    const indexed = await database.selectFrom("bb_debtors").select(["postingaccount_number", "email_normalized"]).where("tenant_id", "=", tenantId).execute();
    expect(indexed).toEqual([{ postingaccount_number: 10020, email_normalized: "stamm@example.com" }]);
  });
});
