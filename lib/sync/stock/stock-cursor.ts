import type { CursorOf } from "../cursors";

/** The stock flow's position in ItemShop (sync_cursors entity). */
export const STOCK_CURSOR = "stock:itemshops";

export type StockCursor = CursorOf<typeof STOCK_CURSOR>;
