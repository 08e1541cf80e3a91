import { sql } from "kysely";
import type { Severity } from "@/db/schema";
import type { Database } from "../db";

export interface NotificationInput {
  tenantId: string;
  severity: Severity;
  code: string;
  title: string;
  body: string;
  fixHint?: string | null;
  link?: string | null;
  flow?: string | null;
  entity?: string | null;
  sourceId?: string | null;
  /** One open notification per problem: the same key again bumps its count instead of adding a row. */
  dedupeKey: string;
}

export interface RaisedNotification {
  id: string;
  /** False when an open notification for the same problem already existed. */
  created: boolean;
}

export async function raiseNotification(database: Database, n: NotificationInput): Promise<RaisedNotification> {
  const row = await database
    .insertInto("notifications")
    .values({
      tenant_id: n.tenantId,
      severity: n.severity,
      code: n.code,
      title: n.title.slice(0, 300),
      body: n.body.slice(0, 4000),
      fix_hint: n.fixHint ?? null,
      link: n.link ?? null,
      flow: n.flow ?? null,
      entity: n.entity ?? null,
      source_id: n.sourceId ?? null,
      dedupe_key: n.dedupeKey,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc
        .columns(["tenant_id", "dedupe_key"])
        .where("resolved_at", "is", null)
        .doUpdateSet({
          occurrences: sql`notifications.occurrences + 1`,
          body: n.body.slice(0, 4000),
          read_at: null,
          updated_at: new Date(),
        }),
    )
    .returning(["id", sql<boolean>`(xmax = 0)`.as("inserted")])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.inserted };
}

/** Marks open notifications resolved, e.g. after a successful retry or a reconnect. */
export async function resolveNotifications(database: Database, tenantId: string, where: { dedupeKey?: string; dedupeKeyPrefix?: string; sourceId?: string }): Promise<number> {
  let q = database.updateTable("notifications").set({ resolved_at: new Date(), updated_at: new Date() }).where("tenant_id", "=", tenantId).where("resolved_at", "is", null);
  if (where.dedupeKey) q = q.where("dedupe_key", "=", where.dedupeKey);
  if (where.dedupeKeyPrefix) q = q.where("dedupe_key", "like", `${where.dedupeKeyPrefix.replace(/[%_]/g, "\\$&")}%`);
  if (where.sourceId) q = q.where("source_id", "=", where.sourceId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
