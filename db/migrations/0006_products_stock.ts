import { sql, type Kysely } from "kysely";

/**
 * The product register and the stock ledger (issue #7). BuchhaltungsButler has no article or stock objects, so
 * both live here: the register is what the order flow checks lines against and what picks category revenue
 * accounts; the ledger keeps every observed stock state so a period-end valuation can be computed as of the
 * period end even when the job runs later.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Keyed by Lightspeed itemID; the SKU is the merchant-facing key and unique per tenant (case-insensitive via
  // sku_key). The constraint is deferred so one transaction can move a SKU from one item to another.
  await sql`
    create table products (
      tenant_id uuid not null references tenants(id) on delete cascade,
      item_id text not null,
      sku text not null,
      sku_key text not null,
      sku_source text not null,
      sku_wanted text[] not null default '{}',
      kind text not null check (kind in ('simple', 'variant')),
      matrix_id text,
      description text not null default '',
      category_id text,
      tax_class_id text,
      item_type text not null,
      archived boolean not null default false,
      ean text not null default '',
      upc text not null default '',
      custom_sku text not null default '',
      system_sku text not null default '',
      manufacturer_sku text not null default '',
      price_amount text,
      price_net_cents bigint,
      price_gross_cents bigint,
      msrp_gross_cents bigint,
      vat_percent text,
      default_cost text,
      attributes jsonb not null default '[]'::jsonb,
      features jsonb not null default '[]'::jsonb,
      flags jsonb not null default '[]'::jsonb,
      source jsonb not null,
      source_hash text not null,
      ls_timestamp timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, item_id),
      constraint products_sku_unique unique (tenant_id, sku_key) deferrable initially deferred
    )`.execute(db);
  await sql`create index products_matrix_idx on products (tenant_id, matrix_id) where matrix_id is not null`.execute(db);
  await sql`create index products_category_idx on products (tenant_id, category_id)`.execute(db);
  // Only items that lost a SKU conflict want another one: few rows, read whole per page.
  await sql`create index products_wanted_idx on products (tenant_id) where sku_wanted <> '{}'`.execute(db);
  await sql`create index products_list_idx on products (tenant_id, sku)`.execute(db);

  await sql`
    create table product_matrices (
      tenant_id uuid not null references tenants(id) on delete cascade,
      matrix_id text not null,
      description text not null default '',
      attribute_set_id text,
      category_id text,
      tax_class_id text,
      item_type text not null,
      archived boolean not null default false,
      attribute_values jsonb not null default '[]'::jsonb,
      price_amount text,
      price_net_cents bigint,
      price_gross_cents bigint,
      source jsonb not null,
      source_hash text not null,
      ls_timestamp timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, matrix_id)
    )`.execute(db);

  await sql`
    create table product_categories (
      tenant_id uuid not null references tenants(id) on delete cascade,
      category_id text not null,
      name text not null,
      parent_id text,
      full_path_name text not null,
      node_depth integer not null default 0,
      archived boolean not null default false,
      ls_timestamp timestamptz,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, category_id)
    )`.execute(db);

  await sql`
    create table product_attribute_sets (
      tenant_id uuid not null references tenants(id) on delete cascade,
      attribute_set_id text not null,
      name text not null,
      attribute_names jsonb not null,
      archived boolean not null default false,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, attribute_set_id)
    )`.execute(db);

  // The VAT rate of each tax class in the primary shop's tax category ('' = items without a class).
  await sql`
    create table product_tax_classes (
      tenant_id uuid not null references tenants(id) on delete cascade,
      tax_class_id text not null,
      name text not null default '',
      vat_percent text not null,
      tax_inclusive boolean not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, tax_class_id)
    )`.execute(db);

  await sql`
    create table stock_shops (
      tenant_id uuid not null references tenants(id) on delete cascade,
      shop_id text not null,
      name text not null,
      time_zone text not null,
      archived boolean not null default false,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, shop_id)
    )`.execute(db);

  await sql`
    create table stock_levels (
      tenant_id uuid not null references tenants(id) on delete cascade,
      item_id text not null,
      shop_id text not null,
      item_shop_id text not null,
      qoh integer not null,
      sellable integer not null,
      backorder integer not null default 0,
      component_qoh integer not null default 0,
      on_layaway integer not null default 0,
      on_special_order integer not null default 0,
      on_work_order integer not null default 0,
      on_transfer_in integer not null default 0,
      on_transfer_out integer not null default 0,
      average_cost numeric,
      ls_timestamp timestamptz not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, item_id, shop_id)
    )`.execute(db);
  await sql`create index stock_levels_shop_idx on stock_levels (tenant_id, shop_id, item_id)`.execute(db);

  // Append-only: one row per observed change of an ItemShop row, at Lightspeed's timeStamp.
  await sql`
    create table stock_history (
      id bigserial primary key,
      tenant_id uuid not null references tenants(id) on delete cascade,
      item_id text not null,
      shop_id text not null,
      qoh integer not null,
      on_layaway integer not null default 0,
      on_special_order integer not null default 0,
      on_work_order integer not null default 0,
      backorder integer not null default 0,
      on_transfer_in integer not null default 0,
      average_cost numeric,
      ls_timestamp timestamptz not null,
      observed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index stock_history_asof_idx on stock_history (tenant_id, item_id, shop_id, ls_timestamp desc, id desc)`.execute(db);
  // Late data: rows observed after a valuation was computed that belong before its end.
  await sql`create index stock_history_observed_idx on stock_history (tenant_id, observed_at)`.execute(db);

  await sql`
    create table stock_valuations (
      tenant_id uuid not null references tenants(id) on delete cascade,
      period text not null,
      frequency text not null check (frequency in ('month', 'quarter', 'year')),
      period_end_date text not null check (period_end_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      as_of timestamptz not null,
      time_zone text not null,
      value_cents bigint not null,
      previous_value_cents bigint,
      posted_cents bigint not null default 0,
      status text not null check (status in ('baseline', 'posted', 'unchanged', 'pending', 'failed')),
      postings jsonb not null default '[]'::jsonb,
      details jsonb not null default '{}'::jsonb,
      computed_at timestamptz not null default now(),
      primary key (tenant_id, period)
    )`.execute(db);
  await sql`create index stock_valuations_end_idx on stock_valuations (tenant_id, period_end_date desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ["stock_valuations", "stock_history", "stock_levels", "stock_shops", "product_tax_classes", "product_attribute_sets", "product_categories", "product_matrices", "products"]) {
    await sql`drop table if exists ${sql.id(t)}`.execute(db);
  }
}
