import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { openLaunchSession } from "@/lib/auth/open-launch-session";
import { zonedDate } from "@/lib/time";
import { decimal } from "@/lib/money";
import { manualClock } from "@/sandbox/lightspeed/manual-clock";
import { saleMath } from "@/sandbox/lightspeed/sale-math";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { lightspeedConfig } from "./config";
import type { LsSale } from "./domain";
import { buildQuery, type LsFilter } from "./query";
import { collect, connect, startSandbox, type Connected } from "./sandbox.test-helpers";
import { LightspeedTransport } from "./transport";

/**
 * The production client against the sandbox over loopback HTTP: every entity, the wire quirks, paging,
 * operators, archived, relations, reports and each error status. One manual clock: waits advance it instantly.
 */
const database = testDb();
const clock = manualClock(Date.now());
let sb: LightspeedSandbox;
let c: Connected;

beforeAll(async () => {
  sb = await startSandbox({ clock, profile: "test" });
  c = await connect(database, sb);
});
afterAll(() => sb.close());

const store = () => sb.store;
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

describe("employees", () => {
  it("reads an employee with their role; unknown employees are null", async () => {
    expect(await c.client.getEmployee("1")).toEqual({ employeeId: "1", firstName: "Anna", lastName: "Schmidt", lockOut: false, archived: false, role: { employeeRoleId: "1", name: "Admin" } });
    expect((await c.client.getEmployee("2"))?.role?.name).toBe("Manager");
    expect((await c.client.getEmployee("3"))?.role?.name).toBe("Employee");
    expect(await c.client.getEmployee("999")).toBeNull();
  });

  it("make the back office's admin and manager admins and its cashier a viewer at launch", async () => {
    // An account id of its own: other test files install tenants for the sandbox's account ids in the same database.
    const accountId = `contract-${c.tenantId}`;
    await database.updateTable("tenants").set({ ls_account_id: accountId }).where("id", "=", c.tenantId).execute();
    const lookup = (_db: unknown, _tenant: string, employeeId: string) => c.client.getEmployee(employeeId);
    const roles: string[] = [];
    for (const employeeId of ["1", "2", "3"]) roles.push((await openLaunchSession(database, { accountId, employeeId }, new Date(), lookup)).role);
    expect(roles).toEqual(["admin", "admin", "viewer"]);
  });
});

describe("reference data", () => {
  it("account, shops, registers, payment types, tax, categories, attribute sets", async () => {
    expect(await c.client.getAccount()).toEqual({ accountId: c.accountId, name: "Musterladen Berlin GmbH", currency: "EUR" });
    expect(await c.client.accountId).toBe(c.accountId);
    const shops = await c.client.listShops();
    expect(shops.map((s) => [s.shopId, s.timeZone, s.taxCategoryId])).toEqual([["1", "Europe/Berlin", "1"], ["2", "Europe/Berlin", "1"]]);
    expect((await c.client.listRegisters()).map((r) => `${r.registerId}@${r.shopId}`)).toEqual(["1@1", "2@1", "3@2"]);
    const types = await c.client.listPaymentTypes();
    expect(types.map((t) => [t.name, t.kind])).toEqual([
      ["Bar", "cash"], ["EC-Karte", "credit card"], ["Kreditkarte", "credit card"], ["Gift Card", "gift card"], ["Auf Rechnung", "credit account"], ["PayPal", "user defined"], ["Scheck", "user defined"],
    ]);
    expect(types.find((t) => t.name === "EC-Karte")!.refundAsPaymentTypeId).toBe("1");
    expect(types.find((t) => t.name === "Auf Rechnung")!.requireCustomer).toBe(true);
    expect(types.find((t) => t.name === "Scheck")!.archived).toBe(true);
    expect((await c.client.listTaxClasses()).map((t) => t.name)).toEqual(["Standard", "Lebensmittel/Bücher", "Gutschein/steuerfrei"]);
    const cats = await c.client.listTaxCategories();
    expect(cats.map((t) => [t.isTaxInclusive, t.tax1Rate, t.classes.map((x) => `${x.taxClassId}:${x.tax1Rate}`)])).toEqual([
      [true, "0.19", ["2:0.07", "3:0"]],
      [false, "0.19", ["2:0.07", "3:0"]],
    ]);
    const categories = await c.client.listCategories();
    expect(categories.length).toBe(store().categories.size);
    const kleider = categories.find((x) => x.fullPathName === "Bekleidung/Damen/Kleider")!;
    expect(kleider.nodeDepth).toBe(2);
    expect(categories.find((x) => x.categoryId === kleider.parentId)!.fullPathName).toBe("Bekleidung/Damen");
    expect(categories.filter((x) => x.parentId === null).length).toBeGreaterThan(3);
    expect(categories.some((x) => x.archived)).toBe(true);
    expect((await c.client.listItemAttributeSets())[0]).toEqual({ itemAttributeSetId: "1", name: "Color/Size", attributeName1: "Color", attributeName2: "Size", attributeName3: "", system: true, archived: false });
  });
});

