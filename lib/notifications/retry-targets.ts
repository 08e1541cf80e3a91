import type { Database } from "../db";
import { listFailedRecords } from "../sync/list-failed-records";
import { isLinkEntity, linkStatus } from "../sync/links";
import { getNotification } from "./list-notifications";

export interface RetryTargets {
  flow: "orders" | "products" | "stock" | null;
  entity: string | null;
  /** Source ids of the failed records behind the notification (those still failed now). */
  sourceIds: string[];
  /**
   * A sale to send again on its own (a resync, which follows the edit rule) rather than a retry of failed
   * records: an edit the "changes after transfer" setting left unbooked leaves the sale's link done, not failed.
   */
  resyncSaleId?: string;
}

const ENTITY_FLOW: Record<string, RetryTargets["flow"]> = { sale: "orders", day: "orders", customer: "orders", item: "products", matrix: "products", category: "products", valuation: "stock" };

/**
 * The records a "retry all" of one notification should touch: every record that failed for the same problem
 * (same dedupe key) and is still failed, within the tenant.
 */
export async function retryTargetsFor(database: Database, tenantId: string, notificationId: string): Promise<RetryTargets | null> {
  const n = await getNotification(database, tenantId, notificationId);
  if (!n) return null;
  if (n.code === "SALE_EDIT_IGNORED" && n.entity === "sale" && n.sourceId) return { flow: "orders", entity: "sale", sourceIds: [n.sourceId], resyncSaleId: n.sourceId };
  const entity = n.entity;
  if (!entity) return { flow: (n.flow as RetryTargets["flow"]) ?? null, entity: null, sourceIds: [] };
  // Notifications name link entities only; anything else has no records to retry.
  const sourceIds = isLinkEntity(entity) ? await listFailedRecords(database, tenantId, { entity, dedupeKey: n.dedupeKey, limit: 500 }) : [];
  // A notification raised before links carried dedupe keys still names its own record.
  if (sourceIds.length === 0 && n.sourceId && (await linkStatus(database, tenantId, entity, n.sourceId))?.status === "failed") sourceIds.push(n.sourceId);
  return { flow: (n.flow as RetryTargets["flow"]) ?? ENTITY_FLOW[entity] ?? null, entity, sourceIds };
}
