/** Event names shared by app code (jobs.send) and job definitions. */
export const TENANT_UNINSTALLED_EVENT = "app/tenant.uninstalled";
export const ORDERS_SYNC_EVENT = "orders/sync.requested";
export const ORDERS_BACKFILL_EVENT = "orders/backfill.requested";
export const ORDERS_RESYNC_EVENT = "orders/resync.requested";
