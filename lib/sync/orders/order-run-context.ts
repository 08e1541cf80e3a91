import type { BbClient } from "../../buchhaltungsbutler";
import type { Database } from "../../db";
import type { FieldRule } from "../../mapping/field-mapper";
import type { OrderMappings } from "../../mapping/order-mappings";
import type { OrderSettings } from "./order-settings";

/**
 * What processing one sale needs from its run, built once per step. Its own module so the sale pipeline
 * (process-sale.ts) and its parts (void-posted-sale.ts, post-closed-days.ts) share it without importing
 * each other.
 */
export interface OrderRunContext {
  database: Database;
  bb: BbClient;
  tenantId: string;
  runId: string | null;
  settings: OrderSettings;
  mappings: OrderMappings;
  shopTimeZone(shopId: string): string;
  /** Category of an item, for category revenue accounts (from the product register). */
  categoryOf?: (itemId: string) => string | null;
  redactPii: boolean;
  /** Backfills skip the per-receipt comment to stay within BB's 100 calls/minute. */
  comments: boolean;
  /** The flow clock (ms), where a wait is measured in it (a debtor create that BB may still commit late). */
  now?: () => number;
  /** The merchant's own field mapping for debtors (null where they kept the default). */
  fieldRules?: { customer: FieldRule[] | null; address: FieldRule[] | null };
}
