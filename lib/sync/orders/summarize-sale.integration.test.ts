import { afterEach, describe, expect, it } from "vitest";
import { InlineDriver } from "@/inngest/inline-driver";
import { ORDERS_BACKFILL_EVENT, ORDERS_SYNC_EVENT } from "@/inngest/events";
import { ordersSync } from "@/inngest/functions/orders-sync";
import { testDb } from "@/scripts/test/db";
import { addDays } from "@/lib/time";
import { loadOrderMappings } from "@/lib/mapping/order-mappings";
import { formValuesFor, parseOrderMappingForm, saveOrderMappingForm, type OrderMappingFormValues } from "@/lib/mapping/order-mapping-form";
import { lineMath, saleTotal } from "@/sandbox/lightspeed/sale-math";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import { reconcileDays } from "./reconcile-days";

/**
 * Items 13 and 14 of issue #14, end to end: what the mapping screen saves changes what lands in the BB sandbox.
 */
const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function run(w: OrderWorld, event: typeof ORDERS_BACKFILL_EVENT | typeof ORDERS_SYNC_EVENT) {
  const driver = new InlineDriver({ definitions: [ordersSync.withDeps(w.deps)], backoffMs: () => 5 });
  const from = addDays(new Date(w.ls.clock.now()).toISOString().slice(0, 10), -30);
  if (event === ORDERS_BACKFILL_EVENT) await driver.send({ name: event, data: { tenantId: w.tenantId, kind: "backfill", from } });
  else await driver.send({ name: event, data: { tenantId: w.tenantId, kind: "poll" } });
  await driver.idle();
  expect([...driver.runs.values()].filter((r) => r.status === "failed").map((r) => String(r.error))).toEqual([]);
  return from;
}

const ACCOUNTS = [
  { number: 1000, name: "Kasse", kind: "cash" as const },
  { number: 1792, name: "EC/Kreditkarte Lightspeed", kind: "other" as const },
];

/** The mapping screen's flat form fields, as the browser submits them. */
function flatForm(v: OrderMappingFormValues, extra: Record<string, string>): Record<string, string> {
  const form: Record<string, string> = { termsDays: v.termsDays, rounding: v.rounding, tips: v.tips, giftCard: v.giftCard };
  for (const [id, target] of Object.entries(v.paymentTypes)) form[`pt.${id}`] = target;
  for (const rate of ["19", "7", "0"] as const) {
    form[`tax.${rate}.account`] = v.tax[rate].account;
    form[`tax.${rate}.vat`] = v.tax[rate].vat;
  }
  for (const [vat, account] of Object.entries(v.advance)) form[`advance.${vat}`] = account;
  for (const [k, value] of Object.entries(v)) if (typeof value === "string" && !(k in form)) form[k] = value;
  return { ...form, ...extra };
}

/** Saves the mapping screen with some fields changed, through the same functions the server action uses. */
async function submitMappingScreen(w: OrderWorld, changes: Record<string, string>) {
  const paymentTypes = await w.lsClient().listPaymentTypes();
  const current = formValuesFor(await loadOrderMappings(database, w.tenantId), paymentTypes, ACCOUNTS);
  await saveOrderMappingForm(database, w.tenantId, parseOrderMappingForm(flatForm(current, changes)), paymentTypes, ACCOUNTS);
}

async function linkOf(w: OrderWorld, saleId: number) {
  const row = await database.selectFrom("sync_links").select(["status", "last_error", "target_ids"]).where("tenant_id", "=", w.tenantId).where("entity", "=", "sale").where("source_id", "=", String(saleId)).executeTakeFirstOrThrow();
  expect(row.last_error).toBeNull();
  expect(row.status).toBe("done");
  return row.target_ids as { receiptId?: string | null; invoiceNumber?: string };
}

const cents = (s: string) => Math.round(Number(s) * 100);

