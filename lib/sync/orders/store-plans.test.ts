import { afterEach, describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { getLinks } from "../links";
import { customer, line, pay, sale } from "./fixtures.test-helpers";
import { cashTypeOf, runOrdersOn, startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import { PlansToStore } from "./store-plans";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("plans stored per page", () => {
  it("#21.2 a page's plans are stored in one statement, and a refund still finds the sale it refunds in the same page", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
    const w = world;
    const cash = await cashTypeOf(database, w);
    const who = customer({ customerId: "77" }, "");
    const original = sale("10.00", [line("10.00")], [pay(cash, "10.00")], { customerId: "77", customer: who });
    const refund = sale("-10.00", [line("-10.00", "0.19", { parentSaleLineId: original.lines[0]!.saleLineId })], [pay(cash, "-10.00")], {
      customerId: "77",
      customer: who,
      completeTime: "2026-03-14T11:00:00.000Z",
      updateTime: "2026-03-14T11:00:00.000Z",
      timeStamp: "2026-03-14T11:00:00.000Z",
    });
    await runOrdersOn(database, w, [original, refund]);

    const links = await getLinks(database, w.tenantId, "sale", [original.saleId, refund.saleId]);
    expect([...links.values()].map((l) => l.status)).toEqual(["done", "done"]);
    expect(links.get(original.saleId)!.target_ids.lineIds).toEqual([original.lines[0]!.saleLineId]);
    expect(links.get(refund.saleId)!.target_ids.plan!.receipt!.linkToSaleId).toBe(original.saleId);
    // What landed in BB: both receipts, once each.
    const receipts = w.bb.tenant(w.bbApiKey).receipts.filter((r) => !r.deleted).map((r) => r.amount ?? 0).sort((a, b) => a - b);
    expect(receipts).toEqual([-1000, 1000]);
  }, 120_000);

  it("#21.2 holds each sale's latest plan until stored, then the links have them", async () => {
    const tenantId = await createTestTenant(database);
    const plans = new PlansToStore();
    plans.add("s1", ["l1", "l2"], { status: "pending", hash: "h0", targetIds: { lineIds: ["l1", "l2"] } });
    plans.add("s1", ["l1", "l2"], { status: "pending", hash: "h1", targetIds: { lineIds: ["l1", "l2"] } });
    plans.add("s2", ["l3"], { status: "pending", hash: "h2", targetIds: { lineIds: ["l3"] } });
    expect(plans.saleOfLine("l2")).toBe("s1");
    expect(plans.saleOfLine("l9")).toBeNull();
    expect((await getLinks(database, tenantId, "sale", ["s1", "s2"])).size).toBe(0);

    await plans.store(database, tenantId);
    const links = await getLinks(database, tenantId, "sale", ["s1", "s2"]);
    expect([...links.values()].map((l) => [l.source_id, l.status, l.hash, l.target_ids.lineIds]).sort()).toEqual([
      ["s1", "pending", "h1", ["l1", "l2"]],
      ["s2", "pending", "h2", ["l3"]],
    ]);
    // Stored: the links answer from now on.
    expect(plans.saleOfLine("l2")).toBeNull();
  }, 120_000);
});
