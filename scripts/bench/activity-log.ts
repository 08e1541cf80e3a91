import { sql } from "kysely";
import { getActivityEntry } from "@/lib/activity/get-activity-entry";
import { activityFilterSchema, listActivity, type ActivityFilter } from "@/lib/activity/list-activity";
import { createDb, type Database } from "@/lib/db";
import type { BenchFlags, BenchResult } from "../bench";
import { createFreshDatabase, migrateUrl } from "../lib/databases";

/**
 * `npm run bench -- activity-log [--json] [--rows 1000000] [--samples 400]`
 *
 * Seeds one tenant's activity log with a million rows (90 days, three flows, realistic result mix, payloads)
 * next to other tenants' rows, then measures the server time of what the activity page and the detail page
 * run per request — listActivity with the merchant's filters (first pages and keyset pages further back) and
 * getActivityEntry — on a real Postgres. Goal: p95 < 200 ms. Lower is better: achieved is the worse p95 of
 * the two, bound is 200 ms, ratio = achieved / bound (≤ 1 meets the goal).
 */
function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : 0;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function seed(database: Database, tenantId: string, rows: number, otherTenants: string[]): Promise<void> {
  const chunk = 100_000;
  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    // One INSERT … SELECT per chunk: flows 70/20/10, results created 85 / skipped 8 / updated 4 / failed 2 / info 1,
    // times spread over 90 days, ticket numbers for sales and SKUs for products, a payload like the flows write.
    await sql`
      insert into activity_log (tenant_id, flow, entity, source_id, reference, result, message, error_code, source_payload, transformed_payload, target_response, duration_ms, created_at)
      select ${tenantId}::uuid,
             f.flow,
             case f.flow when 'orders' then 'sale' when 'products' then 'item' else 'item_shop' end,
             (100000 + g)::text,
             case f.flow when 'orders' then 'T' || lpad((100000 + g)::text, 8, '0') else 'SKU-' || (g % 50000) end,
             r.result,
             case r.result when 'failed' then 'payment type "PayPal" (id 6) is not mapped' else 'Posted as LS-1-' || g end,
             case r.result when 'failed' then 'MAPPING_MISSING' else null end,
             jsonb_build_object('saleId', (100000 + g)::text, 'total', (g % 9000) / 100.0, 'customer', jsonb_build_object('contact', jsonb_build_object('emails', jsonb_build_array(jsonb_build_object('address', 'kunde' || (g % 20000) || '@example.org'))))),
             jsonb_build_object('invoiceNumber', 'LS-1-' || g, 'lines', jsonb_build_array(jsonb_build_object('account', 8400, 'vat', '19_vat', 'amount', g % 9000))),
             jsonb_build_object('receiptId', g::text),
             (g % 400),
             now() - make_interval(secs => (random() * 90 * 86400)::int)
      from generate_series(${start + 1}::int, ${start + n}::int) as g,
           lateral (select case when g % 10 < 7 then 'orders' when g % 10 < 9 then 'products' else 'stock' end as flow) f,
           lateral (select case when g % 100 < 85 then 'created' when g % 100 < 93 then 'skipped' when g % 100 < 97 then 'updated' when g % 100 < 99 then 'failed' else 'info' end as result) r
    `.execute(database);
  }
  for (const other of otherTenants) {
    await sql`
      insert into activity_log (tenant_id, flow, entity, source_id, reference, result, message, created_at)
      select ${other}::uuid, 'orders', 'sale', g::text, 'T' || lpad(g::text, 8, '0'), 'created', 'other tenant', now() - make_interval(secs => (random() * 90 * 86400)::int)
      from generate_series(1, 50000) g`.execute(database);
  }
  // What autovacuum does for a live table: statistics and the visibility map (index-only scans).
  await sql`vacuum analyze activity_log`.execute(database);
}

