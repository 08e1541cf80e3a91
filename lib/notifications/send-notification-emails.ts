import { sql, type SqlBool } from "kysely";
import type { Database } from "../db";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { getTenantSettings } from "../tenants/tenant-settings";
import { logger } from "../log";
import { sendMail } from "./mailer";
import { raiseNotification, resolveNotifications } from "./raise-notification";
import { parseNoticeMessage, renderNotice } from "./notice-message";

const SUBJECT = { de: "Butlerbridge: {n} Problem(e) bei der Synchronisierung", en: "Butlerbridge: {n} sync problem(s)" };

function localeOf(l: string): "de" | "en" {
  return l === "en" ? "en" : "de";
}

/** The test e-mail from Settings: proves the address and the mail server before a real problem happens. */
export async function sendTestEmail(database: Database, tenantId: string): Promise<{ to: string }> {
  const settings = await getTenantSettings(database, tenantId);
  const tenant = await database.selectFrom("tenants").select(["name", "locale"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
  if (!settings.notificationEmail) {
    throw new AppError("INVALID_INPUT", { detail: "enter and save an e-mail address for notifications first" });
  }
  const de = localeOf(tenant.locale) === "de";
  await sendMail({
    to: settings.notificationEmail,
    subject: de ? "Butlerbridge: Test-E-Mail" : "Butlerbridge: test e-mail",
    text: de
      ? `Diese Test-E-Mail bestätigt, dass Butlerbridge Benachrichtigungen für „${tenant.name}“ an diese Adresse senden kann.`
      : `This test e-mail confirms that Butlerbridge can send notifications for “${tenant.name}” to this address.`,
  });
  return { to: settings.notificationEmail };
}

/** How long a tenant whose digest could not be sent waits before the next try (a bad address must not hammer SMTP). */
const RETRY_FAILED_AFTER_MS = 60 * 60_000;
/** Items in one digest; more wait for the next minute. */
const DIGEST_LIMIT = 100;
const FAILED_KEY = "email:failed";

/**
 * One digest per tenant of the problems that were not mailed yet (errors and tenant-fatal problems; repeats of an
 * open problem are not mailed again). Tenants without an address are skipped; their notifications stay unmailed.
 * Each tenant is on its own: a tenant whose address bounces gets an inbox item and a retry an hour later, and
 * neither its failure nor its backlog delays anyone else's digest.
 */
export async function sendPendingNotificationEmails(database: Database, options: { now?: Date } = {}): Promise<{ tenants: number; notifications: number; failed: number }> {
  const now = options.now ?? new Date();
  const due = await database
    .selectFrom("notifications")
    .innerJoin("tenants", "tenants.id", "notifications.tenant_id")
    .select("notifications.tenant_id")
    .distinct()
    .where("notifications.emailed_at", "is", null)
    .where("notifications.resolved_at", "is", null)
    .where("notifications.severity", "in", ["error", "fatal"])
    .where("tenants.status", "!=", "uninstalled")
    .where(sql<SqlBool>`tenants.settings ? 'notificationEmail'`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("notifications as failed")
            .select("failed.id")
            .whereRef("failed.tenant_id", "=", "notifications.tenant_id")
            .where("failed.dedupe_key", "=", FAILED_KEY)
            .where("failed.resolved_at", "is", null)
            .where("failed.updated_at", ">", new Date(now.getTime() - RETRY_FAILED_AFTER_MS)),
        ),
      ),
    )
    .execute();
  let tenants = 0;
  let notifications = 0;
  let failed = 0;
  for (const { tenant_id: tenantId } of due) {
    const result = await sendDigest(database, tenantId, now).catch(async (e: unknown) => {
      failed++;
      await recordFailedDigest(database, tenantId, e).catch((inner: unknown) => logger().error({ err: inner, tenantId }, "could not record a failed digest"));
      return 0;
    });
    if (result > 0) {
      tenants++;
      notifications += result;
    }
  }
  return { tenants, notifications, failed };
}

async function sendDigest(database: Database, tenantId: string, now: Date): Promise<number> {
  const settings = await getTenantSettings(database, tenantId);
  if (!settings.notificationEmail) return 0;
  const items = await database
    .selectFrom("notifications")
    .innerJoin("tenants", "tenants.id", "notifications.tenant_id")
    .select(["notifications.id", "notifications.code", "notifications.title", "notifications.fix_hint", "notifications.message", "notifications.link", "tenants.locale", "tenants.name"])
    .where("notifications.tenant_id", "=", tenantId)
    .where("notifications.emailed_at", "is", null)
    .where("notifications.resolved_at", "is", null)
    .where("notifications.severity", "in", ["error", "fatal"])
    .orderBy("notifications.created_at")
    .limit(DIGEST_LIMIT)
    .execute();
  if (items.length === 0) return 0;
  const locale = localeOf(items[0]!.locale);
  const lines = items.map((n) => {
    const shown = renderNotice({ code: n.code, message: parseNoticeMessage(n.message), title: n.title, fixHint: n.fix_hint }, locale);
    return [`• ${shown.headline}`, `  ${shown.text}`, shown.fixHint ? `  → ${shown.fixHint}` : "", n.link ? `  ${env().APP_URL}${n.link}` : ""].filter(Boolean).join("\n");
  });
  await sendMail({ to: settings.notificationEmail, subject: SUBJECT[locale].replace("{n}", String(items.length)), text: `${items[0]!.name}\n\n${lines.join("\n\n")}\n` });
  await database.updateTable("notifications").set({ emailed_at: now }).where("tenant_id", "=", tenantId).where("id", "in", items.map((i) => i.id)).execute();
  await resolveNotifications(database, tenantId, { dedupeKey: FAILED_KEY });
  return items.length;
}

async function recordFailedDigest(database: Database, tenantId: string, e: unknown): Promise<void> {
  const settings = await getTenantSettings(database, tenantId);
  const reason = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").slice(0, 200);
  logger().warn({ tenantId, err: e }, "notification digest could not be sent");
  await raiseNotification(database, {
    tenantId,
    severity: "warning",
    code: "EMAIL_FAILED",
    message: { code: "email_failed", params: { address: settings.notificationEmail ?? "", reason } },
    link: "/settings",
    dedupeKey: FAILED_KEY,
  });
}
