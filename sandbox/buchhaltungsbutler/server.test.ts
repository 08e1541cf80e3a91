import { afterAll, describe, expect, it } from "vitest";
import { parsePhpForm } from "./body";
import { DEMO_PARTNER, DEMO_TENANT, EXTRA_TENANTS } from "./demo";
import { startBbSandbox } from "./server";
import { basic, err, errorOf, manualClock, rawCall } from "./test-helpers";

const sandbox = await startBbSandbox({ partners: [DEMO_PARTNER], tenants: [DEMO_TENANT, ...EXTRA_TENANTS] });
afterAll(() => sandbox.close());
const own = basic(DEMO_TENANT.apiClient!, DEMO_TENANT.apiSecret!);
const partner = basic(DEMO_PARTNER.apiClient, DEMO_PARTNER.apiSecret);
const partnerKey = DEMO_TENANT.partners![DEMO_PARTNER.apiClient]!;

describe("authentication (the same on every endpoint)", () => {
  it("accepts own credentials and the partner client with the key the merchant activated", async () => {
    expect((await rawCall(sandbox.url, "accounts/get", { api_key: DEMO_TENANT.apiKey }, { auth: own })).json.success).toBe(true);
    expect((await rawCall(sandbox.url, "accounts/get", { api_key: partnerKey }, { auth: partner })).json.success).toBe(true);
  });

  it.each([
    ["no Authorization header", null, DEMO_TENANT.apiKey, 401, 3],
    ["a wrong secret", basic(DEMO_TENANT.apiClient!, "nope"), DEMO_TENANT.apiKey, 401, 3],
    ["an unknown client", basic("who", "ever"), DEMO_TENANT.apiKey, 401, 3],
    ["no api_key", own, undefined, 401, 4],
    ["an unknown api_key", own, "nope", 401, 4],
    ["another tenant's key with this tenant's own client", own, EXTRA_TENANTS[0]!.apiKey, 401, 4],
    ["the partner client with the merchant's own key (not paired)", partner, DEMO_TENANT.apiKey, 401, 4],
    ["an inactive tenant", basic(EXTRA_TENANTS[1]!.apiClient!, EXTRA_TENANTS[1]!.apiSecret!), EXTRA_TENANTS[1]!.apiKey, 403, 11],
  ])("rejects %s", async (_n, auth, apiKey, status, code) => {
    const a = await rawCall(sandbox.url, "receipts/get", { list_direction: "outbound", ...(apiKey ? { api_key: apiKey } : {}) }, { auth });
    expect(errorOf(a)).toEqual(err(status, code));
  });
});

describe("transport", () => {
  it("answers unknown paths and non-POST requests with 404 HTML", async () => {
    const a = await rawCall(sandbox.url, "postings/reservations/get", { api_key: DEMO_TENANT.apiKey }, { auth: own });
    expect(a.status).toBe(404);
    expect(a.contentType).toContain("text/html");
    const get = await fetch(`${sandbox.url}/api/v1/accounts/get`);
    expect(get.status).toBe(404);
    expect(get.headers.get("content-type")).toContain("text/html");
  });

  it("treats an unreadable body as no content (23) where the endpoint has that code", async () => {
    const a = await rawCall(sandbox.url, "transactions/add", undefined, { auth: own, raw: "{not json" });
    expect(errorOf(a)).toEqual(err(400, 23));
  });

  it("reads PHP-style form arrays", () => {
    expect(parsePhpForm([["receipts[0][type]", "a"], ["receipts[1][type]", "b"], ["vats[]", "19_vat"], ["vats[]", "7_vat"], ["api_key", "k"]])).toEqual({
      receipts: { "0": { type: "a" }, "1": { type: "b" } },
      vats: { "0": "19_vat", "1": "7_vat" },
      api_key: "k",
    });
  });

  it("takes a form-encoded batch", async () => {
    const body = `api_key=${DEMO_TENANT.apiKey}&receipts[0][type]=invoice+outbound&receipts[0][counterparty]=Form&receipts[0][invoice_number]=F-1&receipts[0][date]=2026-03-01&receipts[0][amount]=5.00&receipts[0][currency]=EUR`;
    const a = await rawCall(sandbox.url, "receipts/addBatch", undefined, { auth: own, raw: body, contentType: "application/x-www-form-urlencoded" });
    expect((a.json.receipts as unknown[]).length).toBe(1);
  });
});