export async function run(flags: BenchFlags): Promise<BenchResult> {
  const rows = Number(flags.rows ?? 1_000_000);
  const samples = Number(flags.samples ?? 400);
  const fresh = await createFreshDatabase("bench_activity", process.env.DATABASE_URL);
  const database = createDb(fresh.url, 4);
  try {
    await migrateUrl(fresh.url);
    const tenant = async (name: string) =>
      (await database.insertInto("tenants").values({ ls_account_id: `bench-${name}-${Date.now()}`, name, settings: "{}", status: "active", updated_at: new Date() }).returning("id").executeTakeFirstOrThrow()).id;
    const tenantId = await tenant("Big Shop");
    const others = [await tenant("Other A"), await tenant("Other B")];
    const seedStarted = Date.now();
    await seed(database, tenantId, rows, others);
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const today = new Date();
    const day = (ago: number) => new Date(today.getTime() - ago * 86_400_000).toISOString().slice(0, 10);
    const filters: { name: string; filter: () => ActivityFilter }[] = [
      { name: "all", filter: () => ({}) },
      { name: "flow", filter: () => ({ flow: "orders" }) },
      { name: "failed", filter: () => ({ result: "failed" }) },
      { name: "flow+failed", filter: () => ({ flow: "orders", result: "failed" }) },
      { name: "7-day range", filter: () => { const a = 1 + Math.floor(Math.random() * 80); return { from: day(a + 7), to: day(a) }; } },
      { name: "range+failed", filter: () => { const a = 1 + Math.floor(Math.random() * 60); return { result: "failed", from: day(a + 30), to: day(a) }; } },
      { name: "ticket prefix", filter: () => ({ q: `T00${100 + Math.floor(Math.random() * 900)}` }) },
      { name: "exact ticket", filter: () => ({ q: `T${String(100000 + Math.floor(Math.random() * rows)).padStart(8, "0")}` }) },
      { name: "sku", filter: () => ({ q: `SKU-${Math.floor(Math.random() * 50000)}` }) },
      { name: "e-mail", filter: () => ({ q: `kunde${Math.floor(Math.random() * 20000)}@example.org` }) },
    ];
    // Warm-up: the first query per plan pays for planning and cold pages, as after a deploy.
    for (const f of filters) await listActivity(database, tenantId, activityFilterSchema.parse(f.filter()));

    const listTimes: number[] = [];
    const perFilter: Record<string, number[]> = {};
    for (let i = 0; i < samples; i++) {
      const f = filters[i % filters.length]!;
      const filter = activityFilterSchema.parse(f.filter());
      // Every fourth sample walks a few keyset pages back, as paging through the log does.
      let after: string | null = null;
      const pages = i % 4 === 3 ? 1 + Math.floor(Math.random() * 5) : 1;
      for (let p = 0; p < pages; p++) {
        const t0 = performance.now();
        const page = await listActivity(database, tenantId, filter, { after, limit: 50 });
        const ms = performance.now() - t0;
        listTimes.push(ms);
        (perFilter[f.name] ??= []).push(ms);
        after = page.next;
        if (!after) break;
      }
    }
    const idRange = await database.selectFrom("activity_log").select([(eb) => eb.fn.min("id").as("lo"), (eb) => eb.fn.max("id").as("hi")]).where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
    const lo = Number(idRange.lo);
    const hi = Number(idRange.hi);
    const detailTimes: number[] = [];
    for (let i = 0; i < samples; i++) {
      const id = lo + Math.floor(Math.random() * (hi - lo + 1));
      const t0 = performance.now();
      const entry = await getActivityEntry(database, tenantId, id);
      detailTimes.push(performance.now() - t0);
      if (!entry) throw new Error(`detail ${id} not found`);
    }
    const listP95 = pct(listTimes, 95);
    const detailP95 = pct(detailTimes, 95);
    const achieved = round(Math.max(listP95, detailP95));
    const bound = 200;
    return {
      name: "activity-log",
      achieved,
      bound,
      ratio: round(achieved / bound),
      unit: "ms p95 server time (worse of list and detail; lower is better, ratio ≤ 1 meets the goal)",
      rows,
      otherTenantRows: others.length * 50_000,
      seedSeconds: round(seedSeconds),
      listSamples: listTimes.length,
      listP50: round(pct(listTimes, 50)),
      listP95: round(listP95),
      detailP50: round(pct(detailTimes, 50)),
      detailP95: round(detailP95),
      listP95ByFilter: Object.fromEntries(Object.entries(perFilter).map(([k, v]) => [k, round(pct(v, 95))])),
    };
  } finally {
    await database.destroy();
    await fresh.drop();
  }
}
