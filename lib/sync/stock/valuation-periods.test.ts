import { describe, expect, it } from "vitest";
import { frequencyOf, lastClosedPeriod, nextPeriod, periodDates, periodEndInstant, periodOfDate, previousPeriod } from "./valuation-periods";

describe("valuation periods", () => {
  it("names months, quarters and years", () => {
    expect(periodOfDate("2026-03-31", "month")).toBe("2026-03");
    expect(periodOfDate("2026-03-31", "quarter")).toBe("2026-Q1");
    expect(periodOfDate("2026-10-01", "quarter")).toBe("2026-Q4");
    expect(periodOfDate("2026-10-01", "year")).toBe("2026");
    expect(frequencyOf("2026-Q2")).toBe("quarter");
    expect(() => frequencyOf("2026-13x")).toThrow(/not a valuation period/);
  });

  it("knows first and last days, leap years included", () => {
    expect(periodDates("2028-02")).toEqual({ first: "2028-02-01", last: "2028-02-29" });
    expect(periodDates("2026-Q4")).toEqual({ first: "2026-10-01", last: "2026-12-31" });
    expect(periodDates("2026")).toEqual({ first: "2026-01-01", last: "2026-12-31" });
  });

  it("steps back and forward across year ends", () => {
    expect(previousPeriod("2026-01")).toBe("2025-12");
    expect(nextPeriod("2025-12")).toBe("2026-01");
    expect(previousPeriod("2026-Q1")).toBe("2025-Q4");
    expect(nextPeriod("2026")).toBe("2027");
  });

  it("ends at local midnight in the shop's zone (CEST and CET)", () => {
    expect(periodEndInstant("2026-03", "Europe/Berlin").toISOString()).toBe("2026-03-31T22:00:00.000Z");
    expect(periodEndInstant("2026-Q4", "Europe/Berlin").toISOString()).toBe("2026-12-31T23:00:00.000Z");
  });

  it("finds the last closed period in the shop's zone, not in UTC", () => {
    // 2026-03-31T22:30Z is already 1 April 00:30 in Berlin: March has closed there.
    expect(lastClosedPeriod(new Date("2026-03-31T22:30:00Z"), "month", "Europe/Berlin")).toBe("2026-03");
    expect(lastClosedPeriod(new Date("2026-03-31T22:30:00Z"), "month", "UTC")).toBe("2026-02");
    expect(lastClosedPeriod(new Date("2026-05-10T12:00:00Z"), "quarter", "Europe/Berlin")).toBe("2026-Q1");
  });
});
