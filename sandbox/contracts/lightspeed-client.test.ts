import { afterEach, describe, expect, it } from "vitest";
import { createLightspeedClient, saveLightspeedTokens, type LightspeedClient } from "@/lib/lightspeed";
import { toCents } from "@/lib/money";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { failure, recorded, replayServer, type ReplayRoute, type ReplayServer } from "./corpus";

/**
 * The production Lightspeed client (transport, pagination, relations, error taxonomy, token refresh) replayed
 * against recorded real answers served on a loopback port: what the client does with what Lightspeed said.
 */
const database = testDb();
const ACCOUNT = "120645";
let server: ReplayServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const ls = (id: string) => recorded("lightspeed", id);
const tokenRoute = (id = "doc-oauth-refresh"): ReplayRoute => ({ method: "POST", path: "/auth/oauth/token", answer: ls(id) });

async function clientFor(routes: ReplayRoute[]): Promise<{ client: LightspeedClient; server: ReplayServer; clock: ReturnType<typeof manualClock> }> {
  server = await replayServer(routes);
  const clock = manualClock(Date.now());
  const tenantId = await createTestTenant(database);
  await saveLightspeedTokens(database, tenantId, {
    accessToken: "recorded-access-token",
    refreshToken: "recorded-refresh-token",
    expiresAt: new Date(clock.now() + 3_600_000),
    scopes: ["employee:all"],
    accountId: ACCOUNT,
  });
  const client = createLightspeedClient({
    database,
    tenantId,
    clock,
    config: { apiBaseUrl: server.url, authBaseUrl: server.url, clientId: "replay", clientSecret: "replay", backoffBaseMs: 10, maxRetries: 2 },
  });
  return { client, server, clock };
}

const api = (rest: string) => new RegExp(`^/API/V3/Account/${ACCOUNT}${rest}$`);

describe("account (sign-in reads it)", () => {
  it("the recorded list form {Account:{…}} is read", async () => {
    const { client } = await clientFor([{ path: api("\\.json"), answer: ls("mp-account-list") }]);
    expect(await client.getAccount()).toEqual({ accountId: "120645", name: "Kit Kraft Sandbox", currency: null });
  });

  // Known bug (issue #16 item 1): the documented GET Account/{id}.json body is flat (no Account wrapper, no
  // accountID); getAccount() (lib/lightspeed/client.ts) collects "Account" from it, finds nothing and throws
  // RECORD_INVALID "Account: value is missing". Fixed by the sign-in work on item 1, not here.
  it("the documented flat form is read, the id taken from the connection", async () => {
    const { client } = await clientFor([{ path: api("\\.json"), answer: ls("doc-account-single") }]);
    expect(await client.getAccount()).toEqual({ accountId: ACCOUNT, name: "Main", currency: "CAD" });
  });
});

describe("records", () => {
  it("a refund sale read by id: negative lines and payment in cents", async () => {
    const { client, server: s } = await clientFor([{ path: api("/Sale/282\\.json"), answer: ls("doc-tutorial-refund-full") }]);
    const sale = await client.getSale("282");
    expect(sale?.saleId).toBe("282");
    expect(toCents(sale!.total)).toBe(-3448);
    expect(sale!.payments.map((p) => toCents(p.amount))).toEqual([-3448]);
    expect(sale!.lines.map((l) => l.parentSaleLineId)).toEqual(["275", "276"]);
    expect(decodeURIComponent(s.requests[0]!.path)).toContain('load_relations=["SaleLines","SalePayments","SalePayments.PaymentType","Customer","Customer.Contact"]');
  });

  it("a recorded page of 12 real sales with no next link: one page, all read, omitted relations as empty lists", async () => {
    const { client } = await clientFor([{ path: api("/Sale\\.json"), answer: ls("mp-sales-index-selection") }]);
    const pages = [];
    for await (const p of client.readSales({ completedOnly: false })) pages.push(p);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.malformed).toEqual([]);
    expect(pages[0]!.records.map((r) => r.saleId)).toEqual(["1", "2", "3", "22", "27", "55", "56", "66", "94", "107", "113", "116"]);
    expect(pages[0]!.records.find((r) => r.saleId === "3")!.lines).toEqual([]);
    expect(pages[0]!.cursor.timeStamp).toBe("2016-02-12T06:05:35.000Z");
  });

  it("a real item with load_relations=all extras (ItemShops, TaxClass, Note…) is read", async () => {
    const { client } = await clientFor([{ path: api("/Item/417\\.json"), answer: ls("mp-item-show") }]);
    const item = await client.getItem("417");
    expect(item).toMatchObject({ itemId: "417", itemType: "default", upc: "0614121182479" });
  });
});

describe("errors as Lightspeed sent them", () => {
  it("404 with a JSON body under Content-Type text/html: a single read is null", async () => {
    const { client } = await clientFor([{ path: api("/Sale/2\\.json"), answer: ls("mp-employee-404") }]);
    expect(await client.getSale("2")).toBeNull();
  });

  it("400 {httpCode, message, errorClass} is RECORD_INVALID with Lightspeed's message, not retried", async () => {
    const { client, server: s } = await clientFor([{ path: api("/Item/9\\.json"), answer: ls("mp-item-create-invalid-400") }]);
    const e = await failure(client.getItem("9"));
    expect(e.code).toBe("RECORD_INVALID");
    expect(e.message + JSON.stringify(e.detail)).toContain("An Item must have a description.");
    expect(s.requests).toHaveLength(1);
  });

  for (const id of ["mp-account-401-bad-auth", "doc-oauth-401-revoked"]) {
    it(`401 (${id}): one refresh with the documented token answer, then the connection needs re-authorisation`, async () => {
      const { client, server: s } = await clientFor([{ path: api("\\.json"), answer: ls(id) }, tokenRoute()]);
      const e = await failure(client.getAccount());
      expect(e.code).toBe("LS_AUTH_REVOKED");
      expect(s.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
        `GET /API/V3/Account/${ACCOUNT}.json`,
        "POST /auth/oauth/token",
        `GET /API/V3/Account/${ACCOUNT}.json`,
      ]);
      expect(s.requests[1]!.body).toContain("grant_type=refresh_token");
      expect(s.requests[1]!.body).not.toContain("scope");
    });
  }

  it("429 with Retry-After 3 and no body: waits at least 3 s on the bucket, then reads the sale", async () => {
    const { client, clock } = await clientFor([{ path: api("/Sale/282\\.json"), answer: [ls("doc-429-leaky-bucket"), ls("doc-tutorial-refund-full")] }]);
    const t0 = clock.now();
    const sale = await client.getSale("282");
    expect(sale?.saleId).toBe("282");
    expect(clock.now() - t0).toBeGreaterThanOrEqual(3000);
    expect(client.stats().throttled429).toBe(1);
  });

  it("a recorded 200 whose bucket header is over the limit (91.67/90 on a 400 answer) does not break the read", async () => {
    const { client } = await clientFor([{ path: api("\\.json"), answer: ls("mp-bucket-over-limit-200") }]);
    expect((await client.getAccount()).accountId).toBe("120645");
  });
});
