import { sql } from "kysely";
import type { Severity } from "@/db/schema";
import { toJson, type Database } from "../db";
import { noticeFallbackText, type NoticeMessage } from "./notice-message";

interface NotificationBase {
  tenantId: string;
  severity: Severity;
  code: string;
  link?: string | null;
  flow?: string | null;
  entity?: string | null;
  sourceId?: string | null;
  /** One open notification per problem: the same key again bumps its count instead of adding a row. */
  dedupeKey: string;
}

/**
 * A notification is either a message (code + parameters, rendered in the reader's language) or, for callers not
 * yet converted, finished text.
 */
export type NotificationInput = NotificationBase & ({ message: NoticeMessage } | { title: string; body: string; fixHint?: string | null });

export interface RaisedNotification {
  id: string;
  /** False when an open notification for the same problem already existed. */
  created: boolean;
}

function textOf(n: NotificationInput): { title: string; body: string; fixHint: string | null; message: string | null } {
  if ("message" in n) return { ...noticeFallbackText(n.message), message: toJson(n.message) };
  return { title: n.title, body: n.body, fixHint: n.fixHint ?? null, message: null };
}

export async function raiseNotification(database: Database, n: NotificationInput): Promise<RaisedNotification> {
  const text = textOf(n);
  const row = await database
    .insertInto("notifications")
    .values({
      tenant_id: n.tenantId,
      severity: n.severity,
      code: n.code,
      title: text.title.slice(0, 300),
      body: text.body.slice(0, 4000),
      fix_hint: text.fixHint,
      message: text.message,
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
          body: text.body.slice(0, 4000),
          message: text.message,
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