describe("items and stock", () => {
  it("reads a matrix child with attributes, prices and custom fields; unknown ids are null", async () => {
    const child = [...store().items.values()].find((i) => i.matrixId && i.attribute2)!;
    const item = (await c.client.getItem(String(child.id)))!;
    expect(item).toMatchObject({ itemId: String(child.id), itemMatrixId: String(child.matrixId), description: child.description, ean: child.ean, timeStamp: iso(child.timeStamp) });
    expect(item.attributes).toEqual({ itemAttributeSetId: "1", attribute1: child.attribute1, attribute2: child.attribute2, attribute3: "" });
    expect(item.prices[0]).toEqual({ amount: decimal(child.price).toString(), useTypeId: "1", useType: "Default" });
    const custom = [...store().items.values()].find((i) => i.customFields)!;
    expect((await c.client.getItem(String(custom.id)))!.customFields).toEqual(custom.customFields);
    expect(await c.client.getItem("99999999")).toBeNull();
    await expect(c.client.getItem("12; DROP")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("reads every item (archived included), matrix, ItemShop row and customer", async () => {
    const items = await collect(c.client.readItems());
    expect(items.records.map((i) => i.itemId).sort()).toEqual([...store().items.byId.keys()].map(String).sort());
    expect(items.records.some((i) => i.archived)).toBe(true);
    const active = await collect(c.client.readItems({ includeArchived: false }));
    expect(active.records.length).toBe([...store().items.values()].filter((i) => !i.archived).length);
    const matrices = await collect(c.client.readItemMatrices());
    expect(matrices.records.length).toBe(store().matrices.size);
    expect(matrices.records.find((m) => m.attribute2Values.length > 0)!.attribute1Values.length).toBeGreaterThan(0);
    const shops = await collect(c.client.readItemShops());
    expect(shops.records.length).toBe(store().itemShops.size);
    const reserved = shops.records.filter((r) => r.shopId !== "0").reduce((s, r) => s + r.onLayaway + r.onSpecialOrder + r.onWorkOrder, 0);
    expect(reserved).toBe([...store().itemShops.values()].filter((r) => r.shopId !== 0).reduce((s, r) => s + r.onLayaway + r.onSpecialOrder + r.onWorkOrder, 0));
    expect(shops.records.find((r) => r.shopId === "0")!.averageCost).not.toBeNull();
    const customers = await collect(c.client.readCustomers());
    expect(customers.records.length).toBe(store().customers.size);
    const withEmail = customers.records.find((x) => x.contact && x.contact.emails.length > 0)!;
    expect(withEmail.contact!.emails[0]!.address).toContain("@");
    expect(customers.records.some((x) => x.contact && x.contact.emails.length === 0 && x.contact.noEmail)).toBe(true);
    const categories = await collect(c.client.readCategories());
    expect(categories.records.length).toBe(store().categories.size);
  });
});

describe("sales", () => {
  it("reads a sale with lines, payments, payment types and customer, matching Lightspeed's maths", async () => {
    const rec = [...store().sales.values()].find((s) => s.completed && s.customerId && s.lines.length > 1 && s.payments.length > 1)!;
    const sale = (await c.client.getSale(String(rec.id)))!;
    const m = saleMath(rec);
    expect(sale).toMatchObject({ saleId: String(rec.id), total: m.header.total, calcTax1: m.header.calcTax1, completed: true, shopId: String(rec.shopId), customerId: String(rec.customerId) });
    expect(sale.lines.map((l) => l.calcTotal)).toEqual(m.lines.map((l) => l.calcTotal));
    expect(sale.payments.map((p) => p.paymentType?.paymentTypeId)).toEqual(rec.payments.map((p) => String(p.paymentTypeId)));
    expect(sale.customer?.customerId).toBe(String(rec.customerId));
    expect(sale.customer?.contact).not.toBeNull();
    expect(await c.client.getSale("99999999")).toBeNull();
  });

  it("one-element collections and empty relations become arrays", async () => {
    const one = [...store().sales.values()].find((s) => s.completed && s.lines.length === 1 && s.payments.length === 1)!;
    const sale = (await c.client.getSale(String(one.id)))!;
    expect([sale.lines.length, sale.payments.length]).toEqual([1, 1]);
    const parked = [...store().sales.values()].find((s) => !s.completed && s.payments.length === 0)!;
    const p = (await c.client.getSale(String(parked.id)))!;
    expect(p).toMatchObject({ completed: false, completeTime: null, payments: [] });
  });

  it("reads completed sales in timeStamp order across pages, each exactly once; counts them", async () => {
    const all = await collect(c.client.readSales({ pageSize: 37 }));
    const expected = [...store().sales.values()].filter((s) => s.completed);
    expect(all.records.length).toBe(expected.length);
    expect(all.pages).toBe(Math.ceil(expected.length / 37));
    expect(new Set(all.records.map((s) => s.saleId)).size).toBe(all.records.length);
    const stamps = all.records.map((s) => s.timeStamp);
    expect([...stamps].sort()).toEqual(stamps);
    expect(await c.client.countSales()).toBe(expected.length);
    const withOpen = await collect(c.client.readSales({ completedOnly: false }));
    expect(withOpen.records.length).toBe(store().sales.size);
  });

  it("gives a cursor to persist after each page and resumes from it without repeats", async () => {
    const pages: { cursor: { timeStamp: string | null; ids: string[] }; ids: string[] }[] = [];
    for await (const p of c.client.readSales({ pageSize: 50 })) pages.push({ cursor: p.cursor, ids: p.records.map((s) => s.saleId) });
    const last = pages[pages.length - 1]!.cursor;
    const maxStamp = [...store().sales.values()].filter((s) => s.completed).reduce((m, s) => Math.max(m, s.timeStamp), 0);
    expect(last.timeStamp).toBe(iso(maxStamp));
    // Resuming right at the cursor (no overlap) yields nothing new ...
    expect((await collect(c.client.readSales({ cursor: last }))).records).toEqual([]);
    // ... until Lightspeed changes something.
    clock.advance(120_000);
    const added = sb.mutate({ action: "addSale" });
    const voidedId = Number(pages[0]!.ids[0]);
    sb.mutate({ action: "voidSale", saleId: voidedId });
    const next = await collect(c.client.readSales({ cursor: last }));
    expect(next.records.map((s) => s.saleId).sort()).toEqual([String(added.id), String(voidedId)].sort());
    expect(next.records.find((s) => s.saleId === String(voidedId))!.voided).toBe(true);
    // An overlap window re-reads what changed just before the cursor.
    const overlap = await collect(c.client.readSales({ since: last.timeStamp!, overlapSeconds: 3600 }));
    expect(overlap.records.length).toBeGreaterThanOrEqual(2);
  });

  it("keeps reading correctly while the shop keeps trading", async () => {
    const seen = new Map<string, LsSale>();
    let first = true;
    let voided = "";
    let added = "";
    for await (const p of c.client.readSales({ pageSize: 40 })) {
      for (const s of p.records) seen.set(s.saleId, s);
      if (first) {
        first = false;
        clock.advance(60_000);
        voided = p.records[3]!.saleId;
        sb.mutate({ action: "voidSale", saleId: Number(voided) });
        added = String(sb.mutate({ action: "addSale", kind: "giftcard-sale" }).id);
      }
    }
    expect(seen.get(voided)!.voided).toBe(true);
    const card = seen.get(added)!;
    expect(card.payments.some((p) => p.paymentType?.kind === "gift card" && decimal(p.amount).isNegative() && p.creditAccountId)).toBe(true);
    expect(seen.size).toBe([...store().sales.values()].filter((s) => s.completed).length);
  });

  it("sees stock changes through ItemShop (Item.timeStamp stays), item and customer edits through their timeStamps", async () => {
    const items = await collect(c.client.readItems());
    const itemCursor = items.records.reduce((m, i) => (i.timeStamp > m ? i.timeStamp : m), "");
    const shops = await collect(c.client.readItemShops());
    const shopCursor = shops.records.reduce((m, i) => (i.timeStamp > m ? i.timeStamp : m), "");
    clock.advance(120_000);
    const row = [...store().itemShops.values()].find((r) => r.shopId === 2)!;
    sb.mutate({ action: "changeStock", itemId: row.itemId, shopId: 2, delta: 5 });
    expect((await collect(c.client.readItems({ since: itemCursor }))).records.filter((i) => i.timeStamp > itemCursor)).toEqual([]);
    const changedRows = (await collect(c.client.readItemShops({ since: shopCursor }))).records.filter((r) => r.timeStamp > shopCursor);
    expect(changedRows.map((r) => `${r.itemId}@${r.shopId}`).sort()).toEqual([`${row.itemId}@0`, `${row.itemId}@2`]);
    sb.mutate({ action: "editItem", itemId: row.itemId, price: "42.5" });
    const edited = (await collect(c.client.readItems({ since: itemCursor }))).records.filter((i) => i.timeStamp > itemCursor);
    expect(edited.map((i) => [i.itemId, i.prices[0]!.amount])).toEqual([[String(row.itemId), "42.5"]]);
  });
});

describe("query operators and archived", () => {
  const transport = () => new LightspeedTransport({ database, tenantId: c.tenantId, config: lightspeedConfig(c.config), clock });
  async function ids(entity: string, filters: LsFilter[], archived?: "true" | "only"): Promise<number[]> {
    const t = transport();
    const out: number[] = [];
    let url = `${sb.url}/API/V3/Account/${c.accountId}/${entity}.json?${buildQuery({ filters, sort: `${entity === "Sale" ? "sale" : "item"}ID`, archived })}`;
    while (url) {
      const body = (await t.get(url, { cost: 1, what: entity })) as Record<string, unknown> & { "@attributes": { next: string } };
      const list = ([] as Record<string, string>[]).concat((body[entity] as Record<string, string>[] | undefined) ?? []);
      out.push(...list.map((x) => Number(x[`${entity === "Sale" ? "sale" : "item"}ID`])));
      url = body["@attributes"].next;
    }
    return out;
  }
  const items = () => [...store().items.values()].filter((i) => !i.archived);

  it("=, !=, >, >=, <, <=, ><, IN on ids; ~ and !~ on text; timestamps with offsets", async () => {
    expect(await ids("Item", [{ field: "itemID", op: "=", value: "5" }])).toEqual(items().filter((i) => i.id === 5).map((i) => i.id));
    expect((await ids("Item", [{ field: "itemID", op: "!=", value: "5" }])).length).toBe(items().filter((i) => i.id !== 5).length);
    expect(await ids("Item", [{ field: "itemID", op: ">", value: "230" }])).toEqual(items().filter((i) => i.id > 230).map((i) => i.id));
    expect(await ids("Item", [{ field: "itemID", op: ">=", value: "230" }])).toEqual(items().filter((i) => i.id >= 230).map((i) => i.id));
    expect(await ids("Item", [{ field: "itemID", op: "<", value: "10" }])).toEqual(items().filter((i) => i.id < 10).map((i) => i.id));
    expect(await ids("Item", [{ field: "itemID", op: "<=", value: "10" }])).toEqual(items().filter((i) => i.id <= 10).map((i) => i.id));
    expect(await ids("Item", [{ field: "itemID", op: "><", value: ["20", "30"] }])).toEqual(items().filter((i) => i.id >= 20 && i.id <= 30).map((i) => i.id));
    expect(await ids("Item", [{ field: "itemID", op: "IN", value: ["3", "7", "11"] }])).toEqual(items().filter((i) => [3, 7, 11].includes(i.id)).map((i) => i.id));
    const like = items().filter((i) => /^Sneaker/i.test(i.description) || /sneaker/i.test(i.description));
    expect(await ids("Item", [{ field: "description", op: "~", value: "%Sneaker%" }])).toEqual(like.map((i) => i.id));
    expect((await ids("Item", [{ field: "description", op: "!~", value: "%Sneaker%" }])).length).toBe(items().length - like.length);
    // The same instant written in Berlin time (+01:00/+02:00) and in UTC selects the same sales.
    const cut = [...store().sales.values()][300]!.timeStamp;
    const utc = new Date(cut).toISOString().replace(".000Z", "+00:00");
    const local = new Date(cut + 3_600_000).toISOString().replace(".000Z", "+01:00");
    const a = await ids("Sale", [{ field: "timeStamp", op: ">=", value: utc }]);
    expect(await ids("Sale", [{ field: "timeStamp", op: ">=", value: local }])).toEqual(a);
    expect(a.length).toBe([...store().sales.values()].filter((s) => Math.floor(s.timeStamp / 1000) >= Math.floor(cut / 1000)).length);
  });

  it("archived=false by default, true for both, only for archived", async () => {
    const archived = [...store().items.values()].filter((i) => i.archived).map((i) => i.id);
    expect(await ids("Item", [], "only")).toEqual(archived);
    expect((await ids("Item", [], "true")).length).toBe(store().items.size);
    expect((await ids("Item", [])).some((id) => archived.includes(id))).toBe(false);
  });

  it("charges the cost the scheduler predicts for loaded relations", async () => {
    const before = c.client.stats().drips;
    let pages = 0;
    for await (const _ of c.client.readSales({ pageSize: 100, until: iso([...store().sales.values()][150]!.timeStamp) })) pages++;
    expect(Math.round((c.client.stats().drips - before) * 10) / 10).toBe(Math.round(pages * 2.6 * 10) / 10);
  });
});

describe("reports reconcile with the sales", () => {
  it("PaymentsByDay and TaxesByDay add up to the sales to the cent, per local day", async () => {
    const days = [...store().sales.values()].map((s) => s.createTime);
    const start = zonedDate(new Date(Math.min(...days) - 86_400_000), "Europe/Berlin");
    const end = zonedDate(new Date(clock.now() + 86_400_000), "Europe/Berlin");
    const sales = (await collect(c.client.readSales({ completedOnly: false }))).records.filter((s) => !s.voided && !s.archived);
    const expected = new Map<string, ReturnType<typeof decimal>>();
    for (const s of sales) {
      for (const p of s.payments) {
        if (p.archived || !(s.completed || p.createTime !== null)) continue;
        // Open sales only carry layaway deposits; completed ones all their payments.
        const key = `${zonedDate(new Date(p.createTime!), "Europe/Berlin")}|${s.shopId}|${p.paymentTypeId}`;
        expected.set(key, (expected.get(key) ?? decimal(0)).plus(decimal(p.amount)));
      }
    }
    const rows = await c.client.paymentsByDay(start, end);
    const actual = new Map<string, ReturnType<typeof decimal>>();
    for (const r of rows) {
      const key = `${r.date}|${r.shopId}|${r.paymentTypeId}`;
      actual.set(key, (actual.get(key) ?? decimal(0)).plus(decimal(r.amount)));
    }
    expect([...actual.entries()].map(([k, v]) => `${k}=${v.toFixed(2)}`).sort()).toEqual([...expected.entries()].map(([k, v]) => `${k}=${v.toFixed(2)}`).sort());
    expect(rows.some((r) => r.layaway)).toBe(true);

    const taxes = await c.client.taxesByDay(start, end);
    const taxTotal = taxes.reduce((sum, r) => sum.plus(decimal(r.tax)), decimal(0));
    const saleTax = sales.filter((s) => s.completed).reduce((sum, s) => sum.plus(decimal(s.calcTax1)).plus(decimal(s.calcTax2)), decimal(0));
    expect(taxTotal.toFixed(2)).toBe(saleTax.toFixed(2));
    expect(taxes.some((r) => r.taxCategoryId === "2")).toBe(true);
    await expect(c.client.paymentsByDay("01/01/2026", end)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("error statuses", () => {
  it("400 → RECORD_INVALID with Lightspeed's message; 404 on a list → NOT_FOUND", async () => {
    const t = new LightspeedTransport({ database, tenantId: c.tenantId, config: lightspeedConfig(c.config), clock });
    await expect(t.get(`${sb.url}/API/V3/Account/${c.accountId}/Item.json?sort=ean`, { cost: 1, what: "items" })).rejects.toMatchObject({ code: "RECORD_INVALID", detail: expect.stringContaining("Sortable fields") });
    await expect(t.get(`${sb.url}/API/V3/Account/${c.accountId}/Nothing.json`, { cost: 1, what: "nothing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("403 (scope missing) → LS_SCOPE_MISSING, a tenant error", async () => {
    const narrow = await connect(database, sb, { scopes: ["employee:inventory_read"] });
    await expect(collect(narrow.client.readSales())).rejects.toMatchObject({ code: "LS_SCOPE_MISSING", kind: "tenant" });
    expect((await narrow.client.getItem("1"))?.itemId).toBe("1");
  });

  it("405 → INTERNAL, 409 → CONFLICT, 422 → RECORD_INVALID", async () => {
    sb.faults.injectOnce({ status: 405, path: "/Shop" });
    await expect(c.client.listShops()).rejects.toMatchObject({ code: "INTERNAL" });
    sb.faults.injectOnce({ status: 409, path: "/Shop" });
    await expect(c.client.listShops()).rejects.toMatchObject({ code: "CONFLICT" });
    sb.faults.injectOnce({ status: 422, path: "/Shop", message: "Invalid value for field shopID" });
    await expect(c.client.listShops()).rejects.toMatchObject({ code: "RECORD_INVALID", detail: expect.stringContaining("Invalid value for field shopID") });
  });

  it("5xx, dropped connections and 'Please try again later.' are retried with backoff", async () => {
    const retries = c.client.stats().retries;
    sb.faults.injectOnce({ status: 503, path: "/Register", times: 2 });
    sb.faults.injectOnce({ status: 400, path: "/Register", message: "Please try again later." });
    expect((await c.client.listRegisters()).length).toBe(3);
    expect(c.client.stats().retries - retries).toBe(3);
    sb.faults.set({ dropRate: 0.3 });
    try {
      expect((await collect(c.client.readCustomers({ pageSize: 10 }))).records.length).toBe(store().customers.size);
    } finally {
      sb.faults.reset();
    }
  });

  it("gives up with UPSTREAM_UNAVAILABLE after the bounded retries, and on timeouts", async () => {
    const strict = c.newClient({ config: { ...c.config, maxRetries: 2 } });
    sb.faults.set({ errorRate: 1, errorStatuses: [500, 502, 503] });
    try {
      await expect(strict.listShops()).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE", kind: "retryable" });
    } finally {
      sb.faults.reset();
    }
  });

  it("times out a request that hangs and gives up after the retries", async () => {
    // Real time here: a manual clock cannot make a response slow.
    const slow = await startSandbox({ profile: "e2e", speed: 1 });
    try {
      const conn = await connect(database, slow, { config: { maxRetries: 1, requestTimeoutMs: 150, backoffBaseMs: 10 } });
      slow.faults.set({ slowRate: 1, slowMs: 2_000 });
      await expect(conn.client.listShops()).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE", detail: expect.stringContaining("timeout") });
    } finally {
      await slow.close();
    }
  });

  it("429: waits Retry-After and succeeds; a storm that does not end → RATE_LIMITED with retryAfterSeconds", async () => {
    const throttled = c.client.stats().throttled429;
    sb.faults.set({ storm429Until: clock.now() + 4_000 });
    expect((await c.client.listShops()).length).toBe(2);
    expect(c.client.stats().throttled429).toBeGreaterThan(throttled);
    const strict = c.newClient({ config: { ...c.config, max429: 2 } });
    sb.faults.set({ storm429Until: clock.now() + 3_600_000 });
    try {
      await expect(strict.listShops()).rejects.toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
    } finally {
      sb.faults.reset();
    }
  });

  it("stops on a pagination loop and never follows a link to another host", async () => {
    const first = `${sb.url}/API/V3/Account/${c.accountId}/Category.json?sort=timeStamp&limit=100&archived=true`;
    sb.faults.injectOnce({ status: 200, path: "/Category", body: { "@attributes": { next: first, previous: "" }, Category: { categoryID: "1", name: "x", timeStamp: "2024-01-01T00:00:00+00:00" } }, times: 2 });
    await expect(collect(c.client.readCategories())).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE", detail: expect.stringContaining("same page link twice") });
    sb.faults.reset();
    sb.faults.injectOnce({ status: 200, path: "/Category", body: { "@attributes": { next: "https://evil.example/API/V3/x.json", previous: "" } } });
    await expect(collect(c.client.readCategories())).rejects.toMatchObject({ detail: expect.stringContaining("another host") });
    sb.faults.reset();
  });
});
