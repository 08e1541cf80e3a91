import type { Flow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { toJson, type Database } from "../db";
import { AppError } from "../errors/app-error";
import { saveOrderSettings, loadOrderSettings } from "../sync/orders/order-settings";
import { saveProductSettings } from "../sync/products/product-settings";
import { saveStockSettings } from "../sync/stock/stock-settings";
import { getWizardState } from "./wizard-state";

/**
 * Step 7: the tenant goes live — chosen flows on, status active, onboarding finished. Returns the backfill's
 * first business day; the caller sends the backfill event (lib/ does not know the job driver).
 */
export async function goLive(database: Database, tenantId: string, actor: string): Promise<{ backfillFrom: string; flows: Flow[] }> {
  const state = await getWizardState(database, tenantId);
  const open = state.steps.filter((s) => s.n < 7 && !s.done).map((s) => s.n);
  if (open.length) throw new AppError("INVALID_INPUT", { detail: `finish setup step ${open.join(", ")} first` });
  const tenant = await database.selectFrom("tenants").select(["status"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
  if (tenant.status === "paused") throw new AppError("TENANT_PAUSED");
  const flows = state.progress.flows ?? ["orders"];
  const { settings } = await loadOrderSettings(database, tenantId);
  await saveOrderSettings(database, tenantId, {}, flows.includes("orders"));
  if (flows.includes("products")) await saveProductSettings(database, tenantId, {}, true);
  if (flows.includes("stock")) await saveStockSettings(database, tenantId, {}, true);
  await database
    .updateTable("tenants")
    .set((eb) => ({ status: "active", onboarded_at: eb.fn.coalesce("onboarded_at", eb.val(new Date())), updated_at: new Date() }))
    .where("id", "=", tenantId)
    .execute();
  const completed = [...new Set([...state.progress.completed, 7])].sort();
  await database.updateTable("tenants").set({ onboarding: toJson({ ...state.progress, completed }) }).where("id", "=", tenantId).execute();
  await recordAudit(database, { tenantId, actor, action: "tenant.went_live", details: { flows, backfillFrom: settings.startDate } });
  return { backfillFrom: settings.startDate!, flows };
}
