import { describe, expect, it } from "vitest";
import { zonedParts } from "@/lib/time";
import { d } from "./format";
import { generateStore, PROFILE_SIZES } from "./generate";
import { MALFORMED_KINDS } from "./malformed";
import { saleMath } from "./sale-math";

const NOW = Date.UTC(2026, 2, 14, 12, 0, 0);
const store = generateStore({ seed: 7, now: NOW, sizes: { ...PROFILE_SIZES.test, sales: 1500, days: 30 } });
const sales = [...store.sales.values()];
const completed = sales.filter((s) => s.completed);

describe("data generator", () => {
  it("is deterministic per seed", () => {
    const again = generateStore({ seed: 7, now: NOW, sizes: { ...PROFILE_SIZES.test, sales: 1500, days: 30 } });
    expect(JSON.stringify([...again.sales.values()].slice(0, 50))).toBe(JSON.stringify(sales.slice(0, 50)));
    const other = generateStore({ seed: 8, now: NOW, sizes: { ...PROFILE_SIZES.test, sales: 1500, days: 30 } });
    expect(JSON.stringify([...other.sales.values()].slice(0, 50))).not.toBe(JSON.stringify(sales.slice(0, 50)));
  });

  it("balances every completed sale: Σ payments = total + tips", () => {
    for (const s of completed) {
      const h = saleMath(s).header;
      expect(d(h.calcPayments).minus(h.calcTips).toString(), `sale ${s.id}`).toBe(d(h.total).toString());
    }
  });

  it("produces the sale scenarios the sync must handle", () => {
    const pt = (id: number) => store.paymentTypes.get(id)!.type;
    // Tax-exclusive (B2B) and tax-inclusive sales.
    expect(completed.some((s) => !s.isTaxInclusive)).toBe(true);
    expect(completed.filter((s) => s.isTaxInclusive).length).toBeGreaterThan(completed.length / 2);
    // 7 % and 0 % lines next to 19 %.
    const rates = new Set(completed.flatMap((s) => s.lines.map((l) => l.tax1Rate)));
    expect([...rates].sort()).toEqual(["0", "0.07", "0.19"]);
    // Refunds: negative quantities pointing at an earlier sale's line.
    const refunds = completed.filter((s) => s.lines.some((l) => l.qty < 0));
    expect(refunds.length).toBeGreaterThan(5);
    for (const r of refunds) {
      for (const l of r.lines) {
        expect(l.qty).toBeLessThan(0);
        const original = store.lineOwner.get(l.parentSaleLineId);
        expect(original && original.id < r.id).toBe(true);
      }
      expect(r.payments.every((p) => d(p.amount).lessThan(0))).toBe(true);
    }
    // EC-Karte refunds are paid out in cash (refundAsPaymentTypeID).
    const ecOriginals = refunds.filter((r) => store.lineOwner.get(r.lines[0]!.parentSaleLineId)!.payments[0]?.paymentTypeId === 2);
    for (const r of ecOriginals) expect(r.payments.every((p) => p.paymentTypeId === 1)).toBe(true);
    // Gift-card sales: a negative payment on the gift-card type with an account, balanced by a positive one.
    const cardSales = completed.filter((s) => s.payments.some((p) => pt(p.paymentTypeId) === "gift card" && d(p.amount).lessThan(0)));
    expect(cardSales.length).toBeGreaterThan(0);
    for (const s of cardSales) expect(s.payments.find((p) => d(p.amount).lessThan(0))!.creditAccountId).toBeGreaterThan(0);
    expect(cardSales.some((s) => s.lines.length === 0)).toBe(true);
    // Redemptions, tips on card payments, on-account sales for customers with a credit account, split tenders.
    expect(completed.some((s) => s.payments.some((p) => pt(p.paymentTypeId) === "gift card" && d(p.amount).greaterThan(0)))).toBe(true);
    const tipped = completed.flatMap((s) => s.payments).filter((p) => p.tipAmount !== "0");
    expect(tipped.length).toBeGreaterThan(0);
    expect(tipped.every((p) => pt(p.paymentTypeId) === "credit card")).toBe(true);
    const onAccount = completed.filter((s) => s.payments.some((p) => pt(p.paymentTypeId) === "credit account"));
    expect(onAccount.length).toBeGreaterThan(0);
    for (const s of onAccount) expect(store.customers.get(s.customerId)!.creditAccountId).toBeGreaterThan(0);
    expect(completed.some((s) => s.payments.length === 2 && s.payments[0]!.paymentTypeId === 1 && pt(s.payments[1]!.paymentTypeId) === "credit card")).toBe(true);
    // A rarely used user-defined type exists for unmapped-type tests.
    expect(completed.some((s) => s.payments.some((p) => p.paymentTypeId === 6))).toBe(true);
    // Line and transaction discounts.
    expect(completed.some((s) => s.lines.some((l) => l.discountPercent !== "0"))).toBe(true);
    expect(completed.some((s) => s.lines.some((l) => l.discountAmount !== "0"))).toBe(true);
    expect(completed.some((s) => s.transactionDiscountPercent !== "0")).toBe(true);
  });

  it("has header totals that differ from the sum of rounded lines by a cent", () => {
    const off = completed.filter((s) => {
      const m = saleMath(s);
      const rounded = m.lines.reduce((sum, l) => sum + Number(d(l.calcTotal).times(100).toDecimalPlaces(0)), 0);
      return rounded !== Number(d(m.header.total).times(100));
    });
    expect(off.length).toBeGreaterThan(3);
  });

  it("voids later, bumping timeStamp and updatetime past the completion", () => {
    const voided = sales.filter((s) => s.voided);
    expect(voided.length).toBeGreaterThan(0);
    for (const s of voided) {
      expect(s.timeStamp).toBeGreaterThan(s.completeTime!);
      expect(s.updateTime).toBe(s.timeStamp);
    }
  });

  it("keeps a register open past midnight (sales at 00:30–02:00 Berlin time)", () => {
    const late = completed.filter((s) => {
      const p = zonedParts(new Date(s.createTime), "Europe/Berlin");
      return p.hour < 3;
    });
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((s) => s.registerId === 3)).toBe(true);
  });

  it("reserves stock for open layaways and special orders in ItemShop", () => {
    const open = sales.filter((s) => !s.completed && s.lines.some((l) => l.isLayaway || l.isSpecialOrder || l.isWorkorder));
    expect(open.length).toBeGreaterThan(0);
    let expected = 0;
    for (const s of open) for (const l of s.lines) if (l.isLayaway && (store.itemShopsByItem.get(l.itemId) ?? []).some((r) => r.shopId === s.shopId)) expected += l.qty;
    const actual = [...store.itemShops.values()].filter((r) => r.shopId !== 0).reduce((sum, r) => sum + r.onLayaway, 0);
    expect(actual).toBe(expected);
    // Completed layaways were completed later than they were opened.
    expect(completed.some((s) => s.lines.some((l) => l.isLayaway) && s.completeTime! > s.createTime)).toBe(true);
  });

  it("builds a catalogue with matrices, archived and non-inventory items, prices and a category tree", () => {
    const items = [...store.items.values()];
    expect(items.length).toBe(PROFILE_SIZES.test.items);
    expect(items.some((i) => i.matrixId && i.attribute1 && i.attribute2)).toBe(true);
    expect(items.some((i) => i.archived)).toBe(true);
    expect(items.some((i) => i.itemType === "non_inventory")).toBe(true);
    expect(items.filter((i) => i.ean).every((i) => /^\d{13}$/.test(i.ean))).toBe(true);
    expect(store.attributeSets.get(1)).toMatchObject({ name: "Color/Size", attributeName1: "Color", attributeName2: "Size" });
    expect([...store.categories.values()].some((c) => c.fullPathName === "Bekleidung/Damen/Kleider")).toBe(true);
    const customers = [...store.customers.values()];
    expect(customers.some((c) => c.company && c.vatNumber)).toBe(true);
    expect(customers.some((c) => !c.contact.email)).toBe(true);
    expect(customers.some((c) => c.contact.countryCode === "AT" || c.contact.countryCode === "NL")).toBe(true);
    expect(customers.filter((c) => c.contact.address1).every((c) => /\S+ \d+[a-z]?$/.test(c.contact.address1))).toBe(true);
  });

  it("marks a share of sales as malformed, covering every kind", () => {
    const broken = generateStore({ seed: 7, now: NOW, sizes: { ...PROFILE_SIZES.test, sales: 1500, days: 30 }, malformedShare: 0.05 });
    const marked = [...broken.sales.values()].filter((s) => s.malformed);
    const completedCount = [...broken.sales.values()].filter((s) => s.completed).length;
    expect(marked.length).toBe(Math.round(completedCount * 0.05));
    expect(new Set(marked.map((s) => s.malformed!.kind))).toEqual(new Set(MALFORMED_KINDS));
  });
});
