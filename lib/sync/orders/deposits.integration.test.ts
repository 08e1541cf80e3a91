import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { InlineDriver } from "@/inngest/inline-driver";
import { ORDERS_BACKFILL_EVENT, ORDERS_SYNC_EVENT } from "@/inngest/events";
import { ordersSync } from "@/inngest/functions/orders-sync";
import { testDb } from "@/scripts/test/db";
import { addDays, zonedDate, zonedTimeToUtc } from "@/lib/time";
import { postingEntries, taxOfGross } from "@/sandbox/buchhaltungsbutler/ledger";
import { loadOrderMappings } from "@/lib/mapping/order-mappings";
import { buildBookingPlan } from "./build-booking-plan";
import { PT, line, pay, sale as saleOf } from "./fixtures.test-helpers";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import { reconcileDays } from "./reconcile-days";
import { summarizeSale } from "./summarize-sale";
import { writeBookings } from "./write-booking";
import { postingLines } from "./write-booking/posting-lines";

const database = testDb();
const TZ = "Europe/Berlin";
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function run(w: OrderWorld, event: { name: string; data: Record<string, unknown> }) {
  const driver = new InlineDriver({ definitions: [ordersSync.withDeps(w.deps)], backoffMs: () => 5 });
  await driver.send(event);
  await driver.idle();
  expect([...driver.runs.values()].filter((r) => r.status === "failed").map((r) => String(r.error))).toEqual([]);
}

/** A month start at least a week back, so instalments before and after it and the completion all lie in the past. */
function monthBoundary(now: number): string {
  const today = zonedDate(new Date(now), TZ);
  const start = `${today.slice(0, 8)}01`;
  if (addDays(start, 7) <= today) return start;
  return `${addDays(start, -1).slice(0, 8)}01`;
}

/** The world's first register, and a sellable item of its shop at the given VAT rate (at least 2 €). */
function registerAndItem(w: OrderWorld, rate: number) {
  const store = w.ls.store;
  const register = [...store.registers.values()][0]!;
  const taxCategory = store.shops.get(register.shopId)!.taxCategoryId;
  const item = [...store.items.values()].find((i) => !i.archived && i.tax && Number(i.price) > 2 && Number(store.taxRate(taxCategory, i.taxClassId)) === rate)!;
  return { register, item };
}

/** The hour `hour` of a Berlin day, as the sandbox's epoch ms. */
const local = (date: string, hour: number) => zonedTimeToUtc(date, hour, TZ).getTime();

