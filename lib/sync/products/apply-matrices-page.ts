import { sql, type Insertable } from "kysely";
import type { ProductMatricesTable } from "@/db/schema";
import { toJson, type Database } from "../../db";
import { recordActivities, type ActivityEntry } from "../../activity/record-activity";
import { AppError } from "../../errors/app-error";
import type { LsItemMatrix, LsMalformedRecord } from "../../lightspeed/domain";
import { applyFieldUpdates } from "../../mapping/product-field-updates";
import { handleRecordFailure } from "../handle-record-failure";
import { buildMatrixRecord, hashOf, MATRIX_FIELD_GROUPS, type MatrixRecord } from "./build-product-record";
import { loadProductContext, type ProductRunContext } from "./load-product-context";

export interface MatricesPageOutcome {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** Writes a page of ItemMatrix records (the variant parents) into the register, with the same rules as items. */
export async function applyMatricesPage(
  database: Database,
  input: { tenantId: string; runId: string | null; matrices: LsItemMatrix[]; malformed?: LsMalformedRecord[]; force?: boolean; context?: ProductRunContext },
): Promise<MatricesPageOutcome> {
  const { tenantId, runId } = input;
  const startedAt = Date.now();
  const out: MatricesPageOutcome = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  const ctx = input.context ?? (await loadProductContext(database, tenantId));
  for (const bad of input.malformed ?? []) {
    out.failed++;
    await handleRecordFailure(
      database,
      { tenantId, runId, flow: "products", entity: "matrix", sourceId: bad.id ?? "unknown", reference: bad.id ? `matrix ${bad.id}` : null, sourcePayload: bad.raw, startedAt, redactPii: ctx.redactPii },
      new AppError("RECORD_INVALID", { detail: `Lightspeed item matrix ${bad.id ?? "(no id)"}: ${bad.problems.join("; ")}`, fixHint: "Correct the matrix in Lightspeed; it is picked up on the next sync." }),
    );
  }
  const byId = new Map(input.matrices.map((m) => [m.itemMatrixId, m]));
  const built: { matrix: LsItemMatrix; record: MatrixRecord; hash: string }[] = [];
  for (const matrix of byId.values()) {
    try {
      const record = buildMatrixRecord(matrix, ctx);
      built.push({ matrix, record, hash: hashOf(record) });
    } catch (e) {
      out.failed++;
      await handleRecordFailure(
        database,
        { tenantId, runId, flow: "products", entity: "matrix", sourceId: matrix.itemMatrixId, reference: matrix.description || `matrix ${matrix.itemMatrixId}`, sourcePayload: matrix, startedAt, redactPii: ctx.redactPii },
        e instanceof AppError ? e : new AppError("RECORD_INVALID", { detail: `Lightspeed item matrix ${matrix.itemMatrixId}: ${e instanceof Error ? e.message : String(e)}`, cause: e }),
      );
    }
  }
  if (built.length === 0) return out;
  const rows = await database.selectFrom("product_matrices").selectAll().where("tenant_id", "=", tenantId).where("matrix_id", "in", built.map((b) => b.matrix.itemMatrixId)).execute();
  const existing = new Map(rows.map((r) => [r.matrix_id, r]));
  const now = new Date();
  const values: Insertable<ProductMatricesTable>[] = [];
  const activities: ActivityEntry[] = [];
  for (const b of built) {
    const row = existing.get(b.matrix.itemMatrixId);
    if (!input.force && row?.source_hash === b.hash) {
      out.unchanged++;
      continue;
    }
    const previous: MatrixRecord | null = row
      ? {
          matrixId: row.matrix_id,
          description: row.description,
          attributeSetId: row.attribute_set_id,
          categoryId: row.category_id,
          taxClassId: row.tax_class_id,
          itemType: row.item_type,
          archived: row.archived,
          attributeValues: row.attribute_values as MatrixRecord["attributeValues"],
          priceAmount: row.price_amount,
          priceNetCents: row.price_net_cents,
          priceGrossCents: row.price_gross_cents,
        }
      : null;
    const { merged, kept } = applyFieldUpdates(previous, b.record, ctx.settings.fieldUpdates, MATRIX_FIELD_GROUPS);
    if (row) out.updated++;
    else out.created++;
    values.push({
      tenant_id: tenantId,
      matrix_id: merged.matrixId,
      description: merged.description,
      attribute_set_id: merged.attributeSetId,
      category_id: merged.categoryId,
      tax_class_id: merged.taxClassId,
      item_type: merged.itemType,
      archived: merged.archived,
      attribute_values: toJson(merged.attributeValues),
      price_amount: merged.priceAmount,
      price_net_cents: merged.priceNetCents,
      price_gross_cents: merged.priceGrossCents,
      source: toJson(b.matrix),
      source_hash: b.hash,
      ls_timestamp: b.matrix.timeStamp,
      updated_at: now,
    });
    activities.push({
      tenantId,
      runId,
      flow: "products",
      entity: "matrix",
      sourceId: b.matrix.itemMatrixId,
      reference: merged.description || `matrix ${b.matrix.itemMatrixId}`,
      result: row ? "updated" : "created",
      message: `${row ? "Updated" : "Created"} variant parent "${merged.description}" (${merged.attributeValues.map((a) => `${a.name}: ${a.values.length}`).join(", ") || "no attributes"})${kept.length ? `; kept existing ${kept.join(", ")} (create-only setting)` : ""}`,
      sourcePayload: b.matrix,
      transformedPayload: merged,
      targetResponse: { target: "product register", kept },
      durationMs: Date.now() - startedAt,
    });
  }
  if (values.length) {
    const cols = Object.keys(values[0]!).filter((k) => k !== "tenant_id" && k !== "matrix_id");
    await database
      .insertInto("product_matrices")
      .values(values)
      .onConflict((oc) => oc.columns(["tenant_id", "matrix_id"]).doUpdateSet(Object.fromEntries(cols.map((c) => [c, sql.ref(`excluded.${c}`)])) as never))
      .execute();
    await recordActivities(database, activities, { redact: ctx.redactPii });
  }
  return out;
}
