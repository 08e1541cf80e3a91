import { sql } from "kysely";
import type { Selectable } from "kysely";
import type { ProductsTable } from "@/db/schema";
import { toJson, type Database } from "../../db";
import { recordActivities, type ActivityEntry } from "../../activity/record-activity";
import { AppError } from "../../errors/app-error";
import type { LsItem, LsMalformedRecord } from "../../lightspeed/domain";
import { applyFieldUpdates } from "../../mapping/product-field-updates";
import { assignSkus, skuCandidates, type SkuAssignment, type SkuCandidate } from "../../mapping/product-sku";
import { raiseNotification, resolveNotifications } from "../../notifications/raise-notification";
import { handleRecordFailure } from "../handle-record-failure";
import { buildProductRecord, hashOf, PRODUCT_FIELD_GROUPS, type ProductFlag, type ProductRecord } from "./build-product-record";
import { loadProductContext, type ProductRunContext } from "./load-product-context";
import { storedItemSource } from "./stored-source";

export interface ItemsPageOutcome {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Items whose preferred SKU is held by an older item. */
  skuConflicts: number;
}

const LITE_COLUMNS = [
  "item_id", "sku", "sku_key", "sku_source", "sku_wanted", "kind", "matrix_id", "description", "category_id", "tax_class_id", "item_type", "archived",
  "ean", "upc", "custom_sku", "system_sku", "manufacturer_sku", "price_amount", "price_net_cents", "price_gross_cents", "msrp_gross_cents",
  "vat_percent", "default_cost", "attributes", "features", "flags", "source_hash",
] as const;
type ProductRow = Pick<Selectable<ProductsTable>, (typeof LITE_COLUMNS)[number]>;

/** How many rounds of "who else competes for these SKUs" we follow; real registers settle in one or two. */
const MAX_SKU_ROUNDS = 8;

/**
 * Writes a page of Lightspeed items into the product register: builds each record, skips the unchanged ones
 * (overlap re-reads), assigns SKUs over every item that competes for them, applies the create-vs-update
 * policy, and logs each created or updated item. A broken item fails alone.
 */