describe("deposits through the real order sync against both sandboxes", () => {
  it("#14.9 a layaway paid in three instalments over a month boundary: cash and VAT on each payment day, revenue on completion, deposit account back to zero", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 12, days: 2, items: 200, customers: 12 } } });
    const ls = world.ls;
    const store = ls.store;
    const { register, item: full } = registerAndItem(world, 0.19);
    const { item: reduced } = registerAndItem(world, 0.07);
    expect(full && reduced).toBeTruthy();
    const buyers = new Set([...store.sales.values()].map((s) => s.customerId));
    const customer = [...store.customers.values()].find((c) => !c.archived && c.contact.email && !buyers.has(c.id))!;

    const boundary = monthBoundary(ls.clock.now());
    const days = { opened: addDays(boundary, -3), second: addDays(boundary, 1), completed: addDays(boundary, 5) };
    const sale = ls.mutate({ action: "openReservation", kind: "layaway", registerId: register.id, customerId: customer.id, itemIds: [full.id, reduced.id], at: local(days.opened, 10) });
    ls.mutate({ action: "addDeposit", saleId: sale.id, amount: "10.00", paymentTypeId: 1, at: local(days.opened, 10) + 60_000 });
    ls.mutate({ action: "addDeposit", saleId: sale.id, amount: "5.00", paymentTypeId: 2, at: local(days.second, 15) });
    ls.mutate({ action: "completeSale", saleId: sale.id, at: local(days.completed, 12) });
    const lsSale = store.sales.get(sale.id)!;
    const total = Math.round(Number(lsSale.payments.reduce((a, p) => a + Number(p.amount), 0)) * 100) - lsSale.payments.reduce((a, p) => a + Math.round(Number(p.tipAmount) * 100), 0);

    await run(world, { name: ORDERS_BACKFILL_EVENT, data: { tenantId: world.tenantId, kind: "backfill", from: addDays(days.opened, -1) } });

    const link = await database.selectFrom("sync_links").select(["status", "last_error", "target_ids"]).where("tenant_id", "=", world.tenantId).where("entity", "=", "sale").where("source_id", "=", String(sale.id)).executeTakeFirstOrThrow();
    expect([link.status, link.last_error]).toEqual(["done", null]);
    const bb = world.bb.tenant(world.bbApiKey);
    const candidates = bb.receipts.filter((r) => !r.deleted && r.amount === total && r.date === days.completed && r.creditorDebtor !== 10001);
    expect(candidates, "one receipt, dated on completion, with the full amount, on the customer's debtor").toHaveLength(1);
    const invoice = candidates[0];

    // Cash on each payment day: one transaction per instalment, on the day it was paid, on its payment account.
    const ours = bb.transactions.filter((t) => t.purpose.startsWith(`${invoice!.invoiceNumber}/`));
    const deposits = ours.filter((t) => t.purpose.includes("/A"));
    expect(deposits.map((t) => [t.bookingDate.slice(0, 10), t.account, t.amount]).sort()).toEqual([
      [days.opened, 1000, 1000],
      [days.second, 1792, 500],
    ]);
    expect(ours.filter((t) => !t.purpose.includes("/A")).every((t) => t.bookingDate.startsWith(days.completed))).toBe(true);

    // VAT on each payment day: the deposit's postings carry output VAT at the goods' rates, dated that day.
    const live = bb.postings.filter((p) => !p.cancelled);
    const entriesOn = (date: string) => live.filter((p) => p.date === date).flatMap((p) => postingEntries(bb, p));
    const balance = (entries: { account: number; debit: number; credit: number }[], account: number) => entries.filter((e) => e.account === account).reduce((a, e) => a + e.credit - e.debit, 0);
    for (const [day, t] of [[days.opened, deposits.find((d) => d.amount === 1000)!], [days.second, deposits.find((d) => d.amount === 500)!]] as const) {
      const lines = live.filter((p) => p.transactionId === t.id);
      expect(lines.map((p) => p.credit).sort()).toEqual([1711, 1718]);
      expect(lines.every((p) => p.date === day)).toBe(true);
      const entries = entriesOn(day);
      const vat19 = lines.find((p) => p.credit === 1718)!;
      const vat7 = lines.find((p) => p.credit === 1711)!;
      expect(balance(entries, 1776)).toBe(taxOfGross(vat19.amount, 19));
      expect(balance(entries, 1771)).toBe(taxOfGross(vat7.amount, 7));
    }

    // Revenue on completion: the receipt books the whole sale as revenue on the completion day.
    const revenue = live.filter((p) => p.receiptId === invoice!.id);
    expect(revenue.every((p) => p.date === days.completed)).toBe(true);
    expect(revenue.reduce((a, p) => a + p.amount, 0)).toBe(total);

    // Deposit accounts back to zero, and the customer owes nothing: the clearing postings settled the receipt.
    const all = live.flatMap((p) => postingEntries(bb, p));
    expect([1710, 1711, 1718].map((a) => balance(all, a))).toEqual([0, 0, 0]);
    const debtor = invoice!.creditorDebtor!;
    expect(balance(all, debtor)).toBe(0);

    // Every day reconciles to the cent (the deposits on their own days), and a further poll writes nothing.
    const checked = await reconcileDays(database, { ls: world.lsClient(), bb: world.bbClient() }, world.tenantId, { from: days.opened, to: days.completed });
    expect(checked.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
    const before = world.bb.stats(world.bbApiKey).requests;
    await run(world, { name: ORDERS_SYNC_EVENT, data: { tenantId: world.tenantId, kind: "poll" } });
    expect(world.bb.stats(world.bbApiKey).requests).toBe(before);
  }, 300_000);
});

