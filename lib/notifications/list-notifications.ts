import type { Severity } from "@/db/schema";
import type { Database } from "../db";
import { parseNoticeMessage, type NoticeMessage } from "./notice-message";

export interface NotificationView {
  id: string;
  severity: Severity;
  code: string;
  title: string;
  body: string;
  fixHint: string | null;
  /** Code + parameters to render (`renderNotice`); null on rows from before messages, which keep their text. */
  message: NoticeMessage | null;
  link: string | null;
  flow: string | null;
  entity: string | null;
  sourceId: string | null;
  dedupeKey: string;
  occurrences: number;
  read: boolean;
  resolvedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

type Row = {
  id: string;
  severity: Severity;
  code: string;
  title: string;
  body: string;
  fix_hint: string | null;
  message: unknown;
  link: string | null;
  flow: string | null;
  entity: string | null;
  source_id: string | null;
  dedupe_key: string;
  occurrences: number;
  read_at: Date | null;
  resolved_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = ["id", "severity", "code", "title", "body", "fix_hint", "message", "link", "flow", "entity", "source_id", "dedupe_key", "occurrences", "read_at", "resolved_at", "created_at", "updated_at"] as const;

function view(r: Row): NotificationView {
  return {
    id: r.id,
    severity: r.severity,
    code: r.code,
    title: r.title,
    body: r.body,
    fixHint: r.fix_hint,
    message: parseNoticeMessage(r.message),
    link: r.link,
    flow: r.flow,
    entity: r.entity,
    sourceId: r.source_id,
    dedupeKey: r.dedupe_key,
    occurrences: r.occurrences,
    read: r.read_at !== null,
    resolvedAt: r.resolved_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The inbox: open problems first (newest activity first), then recently resolved ones for context. */
export async function listNotifications(database: Database, tenantId: string, options: { include?: "open" | "all"; limit?: number } = {}): Promise<NotificationView[]> {
  let q = database.selectFrom("notifications").select(COLUMNS).where("tenant_id", "=", tenantId);
  if ((options.include ?? "open") === "open") q = q.where("resolved_at", "is", null);
  const rows = await q
    .orderBy((eb) => eb.case().when("resolved_at", "is", null).then(0).else(1).end())
    .orderBy("updated_at", "desc")
    .limit(Math.min(options.limit ?? 100, 500))
    .execute();
  return rows.map(view);
}

export async function getNotification(database: Database, tenantId: string, id: string): Promise<NotificationView | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await database.selectFrom("notifications").select(COLUMNS).where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
  return r ? view(r) : null;
}

/** For the bell. */
export async function countUnread(database: Database, tenantId: string): Promise<number> {
  const r = await database
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("tenant_id", "=", tenantId)
    .where("resolved_at", "is", null)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Tenant-fatal problems (revoked token, rejected credentials): shown as a banner on every page until fixed. */
export async function listFatalProblems(database: Database, tenantId: string): Promise<NotificationView[]> {
  const rows = await database
    .selectFrom("notifications")
    .select(COLUMNS)
    .where("tenant_id", "=", tenantId)
    .where("severity", "=", "fatal")
    .where("resolved_at", "is", null)
    .orderBy("updated_at", "desc")
    .execute();
  return rows.map(view);
}

export async function markNotificationsRead(database: Database, tenantId: string, ids: string[] | "all"): Promise<number> {
  let q = database.updateTable("notifications").set({ read_at: new Date() }).where("tenant_id", "=", tenantId).where("read_at", "is", null);
  if (ids !== "all") {
    const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (valid.length === 0) return 0;
    q = q.where("id", "in", valid);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * The merchant dismisses a notification that is not a tenant-fatal problem (those resolve only when fixed).
 */
export async function dismissNotification(database: Database, tenantId: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const r = await database
    .updateTable("notifications")
    .set({ resolved_at: new Date(), read_at: new Date(), updated_at: new Date() })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .where("severity", "!=", "fatal")
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
