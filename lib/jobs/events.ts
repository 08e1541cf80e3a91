import * as z from "zod";

/**
 * Every event the app sends, by name, with the schema its job parses it with. It lives in lib/ (not inngest/)
 * because lib code asks for work too (`requestSync`) and may not import the job framework; inngest/events.ts
 * re-exports it for the job side. A sender typed with `JobSender` can only send a name listed here, with
 * data of that name's shape.
 */
export const TENANT_UNINSTALLED_EVENT = "app/tenant.uninstalled";
export const ORDERS_SYNC_EVENT = "orders/sync.requested";
export const ORDERS_BACKFILL_EVENT = "orders/backfill.requested";
export const ORDERS_RESYNC_EVENT = "orders/resync.requested";
/** Poll, "sync now" and backfill of the product flow: one event, `data.kind` says which. */
export const PRODUCTS_SYNC_EVENT = "products/sync.requested";
/** Poll, "sync now", backfill and "revalue a period" of the stock flow: one event, `data.kind` says which. */
export const STOCK_SYNC_EVENT = "stock/sync.requested";
export const LOG_RETENTION_EVENT = "maintenance/log-retention.requested";

export const PRODUCT_PHASES = ["lookups", "categories", "matrices", "items", "accounts", "done"] as const;
export type ProductsPhase = (typeof PRODUCT_PHASES)[number];
export const STOCK_PHASES = ["shops", "itemshops", "valuation", "done"] as const;
export type StockPhase = (typeof STOCK_PHASES)[number];

export const ordersSyncEvent = z.object({
  tenantId: z.uuid(),
  kind: z.enum(["poll", "manual", "backfill", "resync"]).default("poll"),
  runId: z.uuid().optional(),
  /** Backfill start (YYYY-MM-DD), for kind "backfill". */
  from: z.iso.date().optional(),
  /** One sale, for kind "resync". */
  saleId: z.string().regex(/^\d+$/).optional(),
});

export const productsSyncEvent = z.object({
  tenantId: z.uuid(),
  kind: z.enum(["poll", "manual", "backfill"]).default("poll"),
  /** Continuations carry the run, where it got to, and whether that phase starts fresh. */
  runId: z.uuid().optional(),
  phase: z.enum(PRODUCT_PHASES).optional(),
  fresh: z.boolean().optional(),
});

export const stockSyncEvent = z
  .object({
    tenantId: z.uuid(),
    kind: z.enum(["poll", "manual", "backfill", "resync"]).default("poll"),
    /** kind "resync": the valuation period to correct (2026-03, 2026-Q1, 2026). */
    period: z
      .string()
      .regex(/^\d{4}(-\d{2}|-Q[1-4])?$/, { error: "expected a period such as 2026-03, 2026-Q1 or 2026" })
      .optional(),
    runId: z.uuid().optional(),
    phase: z.enum(STOCK_PHASES).optional(),
    fresh: z.boolean().optional(),
  })
  .refine((d) => d.kind !== "resync" || d.period !== undefined, { error: "a revaluation (kind resync) needs a period", path: ["period"] });

export const tenantUninstalledEvent = z.object({ tenantId: z.uuid() });
export const logRetentionEvent = z.object({ tenantId: z.uuid(), retentionDays: z.number().int().min(1) });

export const jobEvents = {
  [TENANT_UNINSTALLED_EVENT]: tenantUninstalledEvent,
  [ORDERS_SYNC_EVENT]: ordersSyncEvent,
  [ORDERS_BACKFILL_EVENT]: ordersSyncEvent,
  [ORDERS_RESYNC_EVENT]: ordersSyncEvent,
  [PRODUCTS_SYNC_EVENT]: productsSyncEvent,
  [STOCK_SYNC_EVENT]: stockSyncEvent,
  [LOG_RETENTION_EVENT]: logRetentionEvent,
} as const;

export type JobEventName = keyof typeof jobEvents;
/** What a sender passes (defaults may be left out). */
export type JobEventInput<N extends JobEventName> = z.input<(typeof jobEvents)[N]>;
/** What a job's handler sees after parsing. */
export type JobEventData<N extends JobEventName> = z.output<(typeof jobEvents)[N]>;

export type OrdersSyncRequest = z.output<typeof ordersSyncEvent>;
export type ProductsSyncRequest = z.output<typeof productsSyncEvent>;
export type StockSyncRequest = z.output<typeof stockSyncEvent>;

/** The one way to start work: implemented by inngest/jobs.ts, passed to lib code that requests it. */
export interface JobSender {
  send<N extends JobEventName>(name: N, data: JobEventInput<N> | JobEventInput<N>[]): Promise<{ ids: string[] }>;
}