/** Revenue on an account from BB's receipt postings (cents, always positive; a negative line swaps debit and credit). */
const revenueOn = (postings: { debit: number; credit: number; amount: number }[], account: number) =>
  postings.reduce((a, p) => a + (p.credit === account ? p.amount : 0) - (p.debit === account ? p.amount : 0), 0);

describe("#14.13 non-taxable lines", () => {
  it("#14.13 non-taxable lines (tax=false) go to the mapped tax-free revenue account (8100, keine USt.), never to the rounding account", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 12, days: 2, items: 30, customers: 5 } } });
    const w = world;
    // A tenant set up before the mapping existed has none saved: the chart's exempt-revenue account applies.
    await database.deleteFrom("mappings").where("tenant_id", "=", w.tenantId).where("kind", "=", "tax_free").execute();
    expect((await loadOrderMappings(database, w.tenantId)).taxFree).toEqual({ account: 8100 });
    const from = await run(w, ORDERS_BACKFILL_EVENT);

    // Stamps, lottery tickets: the merchant marks such items "not taxable" in Lightspeed. Every other item stays taxed.
    const items = [...w.ls.store.items.values()];
    items.forEach((item, i) => {
      if (i % 2 === 0) item.tax = false;
    });
    const saleIds = [1, 2, 3, 4].map(() => w.ls.mutate({ action: "addSale", kind: "normal" }).id);
    await run(w, ORDERS_SYNC_EVENT);

    const bb = w.bb.tenant(w.bbApiKey);
    let taxFreeSeen = 0;
    for (const id of saleIds) {
      const sale = w.ls.store.sales.get(id)!;
      const taxFree = sale.lines.filter((l) => !l.tax).reduce((a, l) => a + Number(lineMath(l, sale.isTaxInclusive, sale.transactionDiscountPercent).calcTotal), 0);
      const link = await linkOf(w, id);
      const postings = (bb.postingsByReceipt.get(Number(link.receiptId)) ?? []).filter((p) => !p.cancelled);
      const onTaxFree = postings.filter((p) => p.credit === 8100 || p.debit === 8100);
      // The tax-free revenue is on 8100 with "keine USt.", to the cent of Lightspeed's line values.
      expect(revenueOn(postings, 8100), `sale ${id}`).toBe(Math.round(taxFree * 100));
      expect(onTaxFree.every((p) => p.vat === "0_none")).toBe(true);
      // The rounding account holds only rounding, never goods.
      const onRounding = postings.filter((p) => p.credit === 8200 || p.debit === 8200);
      expect(onRounding.every((p) => p.text.includes("Rundungsdifferenz")), JSON.stringify(onRounding.map((p) => p.text))).toBe(true);
      if (taxFree !== 0) taxFreeSeen++;
    }
    expect(taxFreeSeen).toBeGreaterThan(0);

    // The merchant maps another tax-free account on the mapping screen (8120 exists in the chart): new sales follow.
    await submitMappingScreen(w, { taxFree: "8120" });
    for (const item of items) item.tax = false;
    const later = w.ls.mutate({ action: "addSale", kind: "normal" }).id;
    await run(w, ORDERS_SYNC_EVENT);
    const link = await linkOf(w, later);
    const laterSale = w.ls.store.sales.get(later)!;
    const postings = (bb.postingsByReceipt.get(Number(link.receiptId)) ?? []).filter((p) => !p.cancelled && !p.text.includes("Rundungsdifferenz"));
    expect(postings.map((p) => [p.credit, p.vat])).toEqual(postings.map(() => [8120, "0_none"]));
    expect(revenueOn(postings, 8120)).toBeGreaterThan(0);
    expect(Math.abs(revenueOn(postings, 8120) - cents(saleTotal(laterSale)))).toBeLessThanOrEqual(2);

    // Up to today: the sales this test added are today's.
    const to = new Date(w.ls.clock.now()).toISOString().slice(0, 10);
    const days = await reconcileDays(database, { ls: w.lsClient(), bb: w.bbClient() }, w.tenantId, { from, to });
    expect(days.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);
  }, 300_000);
});

