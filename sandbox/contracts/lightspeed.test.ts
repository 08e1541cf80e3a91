import { describe, expect, it } from "vitest";
import type * as z from "zod";
import type { LsSale } from "@/lib/lightspeed/domain";
import { customerSchema } from "@/lib/lightspeed/normalize/customer";
import { itemMatrixSchema, itemSchema, itemShopSchema } from "@/lib/lightspeed/normalize/item";
import { accountSchema, categorySchema, paymentTypeSchema, shopSchema, taxCategorySchema } from "@/lib/lightspeed/normalize/lookups";
import { collection, normalizeWith, type Normalized } from "@/lib/lightspeed/normalize/result";
import { saleSchema } from "@/lib/lightspeed/normalize/sale";
import { sumCents, toCents, type Cents } from "@/lib/money";
import { validateSale } from "@/lib/sync/orders/validate-sale";
import { bodyOf, corpusIds, recorded } from "./corpus";

/**
 * Every recorded Lightspeed R-Series answer in the corpus through the production normalizers (the same
 * `collection` + `normalizeWith` + schema the client uses), with what each must produce: ids, money in cents,
 * relations, and the one-or-many / omitted / "" forms the real API sends.
 */
type Entity = { key: string; idField: string; schema: z.ZodType<unknown> };
const ENTITIES: Entity[] = [
  { key: "Sale", idField: "saleID", schema: saleSchema },
  { key: "Item", idField: "itemID", schema: itemSchema },
  { key: "ItemMatrix", idField: "itemMatrixID", schema: itemMatrixSchema },
  { key: "ItemShop", idField: "itemShopID", schema: itemShopSchema },
  { key: "Customer", idField: "customerID", schema: customerSchema },
  { key: "Category", idField: "categoryID", schema: categorySchema },
  { key: "PaymentType", idField: "paymentTypeID", schema: paymentTypeSchema },
  { key: "TaxCategory", idField: "taxCategoryID", schema: taxCategorySchema },
  { key: "Shop", idField: "shopID", schema: shopSchema },
  { key: "Account", idField: "accountID", schema: accountSchema },
];

function normalizeAll<T>(id: string, key: string): Normalized<T>[] {
  const e = ENTITIES.find((x) => x.key === key)!;
  return collection(bodyOf(recorded("lightspeed", id)), key).map((raw) => normalizeWith(key, e.idField, e.schema, raw) as Normalized<T>);
}

function okAll<T>(id: string, key: string): T[] {
  return normalizeAll<T>(id, key).map((r) => {
    if (!r.ok) throw new Error(`${id}: ${r.malformed.problems.join("; ")}`);
    return r.value;
  });
}

const sales = (id: string) => okAll<LsSale>(id, "Sale");
const sale = (id: string, saleId?: string) => {
  const all = sales(id);
  const s = saleId ? all.find((x) => x.saleId === saleId) : all[0];
  if (!s) throw new Error(`${id}: no sale ${saleId ?? ""}`);
  return s;
};
const c = (v: string) => toCents(v);
const paid = (s: LsSale): Cents => sumCents(s.payments.map((p) => toCents(p.amount)));

/** Doc samples that are abbreviated on the docs page itself or are URL templates: not records we can read. */
const KNOWN_UNREADABLE: Record<string, string> = {
  "doc-account-list": "the docs show the account list with template ids ({accountID})",
  "doc-item-relations-itemshops": "the docs' relations example shows an Item cut down to its ItemShops (no timeStamp)",
};

describe("the corpus through the normalizers", () => {
  it("every record of every 2xx answer is read (except the two abbreviated doc templates)", () => {
    let records = 0;
    for (const id of corpusIds("lightspeed")) {
      const r = recorded("lightspeed", id);
      if (r.response.status !== 200 || !r.response.body || typeof r.response.body !== "object") continue;
      for (const e of ENTITIES) {
        for (const n of normalizeAll(id, e.key)) {
          records++;
          if (KNOWN_UNREADABLE[id]) expect(n.ok, id).toBe(false);
          else expect(n.ok ? "ok" : n.malformed.problems.join("; "), `${id} ${e.key}`).toBe("ok");
        }
      }
    }
    expect(records).toBeGreaterThanOrEqual(60);
  });
});

