import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { sendPendingNotificationEmails } from "@/lib/notifications/send-notification-emails";
import { defineCronJob } from "../define";

/** Every minute: a digest of new problems to each tenant that set a notification address (when SMTP is set up). */
export const notificationsEmail = defineCronJob({ id: "notifications-email", name: "Notifications: e-mail digests", cron: "* * * * *", retries: 3 }, async ({ step }) => {
  if (!env().SMTP_URL) return { skipped: "SMTP_URL is not set" };
  return step.run("send", () => sendPendingNotificationEmails(db()));
});
