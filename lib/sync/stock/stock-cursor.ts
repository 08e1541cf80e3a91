import type { LsCursor } from "../../lightspeed";

/** The stock flow's position in ItemShop (sync_cursors entity). */
export const STOCK_CURSOR = "stock:itemshops";

export interface StockCursor extends LsCursor {
  /** When a pass last read every change there was (client clock, ISO): the ledger is complete up to here. */
  caughtUpAt?: string | null;
  /** When the first complete pass ended: periods ending before it cannot be valued from the ledger. */
  ledgerStartedAt?: string | null;
  [key: string]: unknown;
}
