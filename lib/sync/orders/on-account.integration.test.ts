import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { trialBalance } from "@/sandbox/buchhaltungsbutler";
import { runOrderJob, startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import type { OrderSettings } from "./order-settings";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A customer with a credit account ("Auf Rechnung") whose e-mail is removed in Lightspeed. */
function customerWithoutEmail(w: OrderWorld): number {
  const store = w.ls.account().store;
  const c = [...store.customers.values()].find((x) => x.creditAccountId > 0 && !x.archived)!;
  w.ls.mutate({ action: "editCustomer", customerId: c.id, email: "" });
  return c.id;
}

async function saleLink(w: OrderWorld, saleId: number) {
  return database.selectFrom("sync_links").select(["status", "last_error", "target_ids"]).where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").where("source_id", "=", String(saleId)).executeTakeFirstOrThrow();
}

const balanceOf = (w: OrderWorld, account: number) => trialBalance(w.bb.tenant(w.bbApiKey)).rows.find((r) => r.account === account)?.balance ?? 0;

describe.each<[string, Partial<OrderSettings>]>([
  ["per sale", { postingMode: "per_sale" }],
  ["daily summary", { postingMode: "daily_summary", individualForIdentifiedCustomers: true }],
])("#14.12 on account and store credit (%s)", (_mode, settings) => {
  it("#14.12 an on-account sale of a customer without e-mail gets the customer's own debtor (LS-<id>), never the default debtor; a payment into the account clears it", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 30, days: 2, items: 40, customers: 40 } }, settings });
    const customerId = customerWithoutEmail(world);
    await runOrderJob(world, "backfill");

    const charged = world.ls.mutate({ action: "addSale", kind: "on-account", customerId });
    await runOrderJob(world, "poll");
    const link = await saleLink(world, charged.id);
    expect(link.last_error).toBeNull();
    const tenant = world.bb.tenant(world.bbApiKey);
    const debtor = [...tenant.debtors.values()].find((d) => d.customerNumber === `LS-${customerId}`);
    expect(debtor, "a debtor with the customer's number exists in BB").toBeDefined();
    const owed = balanceOf(world, debtor!.number);
    expect(owed).toBeGreaterThan(0);
    expect(balanceOf(world, 10001), "nothing stays open on the default debtor").toBe(0);

    const paid = world.ls.mutate({ action: "addSale", kind: "account-payment", customerId });
    await runOrderJob(world, "poll");
    expect((await saleLink(world, paid.id)).last_error).toBeNull();
    expect(balanceOf(world, debtor!.number), "the payment into the account clears the customer's open item").toBe(0);
    expect(balanceOf(world, 10001)).toBe(0);
    // Cleared as an open item, not only netted on the account: BB lists the charged receipt as paid.
    const receiptId = (link.target_ids as { receiptId?: string }).receiptId!;
    const [receipt] = await world.bbClient().getReceipts({ direction: "outbound", invoiceNumber: (await world.bbClient().getReceipt(receiptId))!.invoiceNumber });
    expect(receipt).toMatchObject({ id: receiptId, amountPaid: receipt!.amount });
  }, 300_000);
});
