import { db } from "@/lib/db";
import { purgeUninstalledTenants } from "@/lib/tenants/purge-uninstalled-tenants";
import { retireRevokedTenants } from "@/lib/tenants/retire-revoked-tenants";
import { defineCronJob } from "../define";

/** Daily: retire tenants whose Lightspeed access stayed revoked, then delete those whose grace period has ended. */
export const tenantPurge = defineCronJob({ id: "tenant-purge", name: "Delete uninstalled tenants after the grace period", cron: "TZ=Europe/Berlin 15 4 * * *", retries: 3 }, async ({ step }) => {
  const retired = await step.run("retire-revoked", () => retireRevokedTenants(db()));
  const purged = await step.run("purge", () => purgeUninstalledTenants(db()));
  return { ...retired, ...purged };
});
