import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Column types for the tables in db/migrations. Keep in step with the migrations. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/**
 * jsonb whose shape is validated by a zod schema in lib/ on every read and write. Written as a JSON string
 * (see `toJson` in lib/db.ts): node-postgres would turn a JS array into a Postgres array, not jsonb.
 */
type Json<T = unknown> = ColumnType<T, string | undefined, string>;
// int8 comes back as a string from node-postgres; lib/db.ts installs a parser that returns numbers.
type BigIntId = ColumnType<number, never, never>;

export type TenantStatus = "onboarding" | "active" | "paused" | "uninstalled";
export type ConnectionProvider = "lightspeed" | "buchhaltungsbutler";
export type ConnectionStatus = "connected" | "needs_reauth" | "error" | "disconnected";
export type Flow = "orders" | "products" | "stock";
export type LinkStatus = "pending" | "done" | "failed" | "voided" | "skipped";
export type RunKind = "poll" | "manual" | "backfill" | "resync" | "maintenance";
export type RunStatus = "running" | "succeeded" | "partial" | "failed" | "cancelled";
export type ActivityResult = "created" | "updated" | "skipped" | "failed" | "info";
export type Severity = "info" | "warning" | "error" | "fatal";

export interface TenantsTable {
  id: Generated<string>;
  ls_account_id: string;
  name: Generated<string>;
  status: Generated<TenantStatus>;
  paused_reason: string | null;
  /** Since when (0009); cleared on resume. */
  paused_at: NullableTimestamp;
  locale: Generated<string>;
  settings: Json<Record<string, unknown>>;
  installed_at: Generated<Date>;
  uninstalled_at: NullableTimestamp;
  purge_after: NullableTimestamp;
  onboarded_at: NullableTimestamp;
  /** Setup wizard progress (0007_app): { completed: number[], current, dryRunDate, backfillRunId }. */
  onboarding: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface ConnectionsTable {
  id: Generated<string>;
  tenant_id: string;
  provider: ConnectionProvider;
  status: Generated<ConnectionStatus>;
  external_id: string | null;
  credentials_enc: string | null;
  credentials_version: Generated<number>;
  token_expires_at: NullableTimestamp;
  scopes: string | null;
  meta: Json<Record<string, unknown>>;
  last_checked_at: NullableTimestamp;
  last_error: Json<Record<string, unknown> | null>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface FlowSettingsTable {
  tenant_id: string;
  flow: Flow;
  enabled: Generated<boolean>;
  settings: Json<Record<string, unknown>>;
  schedule: string | null;
  paused_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface SyncCursorsTable {
  tenant_id: string;
  entity: string;
  cursor: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface MappingsTable {
  id: Generated<string>;
  tenant_id: string;
  kind: string;
  source_key: string;
  target: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface SyncLinksTable {
  tenant_id: string;
  entity: string;
  source_id: string;
  target_ids: Json<Record<string, unknown>>;
  step: Generated<string>;
  status: Generated<LinkStatus>;
  hash: string | null;
  attempts: Generated<number>;
  last_error: Json<Record<string, unknown> | null>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface SyncRunsTable {
  id: Generated<string>;
  tenant_id: string;
  flow: string;
  kind: RunKind;
  status: Generated<RunStatus>;
  params: Json<Record<string, unknown>>;
  progress: Json<Record<string, unknown>>;
  counts: Json<Record<string, unknown>>;
  error: Json<Record<string, unknown> | null>;
  started_at: Generated<Date>;
  finished_at: NullableTimestamp;
}

export interface ActivityLogTable {
  id: Generated<BigIntId>;
  tenant_id: string;
  run_id: string | null;
  flow: string;
  entity: string;
  source_id: string | null;
  reference: string | null;
  result: ActivityResult;
  message: Generated<string>;
  error_code: string | null;
  source_payload: Json<unknown | null>;
  transformed_payload: Json<unknown | null>;
  target_response: Json<unknown | null>;
  duration_ms: number | null;
  created_at: Generated<Date>;
}

export interface NotificationsTable {
  id: Generated<string>;
  tenant_id: string;
  severity: Severity;
  code: string;
  title: string;
  body: Generated<string>;
  fix_hint: string | null;
  /** `{ code, params }` (lib/notifications/notice-message.ts); null on rows written before it existed. */
  message: ColumnType<unknown, string | null | undefined, string | null>;
  link: string | null;
  flow: string | null;
  entity: string | null;
  source_id: string | null;
  dedupe_key: string;
  occurrences: Generated<number>;
  read_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  emailed_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<BigIntId>;
  tenant_id: string | null;
  actor: string;
  action: string;
  details: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface UserTable {
  id: string;
  name: string | null;
  email: string | null;
  emailVerified: Date | null;
  image: string | null;
  tenant_id: string | null;
  /** What the user may do in the app (see lib/auth/roles.ts); refreshed from Lightspeed at each launch. */
  role: Generated<"admin" | "viewer">;
}

export interface AccountTable {
  id: Generated<string>;
  userId: string;
  type: string;
  provider: string;
  providerAccountId: string;
  refresh_token: string | null;
  access_token: string | null;
  expires_at: number | null;
  token_type: string | null;
  scope: string | null;
  id_token: string | null;
  session_state: string | null;
}

export interface SessionTable {
  id: Generated<string>;
  userId: string;
  sessionToken: string;
  expires: Date;
  /** Launch sessions: the end that sliding renewal may not pass. */
  hard_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface InlineJobEventsTable {
  id: string;
  name: string;
  data: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface LaunchUsesTable {
  signature_hash: string;
  account_id: string;
  used_at: Generated<Date>;
  expires_at: Date;
}

export interface VerificationTokenTable {
  identifier: string;
  token: string;
  expires: Date;
}

// --- Product register and stock ledger (0006_products_stock) ---
type BigCents = ColumnType<number, number, number>;

export interface ProductsTable {
  tenant_id: string;
  item_id: string;
  sku: string;
  sku_key: string;
  sku_source: string;
  sku_wanted: ColumnType<string[], string[] | undefined, string[]>;
  kind: "simple" | "variant";
  matrix_id: string | null;
  description: Generated<string>;
  category_id: string | null;
  tax_class_id: string | null;
  item_type: string;
  archived: Generated<boolean>;
  ean: Generated<string>;
  upc: Generated<string>;
  custom_sku: Generated<string>;
  system_sku: Generated<string>;
  manufacturer_sku: Generated<string>;
  price_amount: string | null;
  price_net_cents: BigCents | null;
  price_gross_cents: BigCents | null;
  msrp_gross_cents: BigCents | null;
  vat_percent: string | null;
  default_cost: string | null;
  attributes: Json<unknown[]>;
  features: Json<unknown[]>;
  flags: Json<string[]>;
  source: Json<Record<string, unknown>>;
  source_hash: string;
  ls_timestamp: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface ProductMatricesTable {
  tenant_id: string;
  matrix_id: string;
  description: Generated<string>;
  attribute_set_id: string | null;
  category_id: string | null;
  tax_class_id: string | null;
  item_type: string;
  archived: boolean;
  attribute_values: Json<unknown[]>;
  price_amount: string | null;
  price_net_cents: BigCents | null;
  price_gross_cents: BigCents | null;
  source: Json<Record<string, unknown>>;
  source_hash: string;
  ls_timestamp: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface ProductCategoriesTable {
  tenant_id: string;
  category_id: string;
  name: string;
  parent_id: string | null;
  full_path_name: string;
  node_depth: number;
  archived: boolean;
  ls_timestamp: NullableTimestamp;
  updated_at: Timestamp;
}

export interface ProductAttributeSetsTable {
  tenant_id: string;
  attribute_set_id: string;
  name: string;
  attribute_names: Json<string[]>;
  archived: boolean;
  updated_at: Timestamp;
}

export interface ProductTaxClassesTable {
  tenant_id: string;
  tax_class_id: string;
  name: string;
  vat_percent: string;
  tax_inclusive: boolean;
  updated_at: Timestamp;
}

export interface StockShopsTable {
  tenant_id: string;
  shop_id: string;
  name: string;
  time_zone: string;
  archived: boolean;
  updated_at: Timestamp;
}

export interface StockLevelsTable {
  tenant_id: string;
  item_id: string;
  shop_id: string;
  item_shop_id: string;
  qoh: number;
  sellable: number;
  backorder: number;
  component_qoh: number;
  on_layaway: number;
  on_special_order: number;
  on_work_order: number;
  on_transfer_in: number;
  on_transfer_out: number;
  /** numeric: a decimal string. */
  average_cost: string | null;
  ls_timestamp: Timestamp;
  updated_at: Timestamp;
}

export interface StockHistoryTable {
  id: Generated<BigIntId>;
  tenant_id: string;
  item_id: string;
  shop_id: string;
  qoh: number;
  on_layaway: Generated<number>;
  on_special_order: Generated<number>;
  on_work_order: Generated<number>;
  backorder: Generated<number>;
  on_transfer_in: Generated<number>;
  average_cost: string | null;
  ls_timestamp: Timestamp;
  observed_at: Generated<Date>;
}

export type ValuationStatus = "baseline" | "posted" | "unchanged" | "pending" | "failed";

export interface StockValuationsTable {
  tenant_id: string;
  period: string;
  frequency: "month" | "quarter" | "year";
  /** YYYY-MM-DD in the valuation's time zone. */
  period_end_date: string;
  as_of: Timestamp;
  time_zone: string;
  value_cents: BigCents;
  previous_value_cents: BigCents | null;
  posted_cents: BigCents;
  status: ValuationStatus;
  postings: Json<unknown[]>;
  details: Json<Record<string, unknown>>;
  computed_at: Timestamp;
}

/** One call slot of the BuchhaltungsButler rate limiter: `at` is clock ms (start, then completion once `open` is false). */
export interface BbRateSlot {
  id: string;
  at: number;
  open: boolean;
}

export interface BbRateWindowsTable {
  tenant_id: string;
  bucket: string;
  slots: Json<BbRateSlot[]>;
  updated_at: Timestamp;
}

export interface LsRateBucketsTable {
  bucket_key: string;
  /** The bucket as lib/lightspeed/scheduler.ts keeps it; parsed on read. */
  state: Json<unknown>;
  updated_at: Timestamp;
}

export interface BbDebtorsTable {
  tenant_id: string;
  postingaccount_number: number;
  name: string;
  email_normalized: string | null;
  customer_number: string | null;
  data: Json<Record<string, unknown>>;
  seen_at: Timestamp;
}

export interface BbDebtorIndexStateTable {
  tenant_id: string;
  synced_at: Timestamp;
  debtor_count: number;
}

export interface DB {
  tenants: TenantsTable;
  connections: ConnectionsTable;
  flow_settings: FlowSettingsTable;
  sync_cursors: SyncCursorsTable;
  mappings: MappingsTable;
  sync_links: SyncLinksTable;
  sync_runs: SyncRunsTable;
  activity_log: ActivityLogTable;
  notifications: NotificationsTable;
  audit_log: AuditLogTable;
  User: UserTable;
  Account: AccountTable;
  Session: SessionTable;
  launch_uses: LaunchUsesTable;
  inline_job_events: InlineJobEventsTable;
  VerificationToken: VerificationTokenTable;
  bb_rate_windows: BbRateWindowsTable;
  ls_rate_buckets: LsRateBucketsTable;
  bb_debtors: BbDebtorsTable;
  bb_debtor_index_state: BbDebtorIndexStateTable;
  products: ProductsTable;
  product_matrices: ProductMatricesTable;
  product_categories: ProductCategoriesTable;
  product_attribute_sets: ProductAttributeSetsTable;
  product_tax_classes: ProductTaxClassesTable;
  stock_shops: StockShopsTable;
  stock_levels: StockLevelsTable;
  stock_history: StockHistoryTable;
  stock_valuations: StockValuationsTable;
}

export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;
export type Connection = Selectable<ConnectionsTable>;
export type SyncLink = Selectable<SyncLinksTable>;
export type SyncRun = Selectable<SyncRunsTable>;
export type ActivityLogRow = Selectable<ActivityLogTable>;
export type NotificationRow = Selectable<NotificationsTable>;