describe("deposits of a layaway still open", () => {
  for (const postingMode of ["per_sale", "daily_summary"] as const) {
    it(`#14.9 each instalment is booked while the layaway is open, on the day it was paid; the completion only clears them and books the revenue (${postingMode})`, async () => {
      world = await startOrderWorld(database, { ls: { sizes: { sales: 12, days: 2, items: 200, customers: 12 } }, settings: { postingMode, individualForIdentifiedCustomers: false } });
      const ls = world.ls;
      const { register, item } = registerAndItem(world, 0.19);
      const boundary = monthBoundary(ls.clock.now());
      const days = { opened: addDays(boundary, -2), second: addDays(boundary, 2), completed: addDays(boundary, 4) };
      const from = addDays(days.opened, -1);
      const backfill = () => run(world!, { name: ORDERS_BACKFILL_EVENT, data: { tenantId: world!.tenantId, kind: "backfill", from } });
      const bb = world.bb.tenant(world.bbApiKey);
      const deposits = () => bb.transactions.filter((t) => t.purpose.includes("/A")).map((t) => [t.bookingDate.slice(0, 10), t.amount]);

      const sale = ls.mutate({ action: "openReservation", kind: "layaway", registerId: register.id, itemIds: [item.id], at: local(days.opened, 10) });
      ls.mutate({ action: "addDeposit", saleId: sale.id, amount: "2.00", paymentTypeId: 1, at: local(days.opened, 11) });
      await backfill();
      expect(deposits()).toEqual([[days.opened, 200]]);
      const receipts = bb.receipts.length;
      const link = () => database.selectFrom("sync_links").select(["status", "step"]).where("tenant_id", "=", world!.tenantId).where("entity", "=", "sale").where("source_id", "=", String(sale.id)).executeTakeFirstOrThrow();
      expect(await link()).toEqual({ status: "pending", step: "deposits" });

      ls.mutate({ action: "addDeposit", saleId: sale.id, amount: "0.50", paymentTypeId: 1, at: local(days.second, 11) });
      await backfill();
      expect(deposits()).toEqual([[days.opened, 200], [days.second, 50]]);
      expect(bb.receipts.length).toBe(receipts);

      ls.mutate({ action: "completeSale", saleId: sale.id, at: local(days.completed, 12) });
      await backfill();
      expect(await link()).toEqual(postingMode === "per_sale" ? { status: "done", step: "done" } : { status: "done", step: "day" });
      expect(deposits()).toEqual([[days.opened, 200], [days.second, 50]]);
      const live = bb.postings.filter((p) => !p.cancelled);
      const all = live.flatMap((p) => postingEntries(bb, p));
      const balance = (account: number) => all.filter((e) => e.account === account).reduce((a, e) => a + e.credit - e.debit, 0);
      expect(balance(1718)).toBe(0);
      // The VAT of each instalment lies on its day.
      for (const [day, gross] of [[days.opened, 200], [days.second, 50]] as const) {
        const vat = live.filter((p) => p.date === day && p.credit === 1718).flatMap((p) => postingEntries(bb, p)).filter((e) => e.account === 1776).reduce((a, e) => a + e.credit, 0);
        expect(vat).toBe(taxOfGross(gross, 19));
      }
      const checked = await reconcileDays(database, { ls: world.lsClient(), bb: world.bbClient() }, world.tenantId, { from: days.opened, to: days.completed });
      expect(checked.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
    }, 300_000);
  }
});

describe("deposits are written exactly once", () => {
  for (const batch of [false, true]) {
    it(`#14.9 a write that died after the deposit's transaction and posting reached BB finds them on the deposit's day instead of booking them twice (${batch ? "batch" : "single"} calls)`, async () => {
      world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } } });
      const mappings = await loadOrderMappings(database, world.tenantId);
      const deposit = { ...pay(PT.cash!, "20.00"), createTime: "2026-03-10T10:00:00.000Z" };
      const s = saleOf("119.00", [line("119.00", "0.19", { isLayaway: true })], [deposit, { ...pay(PT.cash!, "99.00"), createTime: "2026-03-14T09:05:00.000Z" }]);
      const plan = buildBookingPlan(summarizeSale(s, mappings, { businessDay: { timeZone: TZ, cutoffHour: 0 } }), mappings, {
        kind: "sale", invoiceNumber: `LS-1-DEP${batch ? "B" : "S"}`, date: "2026-03-14", bookingTime: "10:05:00", shopId: "1", registerId: "1",
        debtor: { number: 10001, name: "Laufkundschaft" }, dueDate: "2026-03-14", linkToSaleId: null, label: "Sale", comment: "",
      });
      const t = plan.tenders.find((x) => x.key.startsWith("A"))!;
      expect(t.bookingDate.slice(0, 10)).toBe("2026-03-10");
      // The run that died had written the deposit's transaction and posted it; neither id nor mark reached the link.
      const client = world.bbClient();
      const sent = await client.addTransaction({ account: t.account, toFrom: plan.debtor.name, amount: t.amount, bookingDate: t.bookingDate, purpose: t.purpose, bookingText: t.bookingText });
      await client.postTransaction({ transactionId: sent.id, lines: postingLines(t.lines), openItemReceiptIds: t.lines.map(() => null) });
      const bb = world.bb.tenant(world.bbApiKey);
      const before = { transactions: bb.transactions.length, postings: bb.postings.length };

      const [outcome] = await writeBookings(database, client, [{ target: { tenantId: world.tenantId, entity: "sale", sourceId: s.saleId }, plan, initial: { invoiceNumber: "", intents: [`post_${t.key}`] } }], { batch, comment: false });
      expect(outcome!.ok).toBe(true);
      expect(outcome!.state.tenders?.[t.key]).toEqual({ transactionId: sent.id, posted: true });
      const deposits = bb.transactions.filter((x) => x.purpose === t.purpose);
      expect(deposits).toHaveLength(1);
      expect(bb.postings.filter((p) => p.transactionId === Number(sent.id) && !p.cancelled)).toHaveLength(1);
      // The rest of the sale was written: the receipt, the completion's payment, the clearing posting.
      expect(bb.transactions.length).toBe(before.transactions + 1);
      expect(bb.postings.filter((p) => p.kind === "free" && p.text.startsWith(`${plan.invoiceNumber} Anzahlung`))).toHaveLength(1);
    });
  }

  it("#14.9 a run that died after an open layaway's deposit was written but before its plan was saved saves the plan on the next run, so the deposit is found and reconciled", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 12, days: 2, items: 200, customers: 12 } } });
    const ls = world.ls;
    const register = [...ls.store.registers.values()][0]!;
    const day = addDays(zonedDate(new Date(ls.clock.now()), TZ), -3);
    const sale = ls.mutate({ action: "openReservation", kind: "special", registerId: register.id, at: zonedTimeToUtc(day, 10, TZ).getTime() });
    ls.mutate({ action: "addDeposit", saleId: sale.id, amount: "1.00", paymentTypeId: 1, at: zonedTimeToUtc(day, 11, TZ).getTime() });
    const backfill = () => run(world!, { name: ORDERS_BACKFILL_EVENT, data: { tenantId: world!.tenantId, kind: "backfill", from: addDays(day, -1) } });
    await backfill();
    // What a kill between the last write and the closing save leaves: the progress, without the plan.
    const where = (q: ReturnType<typeof database.updateTable<"sync_links">>) => q.where("tenant_id", "=", world!.tenantId).where("entity", "=", "sale").where("source_id", "=", String(sale.id));
    await where(database.updateTable("sync_links").set({ target_ids: sql`target_ids - 'plan'` })).execute();
    const transactions = world.bb.tenant(world.bbApiKey).transactions.length;

    await backfill();
    expect(world.bb.tenant(world.bbApiKey).transactions.length).toBe(transactions);
    const checked = await reconcileDays(database, { ls: world.lsClient(), bb: world.bbClient() }, world.tenantId, { from: day, to: day });
    expect(checked.map((d) => d.differences)).toEqual([[]]);
  });
});

