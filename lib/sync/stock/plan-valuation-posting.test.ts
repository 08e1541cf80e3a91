import { describe, expect, it } from "vitest";
import { planValuationPosting } from "./plan-valuation-posting";

const base = { period: "2026-03", date: "2026-03-31", accounts: { stock: 3980, stockChange: 3960 }, firstValuation: "baseline" as const, seq: 1 };

describe("valuation posting plan", () => {
  it("an increase debits stock and credits stock change", () => {
    const p = planValuationPosting({ ...base, valueCents: 150_000, previousValueCents: 100_000, postedCents: 0 });
    expect(p).toMatchObject({ status: "post", requiredCents: 50_000, diffCents: 50_000 });
    expect(p.posting).toEqual({ signedCents: 50_000, amountCents: 50_000, debitAccount: 3980, creditAccount: 3960, text: "Bestandsveränderung 2026-03 (Butlerbridge)", date: "2026-03-31" });
  });

  it("a decrease is reversed, with a positive amount", () => {
    const p = planValuationPosting({ ...base, valueCents: 80_000, previousValueCents: 100_000, postedCents: 0 });
    expect(p.posting).toMatchObject({ signedCents: -20_000, amountCents: 20_000, debitAccount: 3960, creditAccount: 3980 });
  });

  it("nothing to post when the value did not change, or when it was already posted", () => {
    expect(planValuationPosting({ ...base, valueCents: 100_000, previousValueCents: 100_000, postedCents: 0 })).toMatchObject({ status: "unchanged", posting: null });
    expect(planValuationPosting({ ...base, valueCents: 150_000, previousValueCents: 100_000, postedCents: 50_000 })).toMatchObject({ status: "unchanged", posting: null });
  });

  it("a correction posts only the difference, in either direction", () => {
    const up = planValuationPosting({ ...base, seq: 2, valueCents: 151_234, previousValueCents: 100_000, postedCents: 50_000 });
    expect(up.posting).toMatchObject({ signedCents: 1_234, amountCents: 1_234, debitAccount: 3980, text: "Bestandsveränderung 2026-03 Korrektur 1 (Butlerbridge)" });
    const down = planValuationPosting({ ...base, seq: 2, valueCents: 149_000, previousValueCents: 100_000, postedCents: 50_000 });
    expect(down.posting).toMatchObject({ signedCents: -1_000, amountCents: 1_000, debitAccount: 3960, creditAccount: 3980 });
  });

  it("the first valuation is a baseline by default, or posts the full value when configured", () => {
    expect(planValuationPosting({ ...base, valueCents: 90_000, previousValueCents: null, postedCents: 0 })).toMatchObject({ status: "baseline", posting: null });
    const full = planValuationPosting({ ...base, firstValuation: "post_full_value", valueCents: 90_000, previousValueCents: null, postedCents: 0 });
    expect(full.posting).toMatchObject({ amountCents: 90_000, debitAccount: 3980 });
  });
});
