import { db } from "@/lib/db";
import { purgeUninstalledTenants } from "@/lib/tenants/purge-uninstalled-tenants";
import { defineJob } from "../define";

/** Daily: delete the data of tenants whose grace period after uninstalling has ended. */
export const tenantPurge = defineJob({
  id: "tenant-purge",
  name: "Delete uninstalled tenants after the grace period",
  triggers: [{ cron: "TZ=Europe/Berlin 15 4 * * *" }],
  retries: 3,
  concurrency: [{ limit: 1 }],
  async handler({ step }) {
    return step.run("purge", () => purgeUninstalledTenants(db()));
  },
});