describe("a layaway voided after it was booked", () => {
  it("reverses the deposit paid on an earlier day and every day still reconciles (the deposit went in on its own day, not the completion's)", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 6, days: 2, items: 50, customers: 6 } } });
    const ls = world.ls;
    const { register, item } = registerAndItem(world, 0.19);
    const today = zonedDate(new Date(ls.clock.now()), TZ);
    const days = { opened: addDays(today, -4), completed: addDays(today, -2) };
    const sale = ls.mutate({ action: "openReservation", kind: "layaway", registerId: register.id, itemIds: [item.id], at: local(days.opened, 10) });
    ls.mutate({ action: "addDeposit", saleId: sale.id, amount: "1.50", paymentTypeId: 1, at: local(days.opened, 11) });
    ls.mutate({ action: "completeSale", saleId: sale.id, at: local(days.completed, 12) });
    await run(world, { name: ORDERS_BACKFILL_EVENT, data: { tenantId: world.tenantId, kind: "backfill", from: addDays(days.opened, -1) } });

    ls.mutate({ action: "voidSale", saleId: sale.id });
    await run(world, { name: ORDERS_SYNC_EVENT, data: { tenantId: world.tenantId, kind: "poll" } });
    const link = await database.selectFrom("sync_links").select("status").where("tenant_id", "=", world.tenantId).where("entity", "=", "sale").where("source_id", "=", String(sale.id)).executeTakeFirstOrThrow();
    expect(link.status).toBe("voided");

    const checked = await reconcileDays(database, { ls: world.lsClient(), bb: world.bbClient() }, world.tenantId, { from: days.opened, to: zonedDate(new Date(ls.clock.now()), TZ) });
    expect(checked.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
  }, 300_000);
});