describe("rate limits on the sandbox clock", () => {
  it("admits 100 calls per rolling minute per tenant, then 429 (no throttle code on accounts/get); separate tenants are independent", async () => {
    const clock = manualClock();
    const limited = await startBbSandbox({ clock, tenants: [{ name: "A", apiClient: "a", apiSecret: "sa", apiKey: "ka" }, { name: "B", apiClient: "b", apiSecret: "sb", apiKey: "kb" }] });
    try {
      const call = (t: "a" | "b") => rawCall(limited.url, "accounts/get", { api_key: `k${t}` }, { auth: basic(t, `s${t}`) });
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) {
        statuses.push((await call("a")).status);
        clock.advance(100);
      }
      expect(statuses.every((st) => st === 200)).toBe(true);
      const throttled = await call("a");
      expect(throttled.status).toBe(429);
      expect(throttled.json).toEqual({ success: false, message: "Too Many Requests" });
      expect((await call("b")).status).toBe(200);
      // The window rolls, but the throttled call counted too: only once the first two calls have left the
      // window is there room again.
      clock.advance(60_000 - 100 * 100 + 101);
      expect((await call("a")).status).toBe(200);
      expect((await call("a")).status).toBe(429);
      expect(limited.stats("ka").throttled).toBe(2);
      expect(limited.stats("ka").maxInWindow).toBe(100);
    } finally {
      await limited.close();
    }
  });

  it("allows one call per 5 s per batch endpoint and 10 uploads per minute", async () => {
    const clock = manualClock();
    const limited = await startBbSandbox({ clock, tenants: [{ name: "A", apiClient: "a", apiSecret: "sa", apiKey: "ka" }] });
    try {
      const auth = basic("a", "sa");
      const batch = () => rawCall(limited.url, "transactions/addBatch", { api_key: "ka", transactions: [] }, { auth });
      expect(errorOf(await batch())).toEqual(err(400, 5));
      expect(errorOf(await batch())).toEqual(err(403, 15));
      // Another batch endpoint has its own interval.
      expect(errorOf(await rawCall(limited.url, "receipts/addBatch", { api_key: "ka", receipts: [] }, { auth }))).toEqual(err(400, 6));
      clock.advance(5_001);
      expect(errorOf(await batch())).toEqual(err(400, 5));
      const pdf = Buffer.from("%PDF-1.4 test").toString("base64");
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await rawCall(limited.url, "receipts/upload", { api_key: "ka", type: "invoice inbound", file: pdf, file_name: "x.pdf" }, { auth })).status);
      expect(statuses.slice(0, 10).every((st) => st === 200)).toBe(true);
      expect(statuses[10]).toBe(403);
    } finally {
      await limited.close();
    }
  });
});

describe("fault injection", () => {
  const receipt = (n: string) => ({ api_key: DEMO_TENANT.apiKey, type: "invoice outbound", counterparty: "F", invoice_number: n, date: "2026-03-01", amount: 1, currency: "EUR" });
  const count = (n: string) => sandbox.tenant(DEMO_TENANT.apiKey!).receipts.filter((r) => r.invoiceNumber === n).length;

  it("504 after commit: the write is applied, the client gets 504 / error 30", async () => {
    sandbox.faults.set({ timeout504AfterCommitRate: 1 });
    try {
      const a = await rawCall(sandbox.url, "receipts/add", receipt("FAULT-504"), { auth: own });
      expect(errorOf(a)).toEqual(err(504, 30));
    } finally {
      sandbox.faults.reset();
    }
    expect(count("FAULT-504")).toBe(1);
  });

  it("500 before commit writes nothing; after commit it does", async () => {
    sandbox.faults.set({ error500Rate: 1, error500AfterCommitShare: 0 });
    expect(errorOf(await rawCall(sandbox.url, "receipts/add", receipt("FAULT-500a"), { auth: own }))).toEqual(err(500, 0));
    sandbox.faults.set({ error500AfterCommitShare: 1 });
    expect(errorOf(await rawCall(sandbox.url, "receipts/add", receipt("FAULT-500b"), { auth: own }))).toEqual(err(500, 0));
    sandbox.faults.reset();
    expect([count("FAULT-500a"), count("FAULT-500b")]).toEqual([0, 1]);
  });

  it("drops the connection (after commit by default) and can be limited to paths", async () => {
    sandbox.faults.set({ dropRate: 1, paths: ["receipts/add"] });
    try {
      await expect(rawCall(sandbox.url, "receipts/add", receipt("FAULT-DROP"), { auth: own })).rejects.toThrow();
      expect((await rawCall(sandbox.url, "accounts/get", { api_key: DEMO_TENANT.apiKey }, { auth: own })).status).toBe(200);
    } finally {
      sandbox.faults.reset();
    }
    expect(count("FAULT-DROP")).toBe(1);
  });

  it("commit after the client gave up: 504 / error 30 at once, the write appears only after the configured delay", async () => {
    sandbox.faults.set({ lateCommitRate: 1, lateCommitMs: 400, paths: ["receipts/add"] });
    try {
      expect(errorOf(await rawCall(sandbox.url, "receipts/add", receipt("FAULT-LATE"), { auth: own }))).toEqual(err(504, 30));
    } finally {
      sandbox.faults.reset();
    }
    // What a client's read-back sees shortly after the timeout: nothing, so it writes again.
    expect(count("FAULT-LATE")).toBe(0);
    expect((await rawCall(sandbox.url, "receipts/add", receipt("FAULT-LATE"), { auth: own })).json.success).toBe(true);
    expect(count("FAULT-LATE")).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(count("FAULT-LATE")).toBe(2);
    expect(sandbox.stats(DEMO_TENANT.apiKey).faults["late-commit"]).toBeGreaterThanOrEqual(1);
  });

  it("slows answers down by the configured sandbox-clock delay", async () => {
    sandbox.faults.set({ slowRate: 1, slowMs: 300 });
    try {
      const t0 = Date.now();
      await rawCall(sandbox.url, "accounts/get", { api_key: DEMO_TENANT.apiKey }, { auth: own });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    } finally {
      sandbox.faults.reset();
    }
  });
});

