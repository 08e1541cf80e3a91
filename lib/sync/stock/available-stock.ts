import * as z from "zod";

/**
 * Available stock, per the tenant's formula. Lightspeed's own numbers per ItemShop row:
 *  - qoh: on hand (negative = sold more than booked in);
 *  - sellable: max(qoh, 0), reservations NOT subtracted (Lightspeed's definition);
 *  - onLayaway / onSpecialOrder / onWorkOrder: units reserved for customers (still inside qoh);
 *  - backorder (on purchase orders) and onTransferIn: incoming.
 *
 * Formulas:
 *  - on_hand:                      qoh (may be negative: it is what the till says)
 *  - sellable:                     max(qoh, 0)
 *  - on_hand_minus_reserved:       max(0, qoh − layaway − special order − work order)   (default)
 *  - on_hand_minus_reserved_plus_incoming: max(0, qoh − reservations + backorder + transfer in)
 *
 * The total over shops is the sum of the per-shop values, so a negative shop never eats the stock of another
 * shop (shop A −2 and shop B 5 give 5 available under the clamped formulas, 3 on hand).
 */
export const AVAILABLE_FORMULAS = ["on_hand", "sellable", "on_hand_minus_reserved", "on_hand_minus_reserved_plus_incoming"] as const;
export type AvailableFormula = (typeof AVAILABLE_FORMULAS)[number];
export const availableFormulaSchema = z.enum(AVAILABLE_FORMULAS, { error: `expected one of ${AVAILABLE_FORMULAS.join(", ")}` });

export interface StockQuantities {
  qoh: number;
  onLayaway: number;
  onSpecialOrder: number;
  onWorkOrder: number;
  backorder: number;
  onTransferIn: number;
}

export function reservedOf(q: StockQuantities): number {
  return q.onLayaway + q.onSpecialOrder + q.onWorkOrder;
}

export function incomingOf(q: StockQuantities): number {
  return q.backorder + q.onTransferIn;
}

export function availableStock(q: StockQuantities, formula: AvailableFormula): number {
  switch (formula) {
    case "on_hand":
      return q.qoh;
    case "sellable":
      return Math.max(0, q.qoh);
    case "on_hand_minus_reserved":
      return Math.max(0, q.qoh - reservedOf(q));
    case "on_hand_minus_reserved_plus_incoming":
      return Math.max(0, q.qoh - reservedOf(q) + incomingOf(q));
  }
}

/**
 * The total for one item over its shop rows. The all-shops row (shopID "0") is used only when no per-shop
 * row exists (Lightspeed creates rows lazily).
 */
export function totalAvailable(rows: (StockQuantities & { shopId: string })[], formula: AvailableFormula): number {
  const perShop = rows.filter((r) => r.shopId !== "0");
  const use = perShop.length > 0 ? perShop : rows;
  return use.reduce((sum, r) => sum + availableStock(r, formula), 0);
}
