import { describe, expect, it } from "vitest";
import { PT, skr03Mappings } from "../sync/orders/fixtures.test-helpers";
import { emptyOrderMappings } from "./order-mappings";
import { formValuesFor, orderMappingSubmitSchema } from "./order-mapping-form";

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
