import { describe, expect, it } from "vitest";
import { allocate, cents, decimal, formatAmount, toCents, toEuroNumber } from "./money";

describe("money", () => {
  it("rounds 7-decimal Lightspeed values half away from zero", () => {
    expect(toCents("11.4860025")).toBe(1149);
    expect(toCents("0.005")).toBe(1);
    expect(toCents("-0.005")).toBe(-1);
    expect(toCents("22.995")).toBe(2300);
    expect(toCents("34.48")).toBe(3448);
  });

  it("never goes through binary floats", () => {
    expect(toCents("1.0049999999")).toBe(100);
    expect(toCents("0.1").valueOf() + toCents("0.2")).toBe(30);
  });

  it("rejects anything that is not a decimal", () => {
    expect(() => decimal("12,50")).toThrow(/not a decimal/);
    expect(() => decimal("")).toThrow();
    expect(() => decimal("abc")).toThrow();
  });

  it("formats for the wire", () => {
    expect(formatAmount(cents(12345))).toBe("123.45");
    expect(formatAmount(cents(-50))).toBe("-0.50");
    expect(formatAmount(cents(5))).toBe("0.05");
    expect(toEuroNumber(cents(-199))).toBe(-1.99);
  });

  it("allocates a total over weights to the cent", () => {
    const parts = allocate(cents(1000), [decimal("1"), decimal("1"), decimal("1")]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(parts).toEqual([334, 333, 333]);
    const neg = allocate(cents(-1000), [decimal("2"), decimal("1")]);
    expect(neg.reduce((a, b) => a + b, 0)).toBe(-1000);
  });
});