describe("sales recorded against the real API (marketplacer VCR, 2015–2016, load_relations=all)", () => {
  const id = "mp-sales-index-selection";

  it("an empty relation is left out, not sent as \"\": no lines and no payments, not an error", () => {
    const raw = collection(bodyOf(recorded("lightspeed", id)), "Sale") as Record<string, unknown>[];
    const s3 = raw.find((x) => x.saleID === "3")!;
    expect("SaleLines" in s3).toBe(false);
    expect("SalePayments" in s3).toBe(false);
    const s = sale(id, "3");
    expect(s.lines).toEqual([]);
    expect(s.payments).toEqual([]);
    expect(c(s.total)).toBe(0);
  });

  it("a one-element relation is an object, several an array: both become lists", () => {
    const s22 = sale(id, "22");
    expect(s22.lines.map((l) => l.saleLineId)).toHaveLength(1);
    expect(s22.payments).toHaveLength(1);
    expect(c(s22.payments[0]!.amount)).toBe(c(s22.total));
    expect(s22.payments[0]!.paymentType?.kind).toBe("cash");
    expect(sale(id, "107").lines).toHaveLength(7);
  });

  it("a completed cash sale: total, tax and the payment in cents", () => {
    const s = sale(id, "107");
    expect(s.completed).toBe(true);
    expect(c(s.total)).toBe(22734);
    expect(paid(s)).toBe(22734);
    expect(s.customerId).toBeNull();
    expect(s.customer).toBeNull();
  });

  it("split tender: two payments that add up to the total", () => {
    const s = sale(id, "66");
    expect(s.payments.map((p) => c(p.amount))).toEqual([1999, 3998]);
    expect(paid(s)).toBe(c(s.total));
    expect(c(s.total)).toBe(5997);
  });

  it("zero-amount payments are real records: sale 94 has nine, eight of them 0.00", () => {
    const s = sale(id, "94");
    expect(s.payments).toHaveLength(9);
    expect(s.payments.filter((p) => c(p.amount) === 0)).toHaveLength(8);
    expect(paid(s)).toBe(1308);
    expect(c(s.total)).toBe(1308);
    expect(new Set(s.payments.map((p) => p.salePaymentId)).size).toBe(9);
  });

  it("an incomplete sale can carry a payment that does not match its total (27: 0.00 against 59.97)", () => {
    const s = sale(id, "27");
    expect(s.completed).toBe(false);
    expect(c(s.total)).toBe(5997);
    expect(paid(s)).toBe(0);
    expect(s.referenceNumber).toBe("R906445597");
  });

  it("a sale with a payment and no lines (55): payments read, lines empty", () => {
    const s = sale(id, "55");
    expect(s.lines).toEqual([]);
    expect(s.payments.map((p) => c(p.amount))).toEqual([3998]);
  });

  it("a large amount keeps its cents exactly (687386.7)", () => {
    expect(c(sale(id, "2").total)).toBe(68738670);
  });

  it("line totals carry more decimals than cents and stay exact decimals (1.635, calcTax1 0.135)", () => {
    const s = sale(id, "113");
    expect(s.lines[0]!.calcTotal).toBe("1.635");
    expect(s.lines[0]!.calcTax1).toBe("0.135");
    expect(s.calcTax1).toBe("0.14");
    expect(c(s.total)).toBe(164);
  });

  it("a sale with a customer: Customer with an empty Contact (\"\" collections) reads as no e-mail, no address", () => {
    const s = sale(id, "113");
    expect(s.customerId).toBe("2");
    expect(s.customer?.customerId).toBe("2");
    expect(s.customer?.contact).toEqual({ emails: [], phones: [], addresses: [], noEmail: false });
    expect(s.payments).toEqual([]);
  });

  it("lines of a miscellaneous item carry itemID 0: no item", () => {
    const s = sale(id, "107");
    expect(s.lines.some((l) => l.itemId === null)).toBe(true);
  });

  it("the old API sends no createTime/updateTime/completeTime on sales", () => {
    const s = sale(id, "107");
    expect([s.createTime, s.updateTime, s.completeTime]).toEqual([null, null, null]);
    expect(s.timeStamp).toMatch(/Z$/);
  });
});

describe("single sale answers recorded against the real API", () => {
  it("GET Sale.json?saleID=4&limit=1 answers a single object, not a list of one", () => {
    const body = bodyOf(recorded("lightspeed", "mp-sale-show"));
    expect(Array.isArray(body.Sale)).toBe(false);
    expect(sale("mp-sale-show").saleId).toBe("4");
  });

  it("a PUT answer: six lines, taxed and untaxed, 0.01 lines, total 5.18", () => {
    const s = sale("mp-sale-update");
    expect(s.lines.map((l) => [l.saleLineId, c(l.calcTotal), l.tax])).toEqual([
      ["12", 268, true], ["13", 246, false], ["14", 1, false], ["15", 1, false], ["202", 1, false], ["205", 1, false],
    ]);
    expect(c(s.total)).toBe(518);
    expect(s.payments).toEqual([]);
  });
});

