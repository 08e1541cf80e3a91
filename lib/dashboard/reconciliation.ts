import { createBbClient } from "../buchhaltungsbutler";
import type { Database } from "../db";
import { toUserFacing, type AppErrorCode } from "../errors/app-error";
import { createLightspeedClient } from "../lightspeed";
import { loadOrderSettings } from "../sync/orders/order-settings";
import { reconcileDays, type DayReconciliation } from "../sync/orders/reconcile-days";
import { addDays, shopToday } from "../time";

export type ReconciliationView = { kind: "none" } | { kind: "failed"; code: AppErrorCode } | { kind: "days"; days: DayReconciliation[] };

/**
 * Lightspeed vs BuchhaltungsButler for the last few business days, newest first. Never rejects: a failure
 * (either API down) is part of the view, so the dashboard still renders everything else.
 */
export async function loadReconciliation(database: Database, tenantId: string, options: { days?: number; today?: string } = {}): Promise<ReconciliationView> {
  const days = options.days ?? 3;
  const today = options.today ?? shopToday();
  try {
    const { settings } = await loadOrderSettings(database, tenantId);
    // Days before the first synced business day are not ours to reconcile (nothing was meant to be in BB).
    const first = addDays(today, -(days - 1));
    const from = settings.startDate && settings.startDate > first ? settings.startDate : first;
    if (from > today) return { kind: "none" };
    const result = await reconcileDays(database, { ls: createLightspeedClient({ database, tenantId }), bb: createBbClient({ database, tenantId }) }, tenantId, { from, to: today });
    return { kind: "days", days: result.reverse() };
  } catch (e) {
    return { kind: "failed", code: toUserFacing(e).code };
  }
}
