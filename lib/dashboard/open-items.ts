import { createBbClient } from "../buchhaltungsbutler";
import type { Database } from "../db";
import { toUserFacing, type AppErrorCode } from "../errors/app-error";
import { createLightspeedClient } from "../lightspeed";
import { compareOpenItems, type OpenItemsComparison } from "../sync/orders/compare-open-items";
import { loadOrderSettings } from "../sync/orders/order-settings";
import { shopToday } from "../time";

export type OpenItemsView = { kind: "none" } | { kind: "failed"; code: AppErrorCode } | { kind: "items"; comparison: OpenItemsComparison };

/**
 * Open items per customer, Lightspeed's on-account balance against the debtor's balance in BB, since the first
 * synced day. It reads every sale since then, so the dashboard runs it only when asked. Never rejects.
 */
export async function loadOpenItems(database: Database, tenantId: string, options: { today?: string; clients?: Parameters<typeof compareOpenItems>[1] } = {}): Promise<OpenItemsView> {
  const today = options.today ?? shopToday();
  try {
    const { settings } = await loadOrderSettings(database, tenantId);
    // Balances from before the first synced day were never ours to book; without a start date there is no such day.
    if (!settings.startDate || settings.startDate > today) return { kind: "none" };
    const clients = options.clients ?? { ls: createLightspeedClient({ database, tenantId }), bb: createBbClient({ database, tenantId }) };
    return { kind: "items", comparison: await compareOpenItems(database, clients, tenantId, { from: settings.startDate, to: today }) };
  } catch (e) {
    return { kind: "failed", code: toUserFacing(e).code };
  }
}
