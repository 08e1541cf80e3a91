import { describe, expect, it } from "vitest";
import type { SaleLineRec, SaleRec } from "./model";
import { lineMath, saleMath } from "./sale-math";

const line = (extra: Partial<SaleLineRec>): SaleLineRec => ({
  id: 1, itemId: 1, qty: 1, unitPrice: "10", normalUnitPrice: "10", discountPercent: "0", discountAmount: "0", taxClassId: 1, tax: true, tax1Rate: "0.19",
  isLayaway: false, isSpecialOrder: false, isWorkorder: false, parentSaleLineId: 0, avgCost: "0", createTime: 0, timeStamp: 0, ...extra,
});

const sale = (lines: SaleLineRec[], extra: Partial<SaleRec> = {}): SaleRec => ({
  id: 1, shopId: 1, registerId: 1, employeeId: 1, customerId: 0, taxCategoryId: 1, isTaxInclusive: true, completed: true, voided: false, archived: false,
  createTime: 0, completeTime: 0, updateTime: 0, timeStamp: 0, transactionDiscountPercent: "0", change: "0", referenceNumber: "", lines, payments: [], malformed: null, ...extra,
});

describe("sale maths", () => {
  it("tax-inclusive: unitPrice is gross, tax is carved out of the total to 7 decimals", () => {
    expect(lineMath(line({ unitPrice: "19.99" }), true, "0")).toEqual({
      calcSubtotal: "19.99", calcLineDiscount: "0", calcTransactionDiscount: "0", calcTax1: "3.1916807", calcTotal: "19.99", net: "16.7983193",
    });
  });

  it("tax-exclusive: unitPrice is net, discounts are net, tax is added", () => {
    expect(lineMath(line({ unitPrice: "10.5", qty: 3, tax1Rate: "0.07", discountPercent: "0.1" }), false, "0")).toMatchObject({
      calcSubtotal: "31.5", calcLineDiscount: "3.15", calcTax1: "1.9845", calcTotal: "30.3345",
    });
    // A 5 % transaction discount on what is left after the line discount.
    expect(lineMath(line({ unitPrice: "10.5", qty: 3, tax1Rate: "0.07", discountPercent: "0.1" }), false, "0.05")).toMatchObject({
      calcTransactionDiscount: "1.4175", calcTax1: "1.885275", calcTotal: "28.817775",
    });
  });

  it("refund lines are negative, an absolute line discount follows the sign", () => {
    expect(lineMath(line({ unitPrice: "19.99", qty: -1 }), true, "0")).toMatchObject({ calcTotal: "-19.99", calcTax1: "-3.1916807" });
    expect(lineMath(line({ unitPrice: "20", qty: -1, discountAmount: "2" }), true, "0")).toMatchObject({ calcLineDiscount: "-2", calcTotal: "-18" });
  });

  it("the header rounds the exact sum, so it can differ from the sum of rounded lines by a cent", () => {
    const s = sale([line({ id: 1, unitPrice: "6.7", discountPercent: "0.15" }), line({ id: 2, unitPrice: "6.7", discountPercent: "0.15" })]);
    const m = saleMath(s);
    expect(m.lines.map((l) => l.calcTotal)).toEqual(["5.695", "5.695"]);
    expect(m.header.total).toBe("11.39");
    const roundedLines = m.lines.reduce((sum, l) => sum + Math.round(Number(l.calcTotal) * 100), 0);
    expect(roundedLines).toBe(1140);
    expect(m.header.calcSubtotal).toBe("13.4");
    expect(m.header.calcDiscount).toBe("2.01");
    expect(m.header.calcTax1).toBe("1.82");
  });

  it("header payments, tips and balance: amounts include tips", () => {
    const s = sale([line({ unitPrice: "10" })], {
      payments: [{ id: 1, paymentTypeId: 2, amount: "11.5", tipAmount: "1.5", creditAccountId: 0, registerId: 1, employeeId: 1, createTime: 0, archived: false, layawayDeposit: false }],
    });
    expect(saleMath(s).header).toMatchObject({ total: "10", calcPayments: "11.5", calcTips: "1.5", balance: "0" });
  });
});