export async function applyItemsPage(
  database: Database,
  input: { tenantId: string; runId: string | null; items: LsItem[]; malformed?: LsMalformedRecord[]; force?: boolean; context?: ProductRunContext },
): Promise<ItemsPageOutcome> {
  const { tenantId, runId } = input;
  const startedAt = Date.now();
  const out: ItemsPageOutcome = { created: 0, updated: 0, unchanged: 0, failed: 0, skuConflicts: 0 };
  const ctx = await loadProductContext(
    database,
    tenantId,
    input.items.flatMap((i) => (i.itemMatrixId ? [i.itemMatrixId] : [])),
    input.context,
  );

  for (const bad of input.malformed ?? []) {
    out.failed++;
    await handleRecordFailure(
      database,
      { tenantId, runId, flow: "products", entity: "item", sourceId: bad.id ?? "unknown", reference: bad.id ? `item ${bad.id}` : null, sourcePayload: bad.raw, startedAt, redactPii: ctx.redactPii },
      new AppError("RECORD_INVALID", { detail: `Lightspeed item ${bad.id ?? "(no id)"}: ${bad.problems.join("; ")}`, fixHint: "Correct the item in Lightspeed; it is picked up on the next sync." }),
    );
  }

  // Deduplicate by id (a page can repeat a record across an overlap) and build.
  const byId = new Map<string, LsItem>();
  for (const item of input.items) byId.set(item.itemId, item);
  const built = new Map<string, { item: LsItem; record: ProductRecord; candidates: SkuCandidate[]; hash: string }>();
  for (const item of byId.values()) {
    try {
      const { record, candidates } = buildProductRecord(item, ctx);
      built.set(item.itemId, { item, record, candidates, hash: hashOf({ record, candidates }) });
    } catch (e) {
      out.failed++;
      await handleRecordFailure(
        database,
        { tenantId, runId, flow: "products", entity: "item", sourceId: item.itemId, reference: item.customSku || item.systemSku || `item ${item.itemId}`, sourcePayload: item, startedAt, redactPii: ctx.redactPii },
        e instanceof AppError ? e : new AppError("RECORD_INVALID", { detail: `Lightspeed item ${item.itemId}: ${e instanceof Error ? e.message : String(e)}`, cause: e }),
      );
    }
  }
  if (built.size === 0) return out;

  // Everything but `source` (the big stored record, only needed for competitors outside the page).
  const existingRows = await database.selectFrom("products").select(LITE_COLUMNS).where("tenant_id", "=", tenantId).where("item_id", "in", [...built.keys()]).execute();
  const existing = new Map(existingRows.map((r) => [r.item_id, r]));
  const changed = [...built.values()].filter((b) => input.force || existing.get(b.item.itemId)?.source_hash !== b.hash);
  out.unchanged = built.size - changed.length;
  if (changed.length === 0) return out;

  // Every item that competes for any SKU involved, so the assignment depends only on the register's content.
  const claimants = new Map<string, { candidates: SkuCandidate[]; row: ProductRow | undefined }>();
  for (const b of changed) claimants.set(b.item.itemId, { candidates: b.candidates, row: existing.get(b.item.itemId) });
  let frontier = new Set<string>(changed.flatMap((b) => [...b.candidates.map((c) => c.key), ...(existing.get(b.item.itemId) ? [existing.get(b.item.itemId)!.sku_key] : [])]));
  // Items that lost a SKU before are few (a partial index holds them): read them once, match in memory.
  const wanting = await database.selectFrom("products").select(["item_id", "sku_wanted"]).where("tenant_id", "=", tenantId).where("sku_wanted", "<>", sql<string[]>`'{}'`).execute();
  for (let round = 0; frontier.size > 0 && round < MAX_SKU_ROUNDS; round++) {
    const keys = [...frontier];
    const holders = await database.selectFrom("products").select("item_id").where("tenant_id", "=", tenantId).where("sku_key", "in", keys).execute();
    const newIds = [...new Set([...holders.map((r) => r.item_id), ...wanting.filter((w) => w.sku_wanted.some((k) => frontier.has(k))).map((w) => w.item_id)])].filter((id) => !claimants.has(id));
    frontier = new Set();
    if (newIds.length === 0) break;
    const rows = await database.selectFrom("products").select([...LITE_COLUMNS, "source"]).where("tenant_id", "=", tenantId).where("item_id", "in", newIds).execute();
    for (const row of rows) {
      const candidates = skuCandidates(storedItemSource(row.item_id, row.source), ctx.skuField);
      claimants.set(row.item_id, { candidates, row });
      for (const c of candidates) frontier.add(c.key);
      frontier.add(row.sku_key);
    }
  }
  const assignments = assignSkus([...claimants.entries()].map(([itemId, c]) => ({ itemId, candidates: c.candidates })));

  const now = new Date();
  const values: Parameters<typeof upsertProducts>[1] = [];
  const activities: ActivityEntry[] = [];
  const conflicts: { itemId: string; a: SkuAssignment }[] = [];
  for (const b of changed) {
    const a = assignments.get(b.item.itemId)!;
    const row = existing.get(b.item.itemId);
    const { merged, kept } = applyFieldUpdates(row ? recordFromRow(row) : null, b.record, ctx.settings.fieldUpdates, PRODUCT_FIELD_GROUPS);
    const flags = withSkuFlags(b.record.flags, a, ctx);
    values.push(rowValues(tenantId, { ...merged, flags }, a, b.item, b.hash, now));
    if (a.lost.length) conflicts.push({ itemId: b.item.itemId, a });
    if (row) out.updated++;
    else out.created++;
    activities.push({
      tenantId,
      runId,
      flow: "products",
      entity: "item",
      sourceId: b.item.itemId,
      reference: a.sku,
      result: row ? "updated" : "created",
      message: describeChange(b.record, a, row, kept),
      sourcePayload: b.item,
      transformedPayload: { sku: a.sku, skuSource: a.source, ...merged, flags },
      targetResponse: { target: "product register", kept, previousSku: row && row.sku !== a.sku ? row.sku : undefined },
      durationMs: Date.now() - startedAt,
    });
  }
  // Items outside the page whose SKU moves because of it (an older item claimed theirs, or freed one they wanted).
  const moved: { row: ProductRow; a: SkuAssignment }[] = [];
  for (const [itemId, c] of claimants) {
    if (built.has(itemId) && changed.some((b) => b.item.itemId === itemId)) continue;
    const a = assignments.get(itemId)!;
    if (!c.row || (c.row.sku_key === a.key && sameWanted(c.row.sku_wanted, a))) continue;
    moved.push({ row: c.row, a });
    if (a.lost.length) conflicts.push({ itemId, a });
    activities.push({
      tenantId,
      runId,
      flow: "products",
      entity: "item",
      sourceId: itemId,
      reference: a.sku,
      result: "updated",
      message: c.row.sku_key === a.key ? `SKU ${a.sku} unchanged; competing SKUs updated` : `SKU changed from ${c.row.sku} to ${a.sku}${a.lost.length ? ` because item ${a.lost[0]!.heldBy} (older) uses ${a.lost[0]!.sku}` : " (its preferred SKU is free again)"}`,
      transformedPayload: { sku: a.sku, skuSource: a.source },
      targetResponse: { target: "product register", previousSku: c.row.sku },
    });
  }

  await database.transaction().execute(async (trx) => {
    await upsertProducts(trx, values);
    for (const m of moved) {
      const flags = withSkuFlags((m.row.flags as ProductFlag[]).filter((f) => f !== "sku_conflict" && f !== "sku_fallback"), m.a, ctx);
      await trx
        .updateTable("products")
        .set({ sku: m.a.sku, sku_key: m.a.key, sku_source: m.a.source, sku_wanted: m.a.lost.map((l) => l.key), flags: toJson(flags), updated_at: now })
        .where("tenant_id", "=", tenantId)
        .where("item_id", "=", m.row.item_id)
        .execute();
    }
  });
  await recordActivities(database, activities, { redact: ctx.redactPii });

  // One inbox item per contested SKU, resolved once nobody loses it any more.
  out.skuConflicts = conflicts.length;
  const stillContested = new Set(conflicts.flatMap((c) => c.a.lost.map((l) => l.key)));
  for (const { itemId, a } of conflicts) {
    for (const l of a.lost) {
      await raiseNotification(database, {
        tenantId,
        severity: "warning",
        code: "SKU_DUPLICATE",
        message: { code: "sku_duplicate", params: { sku: l.sku, heldBy: String(l.heldBy), itemId: String(itemId), assigned: a.sku } },
        link: `/activity?q=${encodeURIComponent(l.sku)}`,
        flow: "products",
        entity: "item",
        sourceId: itemId,
        dedupeKey: `sku-duplicate:${l.key}`,
      });
    }
  }
  const previouslyWanted = new Set([...claimants.values()].flatMap((c) => c.row?.sku_wanted ?? []));
  for (const key of previouslyWanted) if (!stillContested.has(key)) await resolveNotifications(database, tenantId, { dedupeKey: `sku-duplicate:${key}` });
  return out;
}

