import { sql, type SqlBool } from "kysely";
import type { Database } from "../db";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { getTenantSettings } from "../tenants/tenant-settings";
import { sendMail } from "./mailer";
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

/**
 * One digest per tenant of the problems that were not mailed yet (errors and tenant-fatal problems; repeats of an
 * open problem are not mailed again). Tenants without an address are skipped; their notifications stay unmailed.
 */
export async function sendPendingNotificationEmails(database: Database, options: { now?: Date } = {}): Promise<{ tenants: number; notifications: number }> {
  const pending = await database
    .selectFrom("notifications")
    .innerJoin("tenants", "tenants.id", "notifications.tenant_id")
    .select(["notifications.id", "notifications.tenant_id", "notifications.code", "notifications.title", "notifications.fix_hint", "notifications.message", "notifications.link", "notifications.severity", "tenants.locale", "tenants.name"])
    .where("notifications.emailed_at", "is", null)
    .where("notifications.resolved_at", "is", null)
    .where("notifications.severity", "in", ["error", "fatal"])
    .where("tenants.status", "!=", "uninstalled")
    .where(sql<SqlBool>`tenants.settings ? 'notificationEmail'`)
    .orderBy("notifications.created_at")
    .limit(1000)
    .execute();
  const byTenant = new Map<string, typeof pending>();
  for (const p of pending) byTenant.set(p.tenant_id, [...(byTenant.get(p.tenant_id) ?? []), p]);
  let tenants = 0;
  let notifications = 0;
  for (const [tenantId, items] of byTenant) {
    const settings = await getTenantSettings(database, tenantId);
    if (!settings.notificationEmail) continue;
    const locale = localeOf(items[0]!.locale);
    const lines = items.map((n) => {
      const shown = renderNotice({ code: n.code, message: parseNoticeMessage(n.message), title: n.title, fixHint: n.fix_hint }, locale);
      return [`• ${shown.headline}`, `  ${shown.text}`, shown.fixHint ? `  → ${shown.fixHint}` : "", n.link ? `  ${env().APP_URL}${n.link}` : ""].filter(Boolean).join("\n");
    });
    await sendMail({ to: settings.notificationEmail, subject: SUBJECT[locale].replace("{n}", String(items.length)), text: `${items[0]!.name}\n\n${lines.join("\n\n")}\n` });
    await database.updateTable("notifications").set({ emailed_at: options.now ?? new Date() }).where("tenant_id", "=", tenantId).where("id", "in", items.map((i) => i.id)).execute();
    tenants++;
    notifications += items.length;
  }
  return { tenants, notifications };
}
