import { describe, expect, it } from "vitest";
import { customerSchema } from "./customer";
import { itemSchema, itemShopSchema, itemMatrixSchema } from "./item";
import { paymentTypeSchema, taxCategorySchema } from "./lookups";
import { canonicalDecimal } from "./primitives";
import { paymentsByDaySchema } from "./reports";
import { collection, normalizeWith } from "./result";
import { saleSchema } from "./sale";

/** Shapes as the API sends them (reference §5), trimmed. */
const rawSale = () => ({
  saleID: "277", timeStamp: "2016-11-10T13:51:54+00:00", completed: "true", archived: "false", voided: "false", isTaxInclusive: "false",
  createTime: "2016-11-10T13:51:54+00:00", updatetime: "2016-11-10T14:00:00+00:00", completeTime: "2016-11-10T13:51:54+00:00", referenceNumber: "",
  tax1Rate: "0.05", change: "0", ticketNumber: "220000000277", calcDiscount: "0", calcTotal: "34.48", calcSubtotal: "29.99", calcTax1: "1.5",
  calcTax2: "2.99", calcPayments: "34.48", total: "34.48", totalDue: "34.48", balance: "0", customerID: "0", employeeID: "2", registerID: "5",
  shopID: "1", taxCategoryID: "1", unknownFutureField: "kept out of the domain type",
  SaleLines: { SaleLine: [
    { saleLineID: "269", unitQuantity: "1", unitPrice: "9.99", tax: "true", tax1Rate: "0.05", calcSubtotal: "9.99", calcTotal: "11.4860025", calcTax1: "0.4995", calcTax2: "0.9965025", taxClassID: "6", itemID: "12", parentSaleLineID: "0", shopID: "1", saleID: "277" },
    { saleLineID: "270", unitQuantity: "1", unitPrice: "20", calcSubtotal: "20", calcTotal: "22.995", calcTax1: "1", calcTax2: "1.995", itemID: "28", saleID: "277" },
  ] },
  SalePayments: { SalePayment: {
    salePaymentID: "168", amount: "34.48", tipAmount: "0", createTime: "2016-11-10T13:51:54+00:00", archived: "false", paymentTypeID: "1", creditAccountID: "0", registerID: "5",
    PaymentType: { paymentTypeID: "1", name: "Cash", internalReserved: "true", type: "cash", requireCustomer: "false", archived: "false", refundAsPaymentTypeID: "0" },
  } },
});

