import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect as bbConnect, testSandbox } from "@/lib/buchhaltungsbutler/test-helpers";
import { cents } from "@/lib/money";
import type { BbSandbox } from "@/sandbox/buchhaltungsbutler/server";
import type { SbTenant } from "@/sandbox/buchhaltungsbutler/model";
import { startLightspeedSandbox, type LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { testDb } from "@/scripts/test/db";
import { bodyOf, recorded } from "./corpus";

/**
 * The sandboxes asked what the real APIs were asked in the corpus: where the real answer's status, error code
 * and shape are known, the sandbox must give the same. Known differences are not asserted here; they are
 * listed in README.md (and some are open items of issue #16).
 */
const database = testDb();

describe("BuchhaltungsButler sandbox against the live-measured answers", () => {
  let sb: BbSandbox;
  let tenant: SbTenant;
  beforeAll(async () => {
    sb = await testSandbox();
    const c = await bbConnect(database, sb);
    tenant = c.bb;
    await c.client.addReceipt({ type: "invoice outbound", counterparty: "Laufkundschaft", invoiceNumber: "LS-1", date: "2026-08-14", amount: cents(11900), currency: "EUR" });
    await c.client.addTransaction({ account: 1200, toFrom: "Laufkundschaft", amount: cents(11900), bookingDate: "2026-08-20 00:00:00", purpose: "LS-1" });
  });

  async function post(path: string, body: Record<string, unknown>): Promise<{ status: number; type: string; json: Record<string, unknown> | null }> {
    const res = await fetch(`${sb.apiBaseUrl}/${path}`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${tenant.apiClient}:${tenant.apiSecret}`).toString("base64")}`, "content-type": "application/json" },
      body: JSON.stringify({ ...body, api_key: tenant.apiKey }),
    });
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    return { status: res.status, type, json: type.includes("json") ? (JSON.parse(text) as Record<string, unknown>) : null };
  }

  const bb = (id: string) => recorded("buchhaltungsbutler", id);
  const requestBody = (id: string) => bb(id).request.body as Record<string, unknown>;
  const pathOf = (id: string) => bb(id).request.url.replace(/^https:\/\/webapp\.buchhaltungsbutler\.de\/api\/v1\//, "");

  it("receipts/get list rows: the same 16 keys in the same order, amounts and account as strings, deleted \"0\"", async () => {
    const live = (bodyOf(bb("bb-receipts-get-list")).data as Record<string, unknown>[])[0]!;
    const r = await post("receipts/get", { list_direction: "outbound" });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json!).sort()).toEqual(["data", "message", "rows", "success"]);
    const row = (r.json!.data as Record<string, unknown>[])[0]!;
    expect(Object.keys(row)).toEqual(Object.keys(live));
    for (const k of Object.keys(live)) {
      if (live[k] !== null && row[k] !== null) expect(typeof row[k], k).toBe(typeof live[k]);
    }
    expect(row.amount).toBe("119.00");
    expect(row.deleted).toBe("0");
    expect(r.json!.rows).toBe(1);
  });

  for (const id of ["bb-receipts-get-400-5-missing-direction", "bb-receipts-get-400-10-limit", "bb-receipts-get-literal-id-400-5"]) {
    it(`${id}: same status, error_code and message`, async () => {
      const live = bb(id);
      const body = { ...requestBody(id) };
      delete body.api_key;
      delete body.id_by_customer;
      const r = await post(pathOf(id), body);
      expect([r.status, r.json]).toEqual([live.response.status, live.response.body]);
    });
  }

  it("400/15 for a bad sort field on receipts/get: same status and code (the text is the spec's, not the live one)", async () => {
    const live = bodyOf(bb("bb-receipts-get-400-15-invalid-field"));
    const body = { ...requestBody("bb-receipts-get-400-15-invalid-field") };
    delete body.api_key;
    const r = await post("receipts/get", body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ success: false, error_code: live.error_code });
  });

  it("an offset past the end: 200 with rows 0 and data []", async () => {
    const r = await post("receipts/get", { list_direction: "inbound", offset: 999999 });
    expect([r.status, r.json]).toEqual([200, bodyOf(bb("bb-receipts-get-offset-past-end"))]);
  });

  it("an unknown path: 404 with an HTML page", async () => {
    const r = await post("postings/reservations/get", {});
    expect(r.status).toBe(404);
    expect(r.type).toContain("text/html");
  });

  it("a single transaction: data object, no rows, numeric id and account, the 13 measured keys", async () => {
    const live = bodyOf(bb("bb-transactions-get-single"));
    const list = await post("transactions/get", {});
    const first = (list.json!.data as Record<string, unknown>[])[0]!;
    const r = await post(`transactions/get/${String(first.id_by_customer)}`, {});
    expect(r.status).toBe(200);
    expect(Object.keys(r.json!).sort()).toEqual(["data", "message", "success"]);
    const data = r.json!.data as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(Object.keys(live.data as Record<string, unknown>).sort());
    expect(typeof data.id_by_customer).toBe("number");
    expect(typeof data.account).toBe("number");
    expect(typeof data.amount).toBe("string");
  });
});

describe("Lightspeed sandbox against the recorded answers", () => {
  let sb: LightspeedSandbox;
  let token: string;
  let base: string;
  beforeAll(async () => {
    sb = await startLightspeedSandbox({ profile: "test", clock: manualClock(Date.now()) });
    const account = sb.account();
    token = (await sb.issueTokens({ accountId: account.id })).accessToken;
    base = `${sb.url}/API/V3/Account/${account.id}`;
  });
  afterAll(() => sb.close());

  async function get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it("an error answer has the recorded envelope keys {httpCode, httpMessage, message, errorClass}", async () => {
    const live = bodyOf(recorded("lightspeed", "mp-employee-404"));
    const r = await get("/Sale/99999999.json");
    expect(r.status).toBe(404);
    expect(Object.keys(r.json).sort()).toEqual(Object.keys(live).sort());
    expect(r.json.httpCode).toBe("404");
  });

  it("a single record read carries @attributes.count \"1\" and the entity as an object", async () => {
    const list = await get("/Sale.json?limit=1&completed=true");
    const first = list.json.Sale as Record<string, unknown>;
    const r = await get(`/Sale/${String(first.saleID)}.json`);
    expect(r.json["@attributes"]).toEqual({ count: "1" });
    expect(Array.isArray(r.json.Sale)).toBe(false);
  });

  it("one-element relations are objects and several are arrays, as recorded", async () => {
    const r = await get('/Sale.json?limit=100&completed=true&load_relations=["SaleLines","SalePayments"]');
    const sales = r.json.Sale as Record<string, { SaleLine?: unknown; SalePayment?: unknown } | string>[];
    const forms = new Set<string>();
    for (const s of sales) {
      const lines = s.SaleLines;
      if (lines && typeof lines === "object") forms.add(Array.isArray(lines.SaleLine) ? "array" : "object");
    }
    expect(forms).toEqual(new Set(["array", "object"]));
  });

  it("ItemShop row for shop 0 carries the cost totals, like the documented summary row", async () => {
    const r = await get("/ItemShop.json?limit=100&shopID=0");
    const rows = r.json.ItemShop as Record<string, unknown>[];
    const live = (bodyOf(recorded("lightspeed", "doc-itemshop-list")).ItemShop as Record<string, unknown>[]).find((x) => x.shopID === "0")!;
    for (const k of ["averageCost", "totalValueAvgCost", "totalValueFifo"]) {
      expect(k in live).toBe(true);
      expect(k in rows[0]!, k).toBe(true);
    }
  });
});
