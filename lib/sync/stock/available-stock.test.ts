import { describe, expect, it } from "vitest";
import { availableStock, totalAvailable, type StockQuantities } from "./available-stock";

const q = (over: Partial<StockQuantities>): StockQuantities => ({ qoh: 0, onLayaway: 0, onSpecialOrder: 0, onWorkOrder: 0, backorder: 0, onTransferIn: 0, ...over });

describe("available stock formulas", () => {
  const reserved = q({ qoh: 10, onLayaway: 2, onSpecialOrder: 1, onWorkOrder: 3, backorder: 5, onTransferIn: 4 });

  it("on hand is qoh as the till says, negatives included", () => {
    expect(availableStock(reserved, "on_hand")).toBe(10);
    expect(availableStock(q({ qoh: -3, onLayaway: 1 }), "on_hand")).toBe(-3);
  });

  it("sellable is qoh clamped at 0 and ignores reservations", () => {
    expect(availableStock(reserved, "sellable")).toBe(10);
    expect(availableStock(q({ qoh: -3 }), "sellable")).toBe(0);
  });

  it("the default subtracts layaway, special order and work order, never below 0", () => {
    expect(availableStock(reserved, "on_hand_minus_reserved")).toBe(4);
    expect(availableStock(q({ qoh: 2, onLayaway: 3 }), "on_hand_minus_reserved")).toBe(0);
    expect(availableStock(q({ qoh: -4 }), "on_hand_minus_reserved")).toBe(0);
  });

  it("with incoming adds purchase orders and transfers in", () => {
    expect(availableStock(reserved, "on_hand_minus_reserved_plus_incoming")).toBe(13);
    expect(availableStock(q({ qoh: -5, onLayaway: 1, backorder: 3 }), "on_hand_minus_reserved_plus_incoming")).toBe(0);
    expect(availableStock(q({ qoh: -1, backorder: 3 }), "on_hand_minus_reserved_plus_incoming")).toBe(2);
  });

  it("totals per-shop values, so a negative shop does not eat another shop's stock", () => {
    const rows = [
      { shopId: "0", ...q({ qoh: 3 }) },
      { shopId: "1", ...q({ qoh: -2 }) },
      { shopId: "2", ...q({ qoh: 5, onLayaway: 1 }) },
    ];
    expect(totalAvailable(rows, "on_hand")).toBe(3);
    expect(totalAvailable(rows, "sellable")).toBe(5);
    expect(totalAvailable(rows, "on_hand_minus_reserved")).toBe(4);
  });

  it("uses the all-shops row only when no per-shop row exists", () => {
    expect(totalAvailable([{ shopId: "0", ...q({ qoh: 7, onWorkOrder: 2 }) }], "on_hand_minus_reserved")).toBe(5);
  });
});