describe("sale normaliser", () => {
  it("turns the API shape into the domain type: one-or-many, strings → decimals/booleans, \"0\" → null, aliases", () => {
    const r = normalizeWith("Sale", "saleID", saleSchema, rawSale());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.value;
    expect(s).toMatchObject({ saleId: "277", completed: true, isTaxInclusive: false, customerId: null, registerId: "5", total: "34.48", updateTime: "2016-11-10T14:00:00.000Z", timeStamp: "2016-11-10T13:51:54.000Z" });
    expect(s.lines).toHaveLength(2);
    expect(s.lines[0]).toMatchObject({ saleLineId: "269", calcTotal: "11.4860025", parentSaleLineId: null, tax: true, lineType: null });
    // Fields the sample leaves out default to zero/false.
    expect(s.lines[1]).toMatchObject({ discountAmount: "0", tax: false, tax1Rate: "0", isLayaway: false, saleId: "277" });
    // A single SalePayment object is a one-element list.
    expect(s.payments).toEqual([
      { salePaymentId: "168", saleId: "277", paymentTypeId: "1", amount: "34.48", tipAmount: "0", creditAccountId: null, registerId: "5", archived: false, createTime: "2016-11-10T13:51:54.000Z",
        paymentType: { paymentTypeId: "1", name: "Cash", kind: "cash", requireCustomer: false, archived: false, internalReserved: true, refundAsPaymentTypeId: null } },
    ]);
    expect(s.customer).toBeNull();
    expect(JSON.stringify(s)).not.toContain("unknownFutureField");
  });

  it("treats \"\" relations as empty and absent relations as not loaded", () => {
    const raw = { ...rawSale(), SaleLines: "", SalePayments: "" };
    const r = normalizeWith("Sale", "saleID", saleSchema, raw);
    expect(r.ok && r.value.lines.length === 0 && r.value.payments.length === 0).toBe(true);
    const { SaleLines: _l, SalePayments: _p, ...bare } = rawSale();
    const r2 = normalizeWith("Sale", "saleID", saleSchema, bare);
    expect(r2.ok && r2.value.lines).toEqual([]);
  });

  it("makes a malformed record with problems a support person understands", () => {
    const raw = rawSale();
    raw.SaleLines.SaleLine[1]!.calcTotal = "abc";
    raw.completed = "maybe";
    delete (raw as Partial<typeof raw>).total;
    raw.SalePayments.SalePayment.PaymentType.type = "voucher";
    raw.timeStamp = "2016-13-45T25:00:00+00:00";
    const r = normalizeWith("Sale", "saleID", saleSchema, raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.malformed).toMatchObject({ entity: "Sale", id: "277" });
    expect(r.malformed.raw).toBe(raw);
    expect(r.malformed.problems).toEqual(expect.arrayContaining([
      'SaleLine 270: calcTotal "abc" is not a number',
      'Sale 277: completed "maybe" is not true or false',
      "Sale 277: total is missing",
      'Sale 277: timeStamp "2016-13-45T25:00:00+00:00" is not a date and time',
      expect.stringMatching(/^PaymentType 1: type "voucher" is not a known payment type kind/),
    ]));
  });

  it("rejects exponent notation and objects where amounts belong", () => {
    const raw = rawSale();
    raw.SaleLines.SaleLine[0]!.calcTotal = "1e12";
    (raw.SaleLines.SaleLine[1] as Record<string, unknown>).unitQuantity = { value: "1" };
    const r = normalizeWith("Sale", "saleID", saleSchema, raw);
    expect(r.ok ? [] : r.malformed.problems).toEqual(['SaleLine 269: calcTotal "1e12" is not a number', "SaleLine 270: unitQuantity (an object) is not a number"]);
  });

  it("accepts updateTime spelled either way", () => {
    const { updatetime, ...rest } = rawSale();
    const r = normalizeWith("Sale", "saleID", saleSchema, { ...rest, updateTime: updatetime });
    expect(r.ok && r.value.updateTime).toBe("2016-11-10T14:00:00.000Z");
  });
});