function sameWanted(current: string[], a: SkuAssignment): boolean {
  const next = a.lost.map((l) => l.key);
  return current.length === next.length && current.every((k, i) => k === next[i]);
}

function withSkuFlags(flags: ProductFlag[], a: SkuAssignment, ctx: ProductRunContext): ProductFlag[] {
  const set = new Set<ProductFlag>(flags.filter((f) => f !== "sku_conflict" && f !== "sku_fallback"));
  if (a.source !== ctx.skuField) set.add("sku_fallback");
  if (a.lost.length) set.add("sku_conflict");
  return [...set].sort();
}

function describeChange(record: ProductRecord, a: SkuAssignment, row: ProductRow | undefined, kept: string[]): string {
  const what = record.kind === "variant" ? `variant of matrix ${record.matrixId}${record.attributes.length ? ` (${record.attributes.map((x) => `${x.name}: ${x.value}`).join(", ")})` : ""}` : "product";
  const parts = [`${row ? "Updated" : "Created"} ${what} ${a.sku}`];
  if (a.lost.length) parts.push(`SKU "${a.lost[0]!.sku}" belongs to older item ${a.lost[0]!.heldBy}, so this item uses ${a.source} "${a.sku}"`);
  if (row && row.sku !== a.sku) parts.push(`SKU was ${row.sku}`);
  if (kept.length) parts.push(`kept existing ${kept.join(", ")} (create-only setting)`);
  if (record.archived) parts.push("archived in Lightspeed");
  return parts.join("; ");
}

