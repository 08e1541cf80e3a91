import type { Database } from "../db";
import { saveOrderSettings } from "../sync/orders/order-settings";
import { updateTenantSettings } from "../tenants/tenant-settings";
import { saveFlowSwitch } from "./flow-switches";
import type { SettingsForm } from "./settings-form";

/**
 * The Settings page's save: flow switches, tenant settings and order settings in one transaction, so a failure
 * halfway never leaves flows switched on with the old order settings. `audit` runs in the same transaction.
 */
export async function saveSettings(database: Database, tenantId: string, values: SettingsForm, audit: (trx: Database) => Promise<void>): Promise<void> {
  await database.transaction().execute(async (trx) => {
    for (const f of values.flows) await saveFlowSwitch(trx, tenantId, f);
    await updateTenantSettings(trx, tenantId, values.tenant);
    await saveOrderSettings(trx, tenantId, values.orders);
    await audit(trx);
  });
}
