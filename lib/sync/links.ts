import { sql } from "kysely";
import type { LinkStatus, SyncLink } from "@/db/schema";
import { slicesOf, toJson, type Database } from "../db";

/**
 * sync_links: one row per synced source record with the BB ids created for it and the last step reached. It is
 * written after every successful write, so a run that dies anywhere resumes exactly where it stopped.
 */
export type LinkEntity = "sale" | "day" | "customer" | "item" | "matrix" | "category" | "valuation";

export async function getLink(database: Database, tenantId: string, entity: LinkEntity, sourceId: string): Promise<SyncLink | undefined> {
  return database.selectFrom("sync_links").selectAll().where("tenant_id", "=", tenantId).where("entity", "=", entity).where("source_id", "=", sourceId).executeTakeFirst();
}

export async function getLinks(database: Database, tenantId: string, entity: LinkEntity, sourceIds: string[]): Promise<Map<string, SyncLink>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await database.selectFrom("sync_links").selectAll().where("tenant_id", "=", tenantId).where("entity", "=", entity).where("source_id", "in", sourceIds).execute();
  return new Map(rows.map((r) => [r.source_id, r]));
}

export interface LinkUpdate {
  step?: string;
  status?: LinkStatus;
  /** Merged into the stored ids (jsonb ||), never replacing ids written by an earlier step. */
  targetIds?: Record<string, unknown>;
  hash?: string | null;
  lastError?: Record<string, unknown> | null;
}

export async function saveLink(database: Database, tenantId: string, entity: LinkEntity, sourceId: string, update: LinkUpdate): Promise<void> {
  const ids = toJson(update.targetIds ?? {});
  await database
    .insertInto("sync_links")
    .values({
      tenant_id: tenantId,
      entity,
      source_id: sourceId,
      target_ids: ids,
      step: update.step ?? "new",
      status: update.status ?? "pending",
      hash: update.hash ?? null,
      last_error: toJson(update.lastError ?? null),
      attempts: update.lastError ? 1 : 0,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "entity", "source_id"]).doUpdateSet((eb) => ({
        target_ids: sql`sync_links.target_ids || ${ids}::jsonb`,
        ...(update.step !== undefined ? { step: update.step } : {}),
        ...(update.status !== undefined ? { status: update.status } : {}),
        ...(update.hash !== undefined ? { hash: update.hash } : {}),
        ...(update.lastError !== undefined ? { last_error: toJson(update.lastError) } : {}),
        attempts: update.lastError ? eb("sync_links.attempts", "+", 1) : eb.ref("sync_links.attempts"),
        updated_at: new Date(),
      })),
    )
    .execute();
}

/**
 * Many link updates in one statement (a batch phase touches up to 50 records at once). Same merge rules as
 * saveLink: target ids are merged, the other columns are replaced when given.
 */
export async function saveLinks(database: Database, tenantId: string, entity: LinkEntity, rows: { sourceId: string; update: LinkUpdate }[]): Promise<void> {
  if (rows.length === 0) return;
  // One statement per distinct shape of update (step/status/hash/error present or not), in practice one or two.
  const groups = new Map<string, typeof rows>();
  for (const r of rows) {
    const shape = ["step", "status", "hash", "lastError"].map((k) => (r.update[k as keyof LinkUpdate] !== undefined ? "1" : "0")).join("");
    groups.set(shape, [...(groups.get(shape) ?? []), r]);
  }
  for (const [shape, all] of groups) {
    const [hasStep, hasStatus, hasHash, hasError] = shape.split("").map((c) => c === "1");
    for (const group of slicesOf(all)) {
      await database
        .insertInto("sync_links")
        .values(
          group.map((r) => ({
            tenant_id: tenantId,
            entity,
            source_id: r.sourceId,
            target_ids: toJson(r.update.targetIds ?? {}),
            step: r.update.step ?? "new",
            status: r.update.status ?? "pending",
            hash: r.update.hash ?? null,
            last_error: toJson(r.update.lastError ?? null),
            attempts: r.update.lastError ? 1 : 0,
            updated_at: new Date(),
          })),
        )
        .onConflict((oc) =>
          oc.columns(["tenant_id", "entity", "source_id"]).doUpdateSet((eb) => ({
            target_ids: sql`sync_links.target_ids || excluded.target_ids`,
            ...(hasStep ? { step: eb.ref("excluded.step") } : {}),
            ...(hasStatus ? { status: eb.ref("excluded.status") } : {}),
            ...(hasHash ? { hash: eb.ref("excluded.hash") } : {}),
            ...(hasError ? { last_error: eb.ref("excluded.last_error") } : {}),
            attempts: hasError ? sql`case when excluded.last_error is not null and excluded.last_error <> 'null'::jsonb then sync_links.attempts + 1 else sync_links.attempts end` : eb.ref("sync_links.attempts"),
            updated_at: new Date(),
          })),
        )
        .execute();
    }
  }
}