describe("other normalisers", () => {
  it("canonicalises decimals without floats", () => {
    expect(["011.50", "-0", "+3", "0.1000000", "-2.5"].map(canonicalDecimal)).toEqual(["11.5", "0", "3", "0.1", "-2.5"]);
  });

  it("customer with contact: one-or-many addresses/e-mails, \"\" for none", () => {
    const r = normalizeWith("Customer", "customerID", customerSchema, {
      customerID: "16", firstName: "Erika", lastName: "Mustermann", company: "Muster GmbH", vatNumber: "DE123456789", creditAccountID: "0", archived: "false",
      createTime: "2021-03-22T03:25:32+00:00", timeStamp: "2021-03-22T03:25:32+00:00",
      Contact: { noEmail: "false", Addresses: { ContactAddress: { address1: "Hauptstraße 12a", city: "Berlin", zip: "10115", country: "Germany", countryCode: "DE" } }, Phones: "", Emails: { ContactEmail: { address: "erika@example.com", useType: "Primary" } }, Websites: "" },
    });
    expect(r.ok && r.value).toMatchObject({
      customerId: "16", company: "Muster GmbH", creditAccountId: null,
      contact: { emails: [{ address: "erika@example.com", useType: "Primary" }], phones: [], addresses: [{ address1: "Hauptstraße 12a", city: "Berlin", state: "", countryCode: "DE" }], noEmail: false },
    });
  });

  it("item with prices, attributes and custom fields; matrix attribute lists; ItemShop with either work-order spelling", () => {
    const item = normalizeWith("Item", "itemID", itemSchema, {
      itemID: "133", systemSku: "210000000133", defaultCost: "10", avgCost: "10", discountable: "true", tax: "true", archived: "false", itemType: "default",
      description: "T-Shirt White Small", ean: "4006381333931", customSku: "TS-WHT-S", timeStamp: "2024-12-04T19:53:35+00:00", categoryID: "7", taxClassID: "1", itemMatrixID: "20",
      ItemAttributes: { attribute1: "White", attribute2: "Small", attribute3: "", itemAttributeSetID: "1" },
      CustomFieldValues: { CustomFieldValue: { name: "Material", value: "Baumwolle" } },
      Prices: { ItemPrice: [{ amount: "19.99", useTypeID: "1", useType: "Default" }, { amount: "24.99", useTypeID: "2", useType: "MSRP" }] },
    });
    expect(item.ok && item.value).toMatchObject({
      itemId: "133", itemMatrixId: "20", attributes: { itemAttributeSetId: "1", attribute1: "White", attribute2: "Small" }, customFields: { Material: "Baumwolle" },
      prices: [{ amount: "19.99", useTypeId: "1", useType: "Default" }, { amount: "24.99", useTypeId: "2", useType: "MSRP" }],
    });
    const matrix = normalizeWith("ItemMatrix", "itemMatrixID", itemMatrixSchema, { itemMatrixID: "2", description: "T-shirt", timeStamp: "2021-03-31T18:32:28+00:00", attribute1Values: ["Black", "White"], attribute2Values: "Small" });
    expect(matrix.ok && [matrix.value.attribute1Values, matrix.value.attribute2Values, matrix.value.attribute3Values]).toEqual([["Black", "White"], ["Small"], []]);
    const shop = (extra: Record<string, string>) => normalizeWith("ItemShop", "itemShopID", itemShopSchema, { itemShopID: "665", qoh: "12", sellable: "12", onLayaway: "1", timeStamp: "2025-06-18T18:30:09+00:00", itemID: "133", shopID: "0", ...extra });
    const a = shop({ onWorkorder: "2" });
    const b = shop({ onWorkOrder: "3" });
    expect(a.ok && a.value).toMatchObject({ shopId: "0", qoh: 12, onLayaway: 1, onWorkOrder: 2, averageCost: null });
    expect(b.ok && b.value.onWorkOrder).toBe(3);
    expect(normalizeWith("Item", "itemID", itemSchema, { itemID: "1", itemType: "weird", timeStamp: "2024-12-04T19:53:35+00:00" })).toMatchObject({ ok: false, malformed: { problems: [expect.stringContaining('itemType "weird" is not a known item type')] } });
  });

  it("tax categories with class overrides, payment types, report rows (MM/DD/YYYY → ISO date)", () => {
    const t = normalizeWith("TaxCategory", "taxCategoryID", taxCategorySchema, {
      taxCategoryID: "1", isTaxInclusive: "true", tax1Name: "MwSt", tax1Rate: "0.19", tax2Rate: "0",
      TaxCategoryClasses: { TaxCategoryClass: { taxCategoryClassID: "1", taxClassID: "2", tax1Rate: "0.07", tax2Rate: "0" } },
    });
    expect(t.ok && t.value).toMatchObject({ isTaxInclusive: true, tax1Rate: "0.19", classes: [{ taxClassId: "2", tax1Rate: "0.07", tax2Rate: "0" }] });
    const p = normalizeWith("PaymentType", "paymentTypeID", paymentTypeSchema, { paymentTypeID: "2", name: "EC-Karte", type: "credit card", refundAsPaymentTypeID: "1" });
    expect(p.ok && p.value).toMatchObject({ kind: "credit card", refundAsPaymentTypeId: "1" });
    const row = normalizeWith("PaymentsByDay", "date", paymentsByDaySchema, { date: "01/26/2021", shopID: "1", amount: "565.00", paymentTypeName: "Cash", paymentTypeID: "1" });
    expect(row.ok && row.value).toEqual({ date: "2021-01-26", shopId: "1", paymentTypeId: "1", paymentTypeName: "Cash", amount: "565", layaway: false });
  });

  it("reads list pages: absent key → none, object → one, array → many", () => {
    expect(collection({ "@attributes": { next: "" } }, "Sale")).toEqual([]);
    expect(collection({ Sale: { saleID: "1" } }, "Sale")).toEqual([{ saleID: "1" }]);
    expect(collection({ Sale: [{ saleID: "1" }, { saleID: "2" }] }, "Sale")).toHaveLength(2);
  });
});