describe("/__sandbox admin and inspection", () => {
  it("creates a tenant over HTTP, changes its settings, fixes a period and shows JSON and HTML", async () => {
    const created = await fetch(`${sandbox.url}/__sandbox/tenants`, { method: "POST", body: JSON.stringify({ name: "HTTP Tenant <b>", chart: "SKR04", debtorMode: "off", debtors: [{ name: "Eins" }] }) });
    expect(created.status).toBe(201);
    const t = (await created.json()) as { apiClient: string; apiSecret: string; apiKey: string };
    const auth = basic(t.apiClient, t.apiSecret);
    const r = await rawCall(sandbox.url, "receipts/add", { api_key: t.apiKey, type: "invoice outbound", counterparty: "X", invoice_number: "H-1", date: "2026-03-01", amount: 1, currency: "EUR", creditor_debtor: 10001 }, { auth });
    expect(errorOf(r)).toEqual(err(400, 29));
    await fetch(`${sandbox.url}/__sandbox/tenants/${t.apiKey}/settings`, { method: "POST", body: JSON.stringify({ debtorMode: "selective" }) });
    expect((await rawCall(sandbox.url, "receipts/add", { api_key: t.apiKey, type: "invoice outbound", counterparty: "X", invoice_number: "H-1", date: "2026-03-01", amount: 1, currency: "EUR", creditor_debtor: 10001 }, { auth })).json.success).toBe(true);
    await fetch(`${sandbox.url}/__sandbox/tenants/${t.apiKey}/fix`, { method: "POST", body: JSON.stringify({ until: "2026-03-31" }) });
    const view = (await (await fetch(`${sandbox.url}/__sandbox/tenants/${t.apiKey}`)).json()) as { fixedUntil: string; chart: string; receipts: unknown[]; debtors: unknown[]; trialBalance: { totalDebit: string } };
    expect(view).toMatchObject({ fixedUntil: "2026-03-31", chart: "SKR04", trialBalance: { totalDebit: "0.00" } });
    expect(view.receipts).toHaveLength(1);
    const page = await (await fetch(`${sandbox.url}/__sandbox/tenants/${t.apiKey}/page`)).text();
    expect(page).toContain("HTTP Tenant &lt;b&gt;");
    expect(page).toContain("Saldenliste");
    expect(await (await fetch(`${sandbox.url}/__sandbox`)).text()).toContain("Musterladen Berlin GmbH");
  });

  it("sets faults and reads stats over HTTP", async () => {
    const f = await fetch(`${sandbox.url}/__sandbox/faults`, { method: "POST", body: JSON.stringify({ error500Rate: 0.25 }) });
    expect(((await f.json()) as { error500Rate: number }).error500Rate).toBe(0.25);
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: "DELETE" });
    expect(sandbox.faults.get().error500Rate).toBe(0);
    const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats?tenant=${DEMO_TENANT.apiKey}`)).json()) as { requests: number; byPath: Record<string, number>; processCpuMs: number };
    expect(stats.requests).toBeGreaterThan(0);
    // For the benchmarks' CPU shares: the serving process's CPU so far, never zero once it has answered.
    expect(stats.processCpuMs).toBeGreaterThan(0);
    expect(stats.byPath["accounts/get"]).toBeGreaterThan(0);
  });
});
