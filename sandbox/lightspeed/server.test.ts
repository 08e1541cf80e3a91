import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "./manual-clock";
import { startLightspeedSandbox, type LightspeedSandbox } from "./server";

const clock = manualClock();
let sb: LightspeedSandbox;
let token: string;
let base: string;

beforeAll(async () => {
  sb = await startLightspeedSandbox({ clock, profile: "test", malformedShare: 0 });
  token = (await sb.issueTokens({ scopes: ["employee:all"] })).accessToken;
  base = `${sb.url}/API/V3/Account/${sb.accounts[0]!.id}`;
});
afterAll(() => sb.close());

type Body = Record<string, unknown> & { "@attributes"?: Record<string, string> };
async function get(path: string, t = token): Promise<{ status: number; body: Body; headers: Headers }> {
  clock.advance(5_000); // keep the bucket drained between calls
  const res = await fetch(path.startsWith("http") ? path : `${base}${path}`, { headers: { Authorization: `Bearer ${t}` } });
  return { status: res.status, body: (await res.json()) as Body, headers: res.headers };
}
const rel = (r: string[]) => encodeURIComponent(JSON.stringify(r));

describe("a new merchant", () => {
  it("filters an account without any sale yet by completed=true (an empty list, not 400)", async () => {
    const empty = await startLightspeedSandbox({ clock, profile: "test", accounts: [{ sizes: { sales: 0 } }] });
    try {
      const t = (await empty.issueTokens({ scopes: ["employee:all"] })).accessToken;
      const res = await fetch(`${empty.url}/API/V3/Account/${empty.accounts[0]!.id}/Sale.json?completed=true&timeStamp=%3E%3D,2026-01-01T00:00:00%2B00:00`, { headers: { Authorization: `Bearer ${t}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body.Sale, JSON.stringify(body)).toBeUndefined();
      expect(JSON.stringify(body)).toContain("@attributes");
    } finally {
      await empty.close();
    }
  });
});

describe("response shapes", () => {
  it("every scalar is a string; a missing foreign key is \"0\"; single reads carry count 1", async () => {
    const { body } = await get("/Sale/1.json");
    expect(body["@attributes"]).toEqual({ count: "1" });
    const sale = body.Sale as Record<string, unknown>;
    for (const [k, v] of Object.entries(sale)) expect(typeof v, k).toBe("string");
    const noCustomer = [...sb.store.sales.values()].find((s) => s.customerId === 0)!;
    expect(((await get(`/Sale/${noCustomer.id}.json`)).body.Sale as Record<string, string>).customerID).toBe("0");
  });

  it("one-element collections are objects, empty relations are \"\", missing to-one relations are left out", async () => {
    const single = [...sb.store.sales.values()].find((s) => s.completed && s.lines.length === 1 && s.payments.length === 1 && s.customerId === 0)!;
    const { body } = await get(`/Sale/${single.id}.json?load_relations=${rel(["SaleLines", "SalePayments", "Customer"])}`);
    const sale = body.Sale as Record<string, Record<string, unknown>>;
    expect(Array.isArray(sale.SaleLines!.SaleLine)).toBe(false);
    expect(Array.isArray(sale.SalePayments!.SalePayment)).toBe(false);
    expect("Customer" in sale).toBe(false);
    // An empty relation is "" or left out, per record (the "mixed" default): among a few, both show.
    const parked = [...sb.store.sales.values()].filter((s) => !s.completed && s.payments.length === 0).slice(0, 12);
    const empty = await Promise.all(parked.map(async (s) => ((await get(`/Sale/${s.id}.json?load_relations=${rel(["SalePayments"])}`)).body.Sale as Record<string, unknown>).SalePayments));
    expect(empty).toContain("");
    expect(empty.every((v) => v === "" || v === undefined)).toBe(true);
    // A one-element list page is an object too.
    const page = await get(`/Sale.json?saleID=${single.id}`);
    expect(Array.isArray(page.body.Sale)).toBe(false);
    // Relations are only there when asked for.
    expect("SaleLines" in ((await get(`/Sale/${single.id}.json`)).body.Sale as Record<string, unknown>)).toBe(false);
    const noEmail = [...sb.store.customers.values()].find((c) => !c.contact.email && !c.contact.phone && !c.contact.mobile)!;
    const contact = ((await get(`/Customer/${noEmail.id}.json?load_relations=${rel(["Contact"])}`)).body.Customer as Record<string, Record<string, unknown>>).Contact!;
    expect(contact.Emails).toBe("");
    expect(contact.Phones).toBe("");
  });

  it("an empty result has no entity key", async () => {
    const { body } = await get(`/Sale.json?saleID=999999`);
    expect(body).toEqual({ "@attributes": { next: "", previous: "" } });
  });

  it("pages with opaque cursors in full next/previous URLs until next is \"\"", async () => {
    const seen: number[] = [];
    let url = `${base}/Item.json?limit=50&sort=timeStamp`;
    let previous = "";
    for (let i = 0; url && i < 20; i++) {
      const { body } = await get(url);
      const items = ([] as Record<string, string>[]).concat((body.Item as Record<string, string>[] | undefined) ?? []);
      seen.push(...items.map((x) => Number(x.itemID)));
      expect(body["@attributes"]!.next === "" || body["@attributes"]!.next!.startsWith(`${base}/Item.json?`)).toBe(true);
      if (i > 0) expect(body["@attributes"]!.previous).toContain("before=");
      previous = body["@attributes"]!.previous!;
      url = body["@attributes"]!.next!;
    }
    expect(url).toBe("");
    expect(new Set(seen).size).toBe(seen.length);
    const active = [...sb.store.items.values()].filter((x) => !x.archived).length;
    expect(seen.length).toBe(active);
    // previous goes back one page.
    const back = await get(previous);
    expect(([] as unknown[]).concat(back.body.Item ?? []).length).toBe(50);
  });

  it("serves archived records only when asked (archived=true|only)", async () => {
    const archived = [...sb.store.items.values()].filter((x) => x.archived).length;
    expect(archived).toBeGreaterThan(0);
    const count = async (q: string) => Number((await get(`/Item.json?count=1${q}`)).body["@attributes"]!.count);
    expect(await count("")).toBe(sb.store.items.size - archived);
    expect(await count("&archived=true")).toBe(sb.store.items.size);
    expect(await count("&archived=only")).toBe(archived);
  });
});

describe("query rules", () => {
  it("rejects what the real API rejects, with a message that says what to fix", async () => {
    expect((await get("/Item.json?limit=101")).status).toBe(400);
    const sort = await get("/Item.json?sort=ean");
    expect(sort.status).toBe(400);
    expect(sort.body.message).toContain("Sortable fields: itemID, timeStamp, description");
    expect((await get("/Item.json?count=1&limit=5")).status).toBe(400);
    expect((await get(`/Item.json?load_relations=ItemShops`)).status).toBe(400);
    expect((await get(`/Item.json?load_relations=${rel(["Nope"])}`)).status).toBe(400);
    expect((await get("/Item.json?offset=100")).status).toBe(400);
    // A "+" that was not percent-encoded arrives as a space.
    const plus = await get("/Sale.json?timeStamp=>=,2026-01-01T00:00:00+00:00");
    expect(plus.status).toBe(400);
    expect(plus.body.message).toContain('unencoded "+"');
    expect((await get(`/Sale.json?timeStamp=${encodeURIComponent(">=,2026-01-01T00:00:00+00:00")}`)).status).toBe(200);
    expect((await get("/Sale.json?nosuchfield=1")).status).toBe(400);
    expect((await get(`/Item.json?cursor=1&after=garbage`)).status).toBe(400);
    expect((await get("/Item.json?after=garbage")).status).toBe(400);
    expect((await get("/Reports/Accounting/PaymentsByDay.json?endDate=2026-01-31")).body.message).toBe("startDate is required (YYYY-MM-DD)");
    expect((await get("/Reports/Accounting/PaymentsByDay.json?startDate=01/01/2026&endDate=2026-01-31")).status).toBe(400);
    expect((await get("/Reports/Accounting/PaymentsByDay.json?startDate=2026-01-01&endDate=2026-01-31&after=garbage")).status).toBe(400);
  });

  it("prices requests by the documented cost model", async () => {
    const cost = async (q: string) => Number((await get(q)).headers.get("x-ls-api-request-cost"));
    expect(await cost("/Sale/1.json")).toBe(1);
    expect(await cost(`/Sale/1.json?load_relations=${rel(["Customer"])}`)).toBe(1.1);
    expect(await cost(`/Sale/1.json?load_relations=${rel(["SaleLines"])}`)).toBe(1.2);
    expect(await cost(`/Sale/1.json?load_relations=${rel(["SalePayments.PaymentType"])}`)).toBe(1.4);
    expect(await cost(`/Sale.json?load_relations=${rel(["SaleLines", "SalePayments", "SalePayments.PaymentType", "Customer", "Customer.Contact"])}`)).toBe(2.6);
    expect(await cost("/Sale.json?count=1")).toBe(10);
    expect(await cost(`/Item.json?or=${encodeURIComponent("itemID=1|itemID=2")}`)).toBe(1);
    expect(await cost(`/Item.json?or=${encodeURIComponent("itemID=1|ean=2")}`)).toBe(3);
  });

  it("sends the rate-limit headers on every answer", async () => {
    const { headers } = await get("/Shop.json");
    expect(headers.get("x-ls-api-bucket-level")).toMatch(/^[\d.]+\/110$/);
    expect(headers.get("x-ls-api-burst-level")).toMatch(/^\d+\/24$/);
    expect(headers.get("x-ls-api-drip-rate")).toBe("2");
    expect(headers.get("x-ls-acct-id")).toBe(String(sb.accounts[0]!.id));
  });
});

describe("errors", () => {
  it("401 without or with a bad token; 403 when the scope is missing; 404; 405", async () => {
    expect((await fetch(`${base}/Shop.json`)).status).toBe(401);
    expect((await get("/Shop.json", "not-a-jwt")).status).toBe(401);
    const narrow = (await sb.issueTokens({ scopes: ["employee:inventory_read"] })).accessToken;
    const forbidden = await get("/Sale.json", narrow);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ httpCode: "403", httpMessage: "Forbidden" });
    expect((await get("/Item.json", narrow)).status).toBe(200);
    expect((await get("/Sale/99999999.json")).status).toBe(404);
    expect((await get("/Nope.json")).status).toBe(404);
    expect((await get(`${sb.url}/API/V3/Account/1/Sale.json`)).status).toBe(403);
    clock.advance(5_000);
    const put = await fetch(`${base}/Item/1.json`, { method: "PUT", headers: { Authorization: `Bearer ${token}` }, body: "{}" });
    expect(put.status).toBe(405);
  });

  it("throttles with 429, Retry-After and the limiter type", async () => {
    const t = (await sb.issueTokens({ scopes: ["employee:all"], clientId: sb.clients[0]!.clientId })).accessToken;
    let limited: Response | null = null;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await fetch(`${base}/Sale.json?count=1`, { headers: { Authorization: `Bearer ${t}` } });
      if (res.status === 429) limited = res;
      clock.advance(50);
    }
    expect(limited).not.toBeNull();
    expect(["api-leaky-bucket", "api-burst-limiter"]).toContain(limited!.headers.get("x-ls-api-ratelimit-type"));
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("injects faults at runtime: 5xx, canned statuses, drops, 429 storms", async () => {
    sb.faults.injectOnce({ status: 503, times: 1 });
    expect((await get("/Shop.json")).status).toBe(503);
    sb.faults.injectOnce({ status: 409, path: "/Customer" });
    expect((await get("/Shop.json")).status).toBe(200);
    expect((await get("/Customer.json")).status).toBe(409);
    sb.faults.set({ dropRate: 1 });
    await expect(get("/Shop.json")).rejects.toThrow();
    sb.faults.set({ dropRate: 0, storm429Until: clock.now() + 30_000 });
    const storm = await get("/Shop.json");
    expect(storm.status).toBe(429);
    expect(Number(storm.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    sb.faults.reset();
    expect((await get("/Shop.json")).status).toBe(200);
    // Over HTTP too (for the separate process).
    const res = await fetch(`${sb.url}/__sandbox/faults`, { method: "POST", body: JSON.stringify({ errorRate: 1, errorStatuses: [502] }) });
    expect(res.status).toBe(200);
    expect((await get("/Shop.json")).status).toBe(502);
    await fetch(`${sb.url}/__sandbox/faults`, { method: "DELETE" });
    expect((await get("/Shop.json")).status).toBe(200);
  });
});

describe("mutations bump the right timestamps", () => {
  it("stock changes bump ItemShop.timeStamp but not Item.timeStamp", async () => {
    const row = [...sb.store.itemShops.values()].find((r) => r.shopId === 1)!;
    const item = sb.store.items.get(row.itemId)!;
    const before = item.timeStamp;
    clock.advance(60_000);
    const res = await fetch(`${sb.url}/__sandbox/mutate`, { method: "POST", body: JSON.stringify({ action: "changeStock", itemId: row.itemId, shopId: 1, delta: -2 }) });
    expect(res.status).toBe(200);
    const shops = ((await get(`/Item/${row.itemId}.json?load_relations=${rel(["ItemShops"])}`)).body.Item as Record<string, Record<string, unknown>>);
    expect(shops.timeStamp).toBe(new Date(before).toISOString().replace(".000Z", "+00:00"));
    const list = ([] as Record<string, string>[]).concat(shops.ItemShops!.ItemShop as Record<string, string>[]);
    const changed = list.find((r) => r.shopID === "1")!;
    expect(Date.parse(changed.timeStamp!)).toBeGreaterThan(before);
    expect(Number(changed.qoh)).toBe(row.qoh);
  });

  it("a void sets voided and bumps timeStamp and updatetime; a new sale appears after the cursor", async () => {
    const sale = [...sb.store.sales.values()].find((s) => s.completed && !s.voided)!;
    clock.advance(60_000);
    sb.mutate({ action: "voidSale", saleId: sale.id });
    const after = (await get(`/Sale/${sale.id}.json`)).body.Sale as Record<string, string>;
    expect(after.voided).toBe("true");
    expect(after.timeStamp).toBe(after.updateTime);
    expect(Date.parse(after.timeStamp!)).toBeGreaterThan(Date.parse(after.completeTime!));
    const added = sb.mutate({ action: "addSale" });
    const fresh = (await get(`/Sale/${added.id}.json`)).body.Sale as Record<string, string>;
    expect(fresh.completed).toBe("true");
  });

  it("moving a completed sale's tender to another payment type bumps timeStamp and updatetime; gift cards are refused", async () => {
    const sale = [...sb.store.sales.values()].find((s) => s.completed && !s.voided && s.payments.length === 1 && s.payments[0]!.paymentTypeId === 1)!;
    clock.advance(60_000);
    sb.mutate({ action: "editSalePayment", saleId: sale.id, paymentTypeId: 2 });
    const after = (await get(`/Sale/${sale.id}.json?load_relations=${rel(["SalePayments"])}`)).body.Sale as { timeStamp: string; updateTime: string; completeTime: string; SalePayments: { SalePayment: { paymentTypeID: string } } };
    expect(after.SalePayments.SalePayment.paymentTypeID).toBe("2");
    expect(after.timeStamp).toBe(after.updateTime);
    expect(Date.parse(after.timeStamp)).toBeGreaterThan(Date.parse(after.completeTime));
    expect(() => sb.mutate({ action: "editSalePayment", saleId: sale.id, paymentTypeId: 4 })).toThrow(/cannot take a tender/);
  });

  it("editing only a customer's contact does not bump Customer.timeStamp (stricter default)", async () => {
    const c = [...sb.store.customers.values()][0]!;
    const before = c.timeStamp;
    clock.advance(60_000);
    sb.mutate({ action: "editCustomer", customerId: c.id, email: "neu@example.de" });
    expect(sb.store.customers.get(c.id)!.timeStamp).toBe(before);
    sb.mutate({ action: "editCustomer", customerId: c.id, lastName: "Neumann" });
    expect(sb.store.customers.get(c.id)!.timeStamp).toBeGreaterThan(before);
  });
});

describe("line and payment endpoints, scopes per endpoint", () => {
  it("serves SaleLine and SalePayment by id and by saleID", async () => {
    const sale = [...sb.store.sales.values()].find((s) => s.completed && s.lines.length > 1)!;
    const line = (await get(`/SaleLine/${sale.lines[0]!.id}.json?load_relations=${rel(["Item"])}`)).body.SaleLine as Record<string, unknown>;
    expect(line).toMatchObject({ saleID: String(sale.id), itemID: String(sale.lines[0]!.itemId) });
    expect((line.Item as Record<string, string>).itemID).toBe(String(sale.lines[0]!.itemId));
    const lines = ([] as unknown[]).concat((await get(`/SaleLine.json?saleID=${sale.id}`)).body.SaleLine ?? []);
    expect(lines).toHaveLength(sale.lines.length);
    const payments = ([] as Record<string, unknown>[]).concat(((await get(`/SalePayment.json?saleID=${sale.id}&load_relations=${rel(["PaymentType"])}`)).body.SalePayment as Record<string, unknown>[]) ?? []);
    expect(payments.map((p) => (p.PaymentType as Record<string, string>).paymentTypeID)).toEqual(sale.payments.map((p) => String(p.paymentTypeId)));
  });

  it("needs the register scope for sales and payment types, inventory for tax classes, any token for shops and registers", async () => {
    const reportsOnly = (await sb.issueTokens({ scopes: ["employee:reports"] })).accessToken;
    expect((await get("/Shop.json", reportsOnly)).status).toBe(200);
    expect((await get("/Register.json", reportsOnly)).status).toBe(200);
    expect((await get("/PaymentType.json", reportsOnly)).status).toBe(403);
    expect((await get("/TaxClass.json", reportsOnly)).status).toBe(403);
    expect((await get("/Customer.json", reportsOnly)).status).toBe(403);
    expect((await get("/Reports/Accounting/TaxesByDay.json?startDate=2026-01-01&endDate=2026-01-31", reportsOnly)).status).toBe(200);
    const noCost = (await sb.issueTokens({ scopes: ["employee:inventory_read"] })).accessToken;
    expect((await get("/Item.json", noCost)).status).toBe(200);
    expect((await get("/ItemMatrix.json", noCost)).status).toBe(403);
  });

  it("refunds through the mutation API: negative quantities pointing at the original lines", async () => {
    const original = [...sb.store.sales.values()].find((s) => s.completed && !s.voided && s.lines.length > 0 && s.lines.every((l) => l.qty > 0))!;
    const res = await fetch(`${sb.url}/__sandbox/mutate`, { method: "POST", body: JSON.stringify({ action: "refundSale", saleId: original.id }) });
    const { id } = (await res.json()) as { id: number };
    const refund = (await get(`/Sale/${id}.json?load_relations=${rel(["SaleLines", "SalePayments"])}`)).body.Sale as Record<string, Record<string, unknown>>;
    const lines = ([] as Record<string, string>[]).concat(refund.SaleLines!.SaleLine as Record<string, string>[]);
    for (const l of lines) {
      expect(Number(l.unitQuantity)).toBeLessThan(0);
      expect(original.lines.map((x) => String(x.id))).toContain(l.parentSaleLineID);
    }
    expect(Number((refund as unknown as Record<string, string>).total)).toBeLessThan(0);
  });
});

describe("back office", () => {
  it("lists the app with an install link and a custom menu button that redirects to a signed launch URL", async () => {
    const page = await fetch(`${sb.url}/__sandbox/backoffice`);
    const html = await page.text();
    expect(html).toContain('href="http://localhost:3000/install"');
    expect(html).toContain("Install Butlerbridge");
    expect(html).toMatch(/<button type="submit" class="primary">Butlerbridge öffnen \(Kasse 1\)<\/button>/);
    const res = await fetch(`${sb.url}/__sandbox/backoffice/launch?account=${sb.accounts[0]!.id}&register=3&sale=0`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const target = new URL(res.headers.get("location")!);
    expect(`${target.origin}${target.pathname}`).toBe("http://localhost:3000/launch");
    for (const p of ["accountID", "shopID", "registerID", "employeeID", "returnURL", "exp", "kid", "alg", "signature"]) expect(target.searchParams.has(p), p).toBe(true);
    expect(target.searchParams.get("registerID")).toBe("3");
    expect(target.searchParams.get("shopID")).toBe("2");
    expect(target.searchParams.get("kid")).toBe("RT_GENERIC_WEBHOOK_2023_03_17");
    expect([...target.searchParams.keys()].pop()).toBe("signature");
  });
});
