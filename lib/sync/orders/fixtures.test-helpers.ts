import type { LsCustomer, LsPaymentType, LsSale, LsSaleLine, LsSalePayment } from "../../lightspeed/domain";
import { emptyOrderMappings, type OrderMappings } from "../../mapping/order-mappings";

/** Builders for domain sales in unit tests: only the fields a test cares about, sensible defaults for the rest. */
export const PT: Record<string, LsPaymentType> = {
  cash: { paymentTypeId: "1", name: "Bar", kind: "cash", requireCustomer: false, archived: false, internalReserved: true, refundAsPaymentTypeId: null },
  card: { paymentTypeId: "2", name: "EC-Karte", kind: "credit card", requireCustomer: false, archived: false, internalReserved: false, refundAsPaymentTypeId: null },
  gift: { paymentTypeId: "3", name: "Gutschein", kind: "gift card", requireCustomer: false, archived: false, internalReserved: true, refundAsPaymentTypeId: null },
  account: { paymentTypeId: "4", name: "Auf Rechnung", kind: "credit account", requireCustomer: true, archived: false, internalReserved: true, refundAsPaymentTypeId: null },
  paypal: { paymentTypeId: "7", name: "PayPal", kind: "user defined", requireCustomer: false, archived: false, internalReserved: false, refundAsPaymentTypeId: null },
};

let seq = 100;

export function line(calcTotal: string, rate = "0.19", extra: Partial<LsSaleLine> = {}): LsSaleLine {
  seq++;
  return {
    saleLineId: String(seq), saleId: "1", itemId: String(seq), unitQuantity: "1", unitPrice: calcTotal, normalUnitPrice: calcTotal,
    discountAmount: "0", discountPercent: "0", calcLineDiscount: "0", calcTransactionDiscount: "0", calcSubtotal: calcTotal,
    calcTotal, calcTax1: "0", calcTax2: "0", tax: rate !== "0", tax1Rate: rate, tax2Rate: "0", taxClassId: "1", taxCategoryId: "1",
    isLayaway: false, isSpecialOrder: false, isWorkorder: false, lineType: null, parentSaleLineId: null, avgCost: "0", fifoCost: "0",
    shopId: "1", timeStamp: null, ...extra,
  };
}

export function pay(type: LsPaymentType, amount: string, tip = "0"): LsSalePayment {
  seq++;
  return {
    salePaymentId: String(seq), saleId: "1", paymentTypeId: type.paymentTypeId, amount, tipAmount: tip, creditAccountId: type.kind === "gift card" || type.kind === "credit account" ? "9" : null,
    registerId: "1", archived: false, createTime: null, paymentType: type,
  };
}

export function sale(total: string, lines: LsSaleLine[], payments: LsSalePayment[], extra: Partial<LsSale> = {}): LsSale {
  seq++;
  const tips = payments.reduce((a, p) => a + Number(p.tipAmount), 0);
  return {
    saleId: String(seq), ticketNumber: `2200000${seq}`, referenceNumber: "", completed: true, voided: false, archived: false,
    isTaxInclusive: true, createTime: "2026-03-14T09:00:00.000Z", updateTime: "2026-03-14T09:05:00.000Z",
    completeTime: "2026-03-14T09:05:00.000Z", timeStamp: "2026-03-14T09:05:00.000Z", shopId: "1", registerId: "1", employeeId: "1",
    customerId: null, taxCategoryId: "1", calcSubtotal: total, calcDiscount: "0", calcTax1: "0", calcTax2: "0", calcTotal: total, total,
    totalDue: total, balance: "0", calcPayments: total, calcTips: tips.toFixed(2), change: "0", lines, payments, customer: null, ...extra,
  };
}

export function customer(extra: Partial<LsCustomer> = {}, email = "erika@example.com"): LsCustomer {
  return {
    customerId: "16", firstName: "Erika", lastName: "Mustermann", title: "", company: "", vatNumber: "", companyRegistrationNumber: "",
    archived: false, creditAccountId: null, createTime: null, timeStamp: "2026-01-01T00:00:00.000Z",
    contact: {
      emails: email ? [{ address: email, useType: "Primary" }] : [],
      phones: [],
      addresses: [{ address1: "Hauptstraße 12a", address2: "", city: "Berlin", state: "", zip: "10115", country: "Germany", countryCode: "DE" }],
      noEmail: false,
    },
    ...extra,
  };
}

/** SKR03 mappings as the setup wizard proposes them. */
export function skr03Mappings(): OrderMappings {
  const m = emptyOrderMappings();
  m.chart = "SKR03";
  m.taxRates.set("19", { account: 8400, vat: "19_vat" });
  m.taxRates.set("7", { account: 8300, vat: "7_vat" });
  m.taxRates.set("0", { account: 8200, vat: "0_none" });
  m.paymentTypes.set("1", { kind: "tender", account: 1000 });
  m.paymentTypes.set("2", { kind: "tender", account: 1792 });
  m.paymentTypes.set("3", { kind: "gift_card" });
  m.paymentTypes.set("4", { kind: "on_account" });
  m.rounding = { account: 8200, vat: "0_none" };
  m.taxFree = { account: 8100 };
  m.tips = { account: 1590 };
  m.giftCardLiability = { account: 1796 };
  m.defaultDebtor = { postingAccountNumber: 10000, name: "Laufkundschaft" };
  return m;
}
