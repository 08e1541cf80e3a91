import { afterEach, describe, expect, it } from "vitest";
import { createBbClient } from "@/lib/buchhaltungsbutler/client";
import { bbErrorToAppError, isThrottle } from "@/lib/buchhaltungsbutler/errors";
import type { RateLimiter } from "@/lib/buchhaltungsbutler/rate-limiter";
import { cents } from "@/lib/money";
import { testDb } from "@/scripts/test/db";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { bodyOf, failure, recorded, replayServer, type ReplayRoute, type ReplayServer } from "./corpus";

/**
 * The production BuchhaltungsButler client (transport, envelopes, wire readers, error classification, batch
 * handling) replayed against answers measured live against the real API by other integrators (PROVENANCE.md).
 */
const database = testDb();
let server: ReplayServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const bb = (id: string) => recorded("buchhaltungsbutler", id);
const noLimits: RateLimiter = { acquire: async () => ({ waitedMs: 0, release: async () => undefined }) };

async function clientFor(routes: ReplayRoute[]) {
  server = await replayServer(routes.map((r) => ({ ...r, path: typeof r.path === "string" ? `/api/v1/${r.path}` : r.path })));
  const clock = manualClock(Date.now());
  const client = createBbClient({
    database,
    tenantId: "00000000-0000-0000-0000-000000000000",
    credentials: { apiClient: "replay", apiSecret: "replay", apiKey: "replay-key" },
    clock,
    baseUrl: `${server.url}/api/v1`,
    limiter: noLimits,
    maxAttempts: 3,
    backoffMs: 10,
    readBackDelayMs: 10,
  });
  return { client, server, clock };
}

