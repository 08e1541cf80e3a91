import { sql, type Insertable } from "kysely";
import type { StockHistoryTable, StockLevelsTable } from "@/db/schema";
import type { Database } from "../../db";
import { recordActivities, type ActivityEntry } from "../../activity/record-activity";
import { AppError } from "../../errors/app-error";
import type { LsItemShop, LsMalformedRecord } from "../../lightspeed/domain";
import { decimal } from "../../money";
import { handleRecordFailure } from "../handle-record-failure";
import { availableStock, incomingOf, reservedOf, type AvailableFormula } from "./available-stock";

export interface ItemShopsPageOutcome {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

const QUANTITY_FIELDS = ["qoh", "sellable", "backorder", "componentQoh", "onLayaway", "onSpecialOrder", "onWorkOrder", "onTransferIn", "onTransferOut"] as const;
/** Postgres integer range: anything beyond is broken data, not stock. */
const MAX_QUANTITY = 2_000_000_000;

/** Why a row cannot go into the ledger, in words a support person understands; null when it is fine. */
export function itemShopProblems(row: LsItemShop): string[] {
  const problems: string[] = [];
  for (const f of QUANTITY_FIELDS) {
    const v = row[f];
    if (!Number.isInteger(v) || Math.abs(v) > MAX_QUANTITY) problems.push(`${f} ${JSON.stringify(v)} is not a whole number of units`);
  }
  if (row.averageCost !== null) {
    try {
      if (decimal(row.averageCost).isNegative()) problems.push(`averageCost "${row.averageCost}" is negative`);
    } catch {
      problems.push(`averageCost "${row.averageCost}" is not a number`);
    }
  }
  if (!/^\d+$/.test(row.itemId) || !/^\d+$/.test(row.shopId)) problems.push(`itemID "${row.itemId}" / shopID "${row.shopId}" are not Lightspeed ids`);
  return problems;
}

/**
 * Writes a page of ItemShop rows into the stock ledger: the current level per item and shop, plus one
 * history row per observed change (at Lightspeed's timeStamp) for period-end valuations. Unchanged rows
 * (overlap re-reads) are skipped; rows of non-inventory items are skipped; a broken row fails alone.
 */
export async function applyItemShopsPage(
  database: Database,
  input: {
    tenantId: string;
    runId: string | null;
    rows: LsItemShop[];
    malformed?: LsMalformedRecord[];
    formula: AvailableFormula;
    redactPii: boolean;
    /** Rows at or before this instant were seen by an earlier page (overlap): skips of those are not logged again. */
    seenUpTo?: string | null;
  },
): Promise<ItemShopsPageOutcome> {
  const { tenantId, runId } = input;
  const startedAt = Date.now();
  const out: ItemShopsPageOutcome = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
  const fail = async (sourceId: string, reference: string, payload: unknown, detail: string) => {
    out.failed++;
    await handleRecordFailure(
      database,
      { tenantId, runId, flow: "stock", entity: "item", sourceId, reference, sourcePayload: payload, startedAt, redactPii: input.redactPii },
      new AppError("RECORD_INVALID", { detail, fixHint: "Check the item's inventory in Lightspeed; the row is read again when it changes." }),
    );
  };
  for (const bad of input.malformed ?? []) {
    await fail(`itemShop:${bad.id ?? "unknown"}`, `ItemShop ${bad.id ?? "?"}`, bad.raw, `Lightspeed inventory row ${bad.id ?? "(no id)"}: ${bad.problems.join("; ")}`);
  }

  // Latest state per (item, shop) within the page.
  const latest = new Map<string, LsItemShop>();
  for (const row of input.rows) {
    const key = `${row.itemId}|${row.shopId}`;
    const prev = latest.get(key);
    if (!prev || prev.timeStamp <= row.timeStamp) latest.set(key, row);
  }
  const valid: LsItemShop[] = [];
  for (const row of latest.values()) {
    const problems = itemShopProblems(row);
    if (problems.length) await fail(`itemShop:${row.itemShopId}`, `item ${row.itemId} / shop ${row.shopId}`, row, `Lightspeed inventory row ${row.itemShopId} (item ${row.itemId}, shop ${row.shopId}): ${problems.join("; ")}`);
    else valid.push(row);
  }
  if (valid.length === 0) return out;

  const itemIds = [...new Set(valid.map((r) => r.itemId))];
  const products = new Map(
    (await database.selectFrom("products").select(["item_id", "item_type", "sku"]).where("tenant_id", "=", tenantId).where("item_id", "in", itemIds).execute()).map((p) => [p.item_id, p]),
  );
  const existing = new Map(
    (await database.selectFrom("stock_levels").selectAll().where("tenant_id", "=", tenantId).where("item_id", "in", itemIds).execute()).map((r) => [`${r.item_id}|${r.shop_id}`, r]),
  );

  const now = new Date();
  const levels: Insertable<StockLevelsTable>[] = [];
  const history: Insertable<StockHistoryTable>[] = [];
  const activities: ActivityEntry[] = [];
  for (const row of valid) {
    const product = products.get(row.itemId);
    const reference = product?.sku ?? `item ${row.itemId}`;
    if (product?.item_type === "non_inventory") {
      out.skipped++;
      if (!input.seenUpTo || row.timeStamp > input.seenUpTo) {
        activities.push({ tenantId, runId, flow: "stock", entity: "item", sourceId: row.itemId, reference, result: "skipped", message: `Skipped shop ${row.shopId}: non-inventory item (no stock kept)`, sourcePayload: row });
      }
      continue;
    }
    const prev = existing.get(`${row.itemId}|${row.shopId}`);
    const avgCost = row.averageCost === null ? null : decimal(row.averageCost).toString();
    const same =
      prev &&
      prev.qoh === row.qoh &&
      prev.sellable === row.sellable &&
      prev.backorder === row.backorder &&
      prev.component_qoh === row.componentQoh &&
      prev.on_layaway === row.onLayaway &&
      prev.on_special_order === row.onSpecialOrder &&
      prev.on_work_order === row.onWorkOrder &&
      prev.on_transfer_in === row.onTransferIn &&
      prev.on_transfer_out === row.onTransferOut &&
      (prev.average_cost === null ? avgCost === null : avgCost !== null && decimal(prev.average_cost).equals(decimal(avgCost)));
    if (same) {
      out.unchanged++;
      continue;
    }
    if (prev) out.updated++;
    else out.created++;
    levels.push({
      tenant_id: tenantId,
      item_id: row.itemId,
      shop_id: row.shopId,
      item_shop_id: row.itemShopId,
      qoh: row.qoh,
      sellable: row.sellable,
      backorder: row.backorder,
      component_qoh: row.componentQoh,
      on_layaway: row.onLayaway,
      on_special_order: row.onSpecialOrder,
      on_work_order: row.onWorkOrder,
      on_transfer_in: row.onTransferIn,
      on_transfer_out: row.onTransferOut,
      average_cost: avgCost,
      ls_timestamp: row.timeStamp,
      updated_at: now,
    });
    history.push({
      tenant_id: tenantId,
      item_id: row.itemId,
      shop_id: row.shopId,
      qoh: row.qoh,
      on_layaway: row.onLayaway,
      on_special_order: row.onSpecialOrder,
      on_work_order: row.onWorkOrder,
      backorder: row.backorder,
      on_transfer_in: row.onTransferIn,
      average_cost: avgCost,
      ls_timestamp: row.timeStamp,
      observed_at: now,
    });
    const available = availableStock(row, input.formula);
    const shopLabel = row.shopId === "0" ? "all shops" : `shop ${row.shopId}`;
    activities.push({
      tenantId,
      runId,
      flow: "stock",
      entity: "item",
      sourceId: row.itemId,
      reference,
      result: prev ? "updated" : "created",
      message: `${shopLabel}: on hand ${prev ? `${prev.qoh} → ` : ""}${row.qoh}, reserved ${reservedOf(row)}, incoming ${incomingOf(row)}, available ${available}`,
      sourcePayload: row,
      transformedPayload: { itemId: row.itemId, shopId: row.shopId, qoh: row.qoh, reserved: reservedOf(row), incoming: incomingOf(row), available, formula: input.formula, averageCost: avgCost },
      targetResponse: { target: "stock ledger", previousQoh: prev?.qoh ?? null },
      durationMs: Date.now() - startedAt,
    });
  }

  if (levels.length) {
    const cols = Object.keys(levels[0]!).filter((k) => !["tenant_id", "item_id", "shop_id"].includes(k));
    await database.transaction().execute(async (trx) => {
      await trx
        .insertInto("stock_levels")
        .values(levels)
        .onConflict((oc) => oc.columns(["tenant_id", "item_id", "shop_id"]).doUpdateSet(Object.fromEntries(cols.map((c) => [c, sql.ref(`excluded.${c}`)])) as never))
        .execute();
      await trx.insertInto("stock_history").values(history).execute();
    });
  }
  await recordActivities(database, activities, { redact: input.redactPii });
  return out;
}