describe("#14.14 gift cards", () => {
  it("#14.14 single-purpose vouchers (Einzweck, §3 (14) UStG): revenue with VAT when sold, no revenue again when redeemed, no liability", async () => {
    world = await startOrderWorld(database, { ls: { sizes: { sales: 12, days: 2, items: 30, customers: 5 } } });
    const w = world;
    const from = await run(w, ORDERS_BACKFILL_EVENT);
    // A shop that sells only 19 % goods: its vouchers are single-purpose, and the merchant says so on the mapping screen.
    for (const item of w.ls.store.items.values()) item.taxClassId = 1;
    await submitMappingScreen(w, { giftCardKind: "single_purpose", giftCardVat: "19_vat", giftCardRevenue: "8400" });

    const sold = w.ls.mutate({ action: "addSale", kind: "giftcard-sale" }).id;
    const redeemed = w.ls.mutate({ action: "addSale", kind: "giftcard-redeem" }).id;
    await run(w, ORDERS_SYNC_EVENT);

    const bb = w.bb.tenant(w.bbApiKey);
    const giftType = 4;
    for (const [id, what] of [
      [sold, "sold"],
      [redeemed, "redeemed"],
    ] as const) {
      const sale = w.ls.store.sales.get(id)!;
      const voucher = sale.payments.filter((p) => p.paymentTypeId === giftType).reduce((a, p) => a + cents(p.amount), 0);
      expect(voucher, `${what}: the sale moves a voucher`).not.toBe(0);
      const goods = cents(saleTotal(sale));
      const link = await linkOf(w, id);
      const invoice = link.invoiceNumber!;
      // No liability and no free posting: the voucher is revenue, not a debt.
      const free = bb.postings.filter((p) => p.kind === "free" && !p.cancelled && p.text.startsWith(invoice));
      expect(free.map((p) => [p.debit, p.credit, p.amount])).toEqual([]);
      expect(bb.postings.filter((p) => !p.cancelled && p.text.startsWith(invoice) && (p.debit === 1796 || p.credit === 1796))).toEqual([]);
      const receipt = link.receiptId ? bb.receipts.find((r) => r.id === Number(link.receiptId)) : undefined;
      const postings = link.receiptId ? (bb.postingsByReceipt.get(Number(link.receiptId)) ?? []).filter((p) => !p.cancelled) : [];
      const revenue19 = revenueOn(postings, 8400);
      expect(postings.every((p) => (p.credit !== 8400 && p.debit !== 8400) || p.vat === "19_vat")).toBe(true);
      // Sold: goods + the voucher's value is revenue at 19 %. Redeemed: only what the customer paid on top is new revenue.
      const expected = goods - voucher;
      expect(receipt?.amount ?? 0, `${what}: receipt amount`).toBe(expected);
      expect(Math.abs(revenue19 - expected), `${what}: revenue at 19 % (${revenue19} vs ${expected})`).toBeLessThanOrEqual(2);
    }

    // Every day still reconciles to the cent: revenue per VAT code and money per payment account as BB holds them.
    // Up to today: the sales this test added are today's.
    const to = new Date(w.ls.clock.now()).toISOString().slice(0, 10);
    const days = await reconcileDays(database, { ls: w.lsClient(), bb: w.bbClient() }, w.tenantId, { from, to });
    expect(days.filter((d) => !d.ok).map((d) => ({ date: d.date, differences: d.differences }))).toEqual([]);

    // Back to multi-purpose on the same screen: the next voucher sold is a liability again (today's treatment).
    await submitMappingScreen(w, { giftCardKind: "multi_purpose" });
    const multi = w.ls.mutate({ action: "addSale", kind: "giftcard-sale" }).id;
    await run(w, ORDERS_SYNC_EVENT);
    const link = await linkOf(w, multi);
    const liability = bb.postings.filter((p) => p.kind === "free" && !p.cancelled && p.text.startsWith(link.invoiceNumber!) && p.credit === 1796);
    expect(liability).toHaveLength(1);
  }, 300_000);
});
