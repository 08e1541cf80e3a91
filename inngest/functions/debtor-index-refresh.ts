import { db } from "@/lib/db";
import { listTenantsWithBb, refreshDebtorIndexOf } from "@/lib/buchhaltungsbutler/refresh-debtor-indexes";
import { defineCronJob } from "../define";

/** Nightly: refill each connected tenant's debtor index from BuchhaltungsButler, one step per tenant. */
export const debtorIndexRefresh = defineCronJob({ id: "debtor-index-refresh", name: "Refresh the debtor index from BuchhaltungsButler", cron: "TZ=Europe/Berlin 40 2 * * *", retries: 2 }, async ({ step }) => {
  const tenants = await step.run("tenants", () => listTenantsWithBb(db()));
  let failed = 0;
  for (const tenantId of tenants) {
    const r = await step.run(`refresh-${tenantId}`, () => refreshDebtorIndexOf(db(), tenantId));
    if (!r.ok) failed++;
  }
  return { tenants: tenants.length, failed };
});
