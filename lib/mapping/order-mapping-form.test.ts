import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { fieldErrorsOf } from "../actions/form-input";
import { PT, skr03Mappings } from "../sync/orders/fixtures.test-helpers";
import { advancePaymentAccount } from "../sync/orders/plan-deposits";
import { emptyOrderMappings, loadOrderMappings } from "./order-mappings";
import { formValuesFor, orderMappingSubmitSchema, saveOrderMappingForm } from "./order-mapping-form";

const database = testDb();

const accounts = [
  { number: 1000, name: "Kasse", kind: "cash" as const },
  { number: 1792, name: "EC/Kreditkarte Lightspeed", kind: "other" as const },
];

/** What the browser posts for a saved SKR03 screen, with some fields changed. */
function submitted(changes: Record<string, string>) {
  const v = formValuesFor(skr03Mappings(), [PT.cash!, PT.card!], accounts);
  const form: Record<string, string> = {
    termsDays: v.termsDays, rounding: v.rounding, taxFree: v.taxFree, tips: v.tips, giftCard: v.giftCard,
    giftCardKind: v.giftCardKind, giftCardVat: v.giftCardVat, giftCardRevenue: v.giftCardRevenue,
  };
  for (const [vat, account] of Object.entries(v.advance)) form[`advance.${vat}`] = account;
  for (const [id, target] of Object.entries(v.paymentTypes)) form[`pt.${id}`] = target;
  for (const rate of ["19", "7", "0"] as const) {
    form[`tax.${rate}.account`] = v.tax[rate].account;
    form[`tax.${rate}.vat`] = v.tax[rate].vat;
  }
  return { ...form, ...changes };
}

describe("order mapping screen: tax-free lines and gift-card kinds", () => {
  it("#14.13 first visit proposes the chart's tax-free account (8100 in SKR03, 4100 in SKR04)", () => {
    for (const [chart, account] of [["SKR03", "8100"], ["SKR04", "4100"]] as const) {
      const m = emptyOrderMappings();
      m.chart = chart;
      expect(formValuesFor(m, [PT.cash!], accounts).taxFree).toBe(account);
    }
  });

  it("#14.14 shows multi-purpose by default, with the 19 % revenue account ready for single-purpose", () => {
    const v = formValuesFor(skr03Mappings(), [PT.cash!], accounts);
    expect([v.giftCardKind, v.giftCardVat, v.giftCardRevenue]).toEqual(["multi_purpose", "19_vat", "8400"]);
    const m = skr03Mappings();
    m.giftCardKind = { kind: "single_purpose", account: 8300, vat: "7_vat" };
    const saved = formValuesFor(m, [PT.cash!], accounts);
    expect([saved.giftCardKind, saved.giftCardVat, saved.giftCardRevenue]).toEqual(["single_purpose", "7_vat", "8300"]);
  });

  it("#14.14 single-purpose without a revenue account is refused next to the field", () => {
    const r = orderMappingSubmitSchema.safeParse(submitted({ giftCardKind: "single_purpose", giftCardRevenue: "" }));
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["giftCardRevenue"]);
    expect(orderMappingSubmitSchema.safeParse(submitted({ giftCardKind: "single_purpose", giftCardRevenue: "8400" })).success).toBe(true);
    expect(orderMappingSubmitSchema.safeParse(submitted({ taxFree: "" })).error?.issues.map((i) => i.path.join("."))).toEqual(["taxFree"]);
  });
});

describe("order mapping screen: advance-payment accounts (Anzahlungen)", () => {
  it("#14.9 shows the chart's advance-payment account per VAT code (SKR03 1718/1711/1710, SKR04 3272/3260/3250)", () => {
    for (const [chart, accounts19, accounts7, accounts0] of [["SKR03", "1718", "1711", "1710"], ["SKR04", "3272", "3260", "3250"]] as const) {
      const m = emptyOrderMappings();
      m.chart = chart;
      expect(formValuesFor(m, [PT.cash!], accounts).advance).toEqual({ "19_vat": accounts19, "7_vat": accounts7, "0_none": accounts0 });
    }
  });

  it("#14.9 a changed advance-payment account is saved, read back on the screen and used for the next deposit", async () => {
    const tenantId = await createTestTenant(database);
    const parsed = orderMappingSubmitSchema.parse(submitted({ "advance.19_vat": " 1719 " }));
    const { wizard: _wizard, ...values } = parsed;
    await saveOrderMappingForm(database, tenantId, values, [PT.cash!, PT.card!], accounts);

    const stored = await loadOrderMappings(database, tenantId);
    expect(formValuesFor(stored, [PT.cash!, PT.card!], accounts).advance).toEqual({ "19_vat": "1719", "7_vat": "1711", "0_none": "1710" });
    expect(advancePaymentAccount(stored, "19_vat", "test")).toBe(1719);
    expect(advancePaymentAccount(stored, "7_vat", "test")).toBe(1711);
  });

  it("#14.9 an advance-payment account that is not a number is refused next to its own field", () => {
    const r = orderMappingSubmitSchema.safeParse(submitted({ "advance.7_vat": "17a1", "advance.0_none": "" }));
    expect(r.success).toBe(false);
    expect(Object.keys(fieldErrorsOf(r.error!))).toEqual(["advance.7_vat", "advance.0_none"]);
  });
});
