import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { addDays } from "@/lib/time";
import { runOrderJob, startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import { loadOpenItems } from "@/lib/dashboard/open-items";
import { compareOpenItems } from "./compare-open-items";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("compareOpenItems", () => {
  it("#14.12 open items: Lightspeed's on-account balance per customer equals BB's open items per debtor, to the cent, and a missing payment shows as that customer's difference", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 40, days: 3, items: 40, customers: 40 } } });
    const store = world.ls.account().store;
    const credit = [...store.customers.values()].filter((c) => c.creditAccountId > 0 && !c.archived).slice(0, 2);
    world.ls.mutate({ action: "editCustomer", customerId: credit[0]!.id, email: "" });
    await runOrderJob(world, "backfill");
    for (const c of credit) world.ls.mutate({ action: "addSale", kind: "on-account", customerId: c.id });
    await runOrderJob(world, "poll");
    const paid = world.ls.mutate({ action: "addSale", kind: "account-payment", customerId: credit[1]!.id });
    // A store-credit purchase by the first customer on top: still owed on account.
    world.ls.mutate({ action: "addSale", kind: "on-account", customerId: credit[0]!.id });
    await runOrderJob(world, "poll");

    const range = { from: addDays(new Date(world.ls.clock.now()).toISOString().slice(0, 10), -60), to: addDays(new Date(world.ls.clock.now()).toISOString().slice(0, 10), 1) };
    const clients = { ls: world.lsClient(), bb: world.bbClient() };
    const result = await compareOpenItems(database, clients, world.tenantId, range);
    expect(result.rows.filter((r) => r.lightspeed !== r.bb)).toEqual([]);
    expect(result.ok).toBe(true);
    const first = result.rows.find((r) => r.customerId === String(credit[0]!.id))!;
    expect(first.lightspeed).toBeGreaterThan(0);
    expect(first.debtor).not.toBe(10001);
    expect(result.rows.some((r) => r.customerId === String(credit[1]!.id) && r.lightspeed !== 0)).toBe(false);
    // The dashboard's view runs the same comparison from the first synced day.
    const view = await loadOpenItems(database, world.tenantId, { today: range.to, clients });
    expect(view.kind === "items" && view.comparison.rows).toEqual(result.rows);

    // BB loses the posting of the payment into the account (cancelled by hand): the customer owes nothing in
    // Lightspeed but has an open item in BB.
    const link = await database.selectFrom("sync_links").select("target_ids").where("tenant_id", "=", world.tenantId).where("entity", "=", "sale").where("source_id", "=", String(paid.id)).executeTakeFirstOrThrow();
    const txId = Number(Object.values((link.target_ids as { tenders: Record<string, { transactionId: string }> }).tenders)[0]!.transactionId);
    const tenant = world.bb.tenant(world.bbApiKey);
    const lost = tenant.postings.filter((p) => p.transactionId === txId);
    expect(lost.length).toBeGreaterThan(0);
    for (const p of lost) p.cancelled = true;
    const after = await compareOpenItems(database, clients, world.tenantId, range);
    expect(after.ok).toBe(false);
    const row = after.rows.find((r) => r.customerId === String(credit[1]!.id))!;
    expect(row).toMatchObject({ lightspeed: 0, bb: lost.reduce((a, p) => a + p.amount, 0) });
  }, 300_000);
});