describe("refunds, gift cards and layaways (Lightspeed's documented sample answers)", () => {
  it("full refund: negative quantities, each line points at the line it refunds, negative total and payment", () => {
    const s = sale("doc-tutorial-refund-full");
    expect(s.lines.map((l) => [l.unitQuantity, l.parentSaleLineId, l.calcTotal])).toEqual([
      ["-1", "275", "-11.4860025"],
      ["-1", "276", "-22.995"],
    ]);
    expect(c(s.total)).toBe(-3448);
    expect(s.payments.map((p) => [c(p.amount), p.paymentType?.kind])).toEqual([[-3448, "cash"]]);
    expect(s.customerId).toBe("8");
  });

  it("partial refund before completion: no SaleLines key at all, a negative payment", () => {
    const s = sale("doc-tutorial-refund-partial");
    expect(s.completed).toBe(false);
    expect(s.lines).toEqual([]);
    expect(s.payments.map((p) => c(p.amount))).toEqual([-1149]);
  });

  it("selling a gift card: a 0.00 miscellaneous line, a -100 gift-card payment on a credit account and +100 cash", () => {
    const s = sale("doc-tutorial-giftcard-sale-option1");
    expect(c(s.total)).toBe(0);
    expect(s.lines.map((l) => [l.itemId, c(l.calcTotal)])).toEqual([[null, 0]]);
    expect(s.payments.map((p) => [c(p.amount), p.paymentType?.kind, p.creditAccountId])).toEqual([
      [-10000, "gift card", "9"],
      [10000, "cash", null],
    ]);
    expect(paid(s)).toBe(0);
  });

  it("paying with a gift card: a gift-card payment on credit account 9", () => {
    const s = sale("doc-tutorial-giftcard-sale-option2");
    expect(s.payments.map((p) => [c(p.amount), p.paymentType?.kind, p.creditAccountId])).toEqual([[1149, "gift card", "9"]]);
    expect(c(s.total)).toBe(1149);
  });

  it("a receipt-template sale: the customer's open layaways ride on Customer.Layaways and are not lines of this sale", () => {
    const raw = collection(bodyOf(recorded("lightspeed", "doc-displaytemplate-sale-single")), "Sale")[0] as { Customer: { Layaways: { SaleLine: { isLayaway: string; saleID: string } } } };
    expect(raw.Customer.Layaways.SaleLine).toMatchObject({ isLayaway: "true", saleID: "0" });
    const s = sale("doc-displaytemplate-sale-single");
    expect(s.lines.map((l) => [l.saleLineId, l.isLayaway])).toEqual([["5", false]]);
    expect(c(s.total)).toBe(2644);
    expect(s.customer?.customerId).toBe("1528");
    expect(s.customer?.contact?.phones).toHaveLength(2);
    expect(s.updateTime).toBe("2021-06-21T16:10:19.000Z");
  });

  it("a sale updated with a customer: 'updatetime' (lower case) is read as updateTime", () => {
    const s = sale("doc-tutorial-sale-complete");
    expect(s.updateTime).not.toBeNull();
    expect(c(s.total)).toBe(3448);
    expect(s.lines.map((l) => l.calcTotal)).toEqual(["11.4860025", "22.995"]);
  });
});

