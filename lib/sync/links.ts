import { sql } from "kysely";
import type { LinkStatus, SyncLink } from "@/db/schema";
import { toJson, type Database } from "../db";

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