describe("receipts/get as measured live", () => {
  it("a list row: amounts as strings → cents, account as a string → number, deleted \"0\", nulls", async () => {
    const { client, server: s } = await clientFor([{ path: "receipts/get", answer: bb("bb-receipts-get-list") }]);
    const rows = await client.getReceipts({ direction: "inbound" });
    expect(rows).toEqual([
      {
        id: "4711",
        type: "invoice inbound",
        date: "2026-08-14",
        deliveryDate: null,
        counterparty: "Musterlieferant",
        invoiceNumber: "RE-26-00815",
        amount: cents(11900),
        amountPaid: cents(0),
        paymentDate: "2026-08-20",
        dueDate: null,
        account: 9999,
        deleted: false,
        linkToReceiptId: null,
        filename: "2026-08-14_Musterlieferant(Eingang)_RE-26-00815_<Kennung>.pdf",
      },
    ]);
    const sent = JSON.parse(s.requests[0]!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({ api_key: "replay-key", list_direction: "inbound", limit: 500, offset: 0 });
  });

  it("rows counts this page only: a short page ends the paging after one call", async () => {
    const { client, server: s } = await clientFor([{ path: "receipts/get", answer: bb("bb-receipts-get-list") }]);
    await client.getReceipts({ direction: "inbound" });
    expect(s.requests).toHaveLength(1);
  });

  it("an offset past the end is an empty page, not an error", async () => {
    const { client } = await clientFor([{ path: "receipts/get", answer: bb("bb-receipts-get-offset-past-end") }]);
    expect(await client.getReceipts({ direction: "inbound" })).toEqual([]);
  });

  for (const [id, code, text] of [
    ["bb-receipts-get-400-5-missing-direction", 5, "invalid list_direction specified"],
    ["bb-receipts-get-400-10-limit", 10, "invalid limit specified"],
  ] as const) {
    it(`400/${code} "${text}" is a rejection of our request, not retried`, async () => {
      const { client, server: s } = await clientFor([{ path: "receipts/get", answer: bb(id) }]);
      const e = await failure(client.getReceipts({ direction: "inbound" }));
      expect(e.code).toBe("UPSTREAM_REJECTED");
      expect(e.context).toMatchObject({ path: "receipts/get", errorCode: code, bbMessage: text, status: 400 });
      expect(s.requests).toHaveLength(1);
    });
  }

  // Known bug (issue #16 item 7): error_code 15 means "adding temporarily restricted" (a 403 throttle) on the
  // write endpoints, but on receipts/get the real API uses 15 for a bad sort field with HTTP 400 (L6).
  // lib/buchhaltungsbutler/errors.ts isThrottle() looks at the code alone, so the transport retries this
  // input error with throttle backoff and finally reports RATE_LIMITED instead of UPSTREAM_REJECTED.
  it("400/15 'invalid field specified' on receipts/get is an input error, not throttling", async () => {
    const { client, server: s } = await clientFor([{ path: "receipts/get", answer: bb("bb-receipts-get-400-15-invalid-field") }]);
    const e = await failure(client.getReceipts({ direction: "inbound" }));
    expect(e.code).toBe("UPSTREAM_REJECTED");
    expect(s.requests).toHaveLength(1);
  });

  it("the classifier: (receipts/get, 400, 15) is not a throttle", () => {
    const info = { path: "receipts/get", status: 400, errorCode: 15, bbMessage: "invalid field specified" };
    expect(isThrottle(info)).toBe(false);
    expect(bbErrorToAppError(info).code).toBe("UPSTREAM_REJECTED");
  });

  it("the client reports it once as a rejected request (no throttle pauses, no retries)", async () => {
    const { client, server: s } = await clientFor([{ path: "receipts/get", answer: bb("bb-receipts-get-400-15-invalid-field") }]);
    const e = await failure(client.getReceipts({ direction: "inbound" }));
    expect(e.code).toBe("UPSTREAM_REJECTED");
    expect(s.requests).toHaveLength(1);
  });

  it("single reads put the id in the path (receipts/get/<id>), never the spec's literal segment", async () => {
    const { client, server: s } = await clientFor([{ path: /^\/api\/v1\/receipts\/get\/.+$/, answer: bb("bb-receipts-get-literal-id-400-5") }]);
    // 400/5 is the spec's answer for an id BB does not know: a read-back finds nothing, it does not fail.
    expect(await client.getReceipt("2")).toBeNull();
    expect(s.requests[0]!.path).toBe("/api/v1/receipts/get/2");
    expect(JSON.parse(s.requests[0]!.body)).toEqual({ api_key: "replay-key" });
  });
});

describe("transactions and other answers", () => {
  it("a single transaction: numeric id and account, amount string → cents, null fields left out", async () => {
    const { client, server: s } = await clientFor([{ path: "transactions/get/1590", answer: bb("bb-transactions-get-single") }]);
    expect(await client.getTransaction("1590")).toEqual({
      id: "1590",
      toFrom: "Placeholder GmbH",
      amount: cents(-987654),
      bookingDate: "2026-08-20",
      valueDate: "2026-08-20",
      purpose: "Placeholder purpose",
      account: 1200,
    });
    expect(s.requests[0]!.path).toBe("/api/v1/transactions/get/1590");
  });

  it("an unknown path answers 404 with HTML: the client says the endpoint is missing instead of parsing it", async () => {
    const { client } = await clientFor([{ path: /^\/api\/v1\/receipts\/get$/, answer: bb("bb-unknown-path-404-html"), text: "<html><body>404 Not Found</body></html>" }]);
    const e = await failure(client.getReceipts({ direction: "inbound" }));
    expect(e.code).toBe("INTERNAL");
    expect(JSON.stringify(e.detail)).toContain("no endpoint");
  });

  it("a batch answered success:true with every item in errors[] (request_data an object) fails that item, final", async () => {
    const { client, server: s } = await clientFor([{ path: "postings/add-batch/receipts", answer: bb("bb-postings-add-batch-receipts-partial") }]);
    const out = await client.postReceipts([{ receiptId: "123", date: "2026-08-14", debtor: 10001, lines: [{ account: 8400, text: "Waren 19%", vat: "19_vat", amount: cents(11900) }] }]);
    expect(out.results).toHaveLength(1);
    const r = out.results[0]!;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("UPSTREAM_REJECTED");
      expect(r.error.context).toMatchObject({ errorCode: 23, bbMessage: "No postingtexts are set" });
    }
    expect(s.requests.filter((x) => x.path === "/api/v1/postings/add-batch/receipts")).toHaveLength(1);
    const sent = JSON.parse(s.requests[0]!.body) as { receipts: Record<string, unknown>[] };
    expect(Object.keys(sent.receipts[0]!)).toContain("postingtexts");
    expect(bodyOf(bb("bb-postings-add-batch-receipts-partial")).success).toBe(true);
  });
});