export function recordFromRow(row: ProductRow): ProductRecord {
  return {
    itemId: row.item_id,
    kind: row.kind,
    matrixId: row.matrix_id,
    description: row.description,
    categoryId: row.category_id,
    taxClassId: row.tax_class_id,
    itemType: row.item_type,
    archived: row.archived,
    ean: row.ean,
    upc: row.upc,
    customSku: row.custom_sku,
    systemSku: row.system_sku,
    manufacturerSku: row.manufacturer_sku,
    priceAmount: row.price_amount,
    priceNetCents: row.price_net_cents,
    priceGrossCents: row.price_gross_cents,
    msrpGrossCents: row.msrp_gross_cents,
    vatPercent: row.vat_percent,
    defaultCost: row.default_cost,
    attributes: row.attributes as ProductRecord["attributes"],
    features: row.features as ProductRecord["features"],
    flags: row.flags as ProductFlag[],
  };
}

function rowValues(tenantId: string, r: ProductRecord, a: SkuAssignment, item: LsItem, hash: string, now: Date) {
  return {
    tenant_id: tenantId,
    item_id: r.itemId,
    sku: a.sku,
    sku_key: a.key,
    sku_source: a.source,
    sku_wanted: a.lost.map((l) => l.key),
    kind: r.kind,
    matrix_id: r.matrixId,
    description: r.description,
    category_id: r.categoryId,
    tax_class_id: r.taxClassId,
    item_type: r.itemType,
    archived: r.archived,
    ean: r.ean,
    upc: r.upc,
    custom_sku: r.customSku,
    system_sku: r.systemSku,
    manufacturer_sku: r.manufacturerSku,
    price_amount: r.priceAmount,
    price_net_cents: r.priceNetCents,
    price_gross_cents: r.priceGrossCents,
    msrp_gross_cents: r.msrpGrossCents,
    vat_percent: r.vatPercent,
    default_cost: r.defaultCost,
    attributes: toJson(r.attributes),
    features: toJson(r.features),
    flags: toJson(r.flags),
    source: toJson(item),
    source_hash: hash,
    ls_timestamp: item.timeStamp,
    updated_at: now,
  };
}

async function upsertProducts(database: Database, values: ReturnType<typeof rowValues>[]): Promise<void> {
  if (values.length === 0) return;
  const cols = Object.keys(values[0]!).filter((k) => k !== "tenant_id" && k !== "item_id") as (keyof ReturnType<typeof rowValues>)[];
  await database
    .insertInto("products")
    .values(values)
    .onConflict((oc) =>
      oc.columns(["tenant_id", "item_id"]).doUpdateSet(Object.fromEntries(cols.map((c) => [c, sql.ref(`excluded.${c}`)])) as never),
    )
    .execute();
}