describe("items, matrices, stock", () => {
  it("real items: default, box and assembly types; the matrix item; custom fields", () => {
    const items = okAll<{ itemId: string; itemType: string; itemMatrixId: string | null; customFields: Record<string, string>; prices: { amount: string; useType: string }[] }>("mp-items-index-selection", "Item");
    const byId = new Map(items.map((i) => [i.itemId, i]));
    expect(byId.get("177")!.itemType).toBe("box");
    expect(byId.get("309")!.itemType).toBe("assembly");
    expect(byId.get("412")!.itemMatrixId).toBe("1");
    expect(byId.get("135")!.itemMatrixId).toBeNull();
    expect(byId.get("168")!.customFields).toEqual({ testfield: "" });
    expect(byId.get("135")!.prices.map((p) => [p.useType, c(p.amount)])).toEqual([["Default", 650], ["MSRP", 0]]);
  });

  it("a real ItemMatrix with its Items relation and a single attribute set", () => {
    const [m] = okAll<{ itemMatrixId: string; itemAttributeSetId: string | null; prices: { amount: string }[]; attribute1Values: string[] }>("mp-itemmatrix-show", "ItemMatrix");
    expect(m!.itemMatrixId).toBe("1");
    expect(m!.itemAttributeSetId).toBe("2");
    expect(m!.prices.map((p) => c(p.amount))).toEqual([100, 100]);
    expect(m!.attribute1Values).toEqual([]);
  });

  it("documented matrix: attribute values as arrays; a matrix item's ItemAttributes", () => {
    const [m] = okAll<{ attribute1Values: string[]; attribute2Values: string[] }>("doc-itemmatrix-single", "ItemMatrix");
    expect(m!.attribute1Values).toEqual(["Black", "White"]);
    expect(m!.attribute2Values).toEqual(["Small", "Medium", "Large"]);
    const [i] = okAll<{ itemMatrixId: string; attributes: unknown }>("doc-tutorial-matrix-item-create", "Item");
    expect(i!.itemMatrixId).toBe("20");
    expect(i!.attributes).toEqual({ itemAttributeSetId: "1", attribute1: "White", attribute2: "Small", attribute3: "" });
  });

  it("ItemShop: shop 0 is the all-shops summary row with the cost totals", () => {
    const rows = okAll<{ shopId: string; qoh: number; averageCost: string | null; totalValueAvgCost: string | null; onTransferIn: number }>("doc-itemshop-list", "ItemShop");
    const summary = rows.find((r) => r.shopId === "0")!;
    expect(summary).toMatchObject({ qoh: 33, averageCost: "17", totalValueAvgCost: "595", onTransferIn: 2 });
  });
});

describe("reference data and accounts", () => {
  it("the account list (real): one Account object with a link, no currency", () => {
    expect(okAll("mp-account-list", "Account")).toEqual([{ accountId: "120645", name: "Kit Kraft Sandbox", currency: null }]);
  });

  it("the documented single account is flat: no Account wrapper to collect", () => {
    const body = bodyOf(recorded("lightspeed", "doc-account-single"));
    expect(collection(body, "Account")).toEqual([]);
    expect(normalizeWith("Account", "accountID", accountSchema, body).ok).toBe(false); // no accountID either: the id comes from the token's acct claim
    expect((body.defaultCurrency as { code: string }).code).toBe("CAD");
  });

  it("a deleted category reads back as a count of 0 with no Category key", () => {
    expect(bodyOf(recorded("lightspeed", "mp-category-after-delete-empty"))).toEqual({ "@attributes": { count: "0" } });
    expect(okAll("mp-category-after-delete-empty", "Category")).toEqual([]);
  });

  it("a real customer with a credit account and empty address strings", () => {
    const [cu] = okAll<{ customerId: string; creditAccountId: string | null; contact: { addresses: unknown[]; emails: unknown[]; noEmail: boolean } | null }>("mp-customer-show", "Customer");
    expect(cu!.customerId).toBe("1");
    expect(cu!.creditAccountId).toBe("1");
    expect(cu!.contact?.emails).toEqual([]);
    expect(cu!.contact?.noEmail).toBe(true);
    expect(cu!.contact?.addresses).toHaveLength(1);
  });

  it("a real shop: time zone US/Pacific, tax category 1", () => {
    expect(okAll("mp-shop-show", "Shop")).toEqual([{ shopId: "1", name: "Kit Kraft Sandbox", timeZone: "US/Pacific", taxCategoryId: "1", archived: false, timeStamp: "2015-11-04T20:26:24.000Z" }]);
  });
});

describe("recorded completed sales through the sync's sale validation", () => {
  const limits = { maxSaleTotalCents: 1_000_000_00 };

  it("documented completed sales with their relations add up: lines ≈ total, payments = total (refund, gift-card-free sales)", () => {
    for (const id of ["doc-tutorial-refund-full", "doc-tutorial-sale-complete", "doc-tutorial-sale-pricing-rule", "doc-displaytemplate-sale-single", "doc-sale-create"]) {
      expect(() => validateSale(sale(id), limits), id).not.toThrow();
    }
  });

  // A risk, not asserted as a bug: completed sales without completeTime exist in recorded answers (every sale of
  // the 2015–16 recordings, and the 2021 gift-card answers in Lightspeed's tutorial). The V3 field list has
  // completeTime, so a GET should carry it; if one does not, the sync refuses the sale with this message.
  it("a completed sale without completeTime is refused with a message that says so", () => {
    for (const [id, saleId] of [["doc-tutorial-giftcard-sale-option1", undefined], ["mp-sales-index-selection", "94"]] as const) {
      const s = sale(id, saleId);
      expect(s.completed).toBe(true);
      expect(s.completeTime).toBeNull();
      expect(() => validateSale(s, limits)).toThrow(/no completion time/);
    }
  });
});
