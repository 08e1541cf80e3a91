import { describe, expect, it } from "vitest";
import { valueRows, type ValuationRow } from "./compute-stock-value";

const row = (o: Partial<ValuationRow> & { itemId: string; shopId: string; qoh: number }): ValuationRow => ({ averageCost: null, itemType: "default", defaultCost: null, ...o });

describe("stock value at average cost", () => {
  it("values each shop's units at the item's all-shops average cost and rounds once", () => {
    const v = valueRows([
      row({ itemId: "1", shopId: "0", qoh: 5, averageCost: "2.3333333" }),
      row({ itemId: "1", shopId: "1", qoh: 2 }),
      row({ itemId: "1", shopId: "2", qoh: 3 }),
      row({ itemId: "2", shopId: "0", qoh: 1, averageCost: "0.005" }),
      row({ itemId: "2", shopId: "1", qoh: 1 }),
    ]);
    // 5 × 2.3333333 = 11.6666665, + 0.005 = 11.6716665 → 11.67
    expect(v.valueCents).toBe(1167);
    expect(v).toMatchObject({ items: 2, rows: 3, negativeRows: 0, missingCost: [] });
  });

  it("counts negative stock as zero and reports it; skips non-inventory items", () => {
    const v = valueRows([
      row({ itemId: "1", shopId: "0", qoh: 1, averageCost: "10" }),
      row({ itemId: "1", shopId: "1", qoh: -3 }),
      row({ itemId: "1", shopId: "2", qoh: 4 }),
      row({ itemId: "3", shopId: "0", qoh: 9, averageCost: "100", itemType: "non_inventory" }),
    ]);
    expect(v.valueCents).toBe(4000);
    expect(v.negativeRows).toBe(1);
    expect(v.nonInventorySkipped).toBe(1);
  });

  it("falls back to the default cost and lists items without any cost", () => {
    const v = valueRows([
      row({ itemId: "4", shopId: "1", qoh: 2, defaultCost: "7.5" }),
      row({ itemId: "5", shopId: "1", qoh: 2 }),
    ]);
    expect(v.valueCents).toBe(1500);
    expect(v.missingCost).toEqual(["5"]);
  });

  it("uses the all-shops row when an item has no per-shop row", () => {
    expect(valueRows([row({ itemId: "6", shopId: "0", qoh: 3, averageCost: "1.10" })]).valueCents).toBe(330);
  });
});
