import type { Database } from "../../db";
import { recordActivity } from "../../activity/record-activity";
import { AppError, toAppError } from "../../errors/app-error";
import { CHART_DEFAULTS } from "../../mapping/chart-defaults";
import { loadOrderMappings, saveMapping } from "../../mapping/order-mappings";
import { policyFor } from "../../mapping/product-field-updates";
import { raiseNotification, resolveNotifications } from "../../notifications/raise-notification";
import { handleRecordFailure } from "../handle-record-failure";
import { categoryLinks, saveLink } from "../links";
import type { CategoryAccountsTarget } from "./category-accounts-target";
import { planCategoryAccounts, type CategoryVat, type LinkedAccount } from "./plan-category-accounts";
import { loadProductSettings } from "./product-settings";

export { listCategoryAccounts } from "../links";

export interface CategoryAccountsOutcome {
  created: number;
  renamed: number;
  kept: number;
  failed: number;
  unchanged: boolean;
}

/**
 * Creates and renames BB revenue accounts for categories (setting "categories → revenue accounts"). Every
 * create is recorded as "creating" with its chosen number BEFORE it is sent, and the next run lists BB's
 * accounts first, so an unclear outcome is resolved by reading back, never by a blind second create.
 */
export async function syncCategoryAccounts(database: Database, input: { tenantId: string; runId: string | null; bb: CategoryAccountsTarget }): Promise<CategoryAccountsOutcome> {
  const { tenantId, runId } = input;
  const out: CategoryAccountsOutcome = { created: 0, renamed: 0, kept: 0, failed: 0, unchanged: true };
  const startedAt = Date.now();
  const { settings } = await loadProductSettings(database, tenantId);
  const mappings = await loadOrderMappings(database, tenantId);
  const chart = mappings.chart ? CHART_DEFAULTS[mappings.chart] : null;
  const parent19 = mappings.taxRates.get("19")?.account ?? chart?.revenue["19_vat"];
  const parent7 = mappings.taxRates.get("7")?.account ?? chart?.revenue["7_vat"];
  const range = settings.categoryAccounts.range ?? chart?.categoryAccountRange;
  if (parent19 === undefined || parent7 === undefined || !range) {
    out.failed++;
    await raiseNotification(database, {
      tenantId,
      severity: "error",
      code: "MAPPING_MISSING",
      message: { code: "category_parents_missing", params: {} },
      link: "/mappings",
      flow: "products",
      dedupeKey: "category-accounts:parents",
    });
    return out;
  }
  await resolveNotifications(database, tenantId, { dedupeKey: "category-accounts:parents" });

  const [categories, rateRows, linkRows] = await Promise.all([
    database.selectFrom("product_categories").select(["category_id", "full_path_name", "archived"]).where("tenant_id", "=", tenantId).execute(),
    database
      .selectFrom("products")
      .select(["category_id", "vat_percent"])
      .where("tenant_id", "=", tenantId)
      .where("archived", "=", false)
      .where("category_id", "is not", null)
      .where("vat_percent", "in", ["19", "7"])
      .groupBy(["category_id", "vat_percent"])
      .execute(),
    categoryLinks(database, tenantId),
  ]);
  const ratesByCategory = new Map<string, Set<CategoryVat>>();
  for (const r of rateRows) {
    const set = ratesByCategory.get(r.category_id!) ?? new Set<CategoryVat>();
    set.add(r.vat_percent as CategoryVat);
    ratesByCategory.set(r.category_id!, set);
  }
  const links = new Map<string, LinkedAccount>();
  const rejected = new Set<number>();
  const keptHash = new Map<string, string | null>();
  for (const l of linkRows) {
    const ids = l.target_ids;
    for (const n of ids.rejectedNumbers ?? []) rejected.add(n);
    keptHash.set(l.source_id, l.hash);
    if (typeof ids.account === "number" && l.status !== "failed") links.set(l.source_id, { number: ids.account, name: ids.name ?? "", pending: l.step === "creating" });
  }
  const bb = input.bb;
  const bbAccounts = new Map((await bb.listPostingAccounts()).map((a) => [a.number, a.name]));

  const actions = planCategoryAccounts({
    categories: categories.map((c) => ({ categoryId: c.category_id, fullPathName: c.full_path_name, archived: c.archived })),
    ratesByCategory,
    links,
    bbAccounts,
    parents: { "19": parent19, "7": parent7 },
    range,
    rejected,
    nameMaxLength: settings.categoryAccounts.nameMaxLength,
    namePolicy: policyFor(settings.fieldUpdates, "categoryAccountName"),
  });

  for (const action of actions) {
    const ctx = {
      tenantId,
      runId,
      flow: "products" as const,
      entity: "category" as const,
      sourceId: action.key,
      reference: "name" in action ? action.name : "to" in action ? action.to : action.wanted,
      transformedPayload: action,
      startedAt,
      redactPii: false,
    };
    try {
      switch (action.kind) {
        case "create":
          await saveLink(database, tenantId, "category", action.key, { step: "creating", status: "pending", targetIds: { account: action.number, name: action.name, parent: action.parent } });
          try {
            await bb.addPostingAccount({ number: action.number, name: action.name, parent: action.parent });
          } catch (e) {
            const err = toAppError(e);
            if (err.kind === "record") {
              // BB refused this number (blocked or taken by its settings): never propose it again.
              await saveLink(database, tenantId, "category", action.key, { targetIds: { rejectedNumbers: [...rejected, action.number] } });
            }
            throw e;
          }
          await linkDone(database, tenantId, action.key, action.number, action.name, "created");
          out.created++;
          out.unchanged = false;
          await recordActivity(database, { ...ctx, result: "created", message: `Created BB account ${action.number} "${action.name}" under ${action.parent}`, targetResponse: { account: action.number } }, { redact: false });
          break;
        case "adopt":
          await linkDone(database, tenantId, action.key, action.number, action.name, "created");
          out.created++;
          out.unchanged = false;
          await recordActivity(database, { ...ctx, result: "created", message: `BB account ${action.number} "${action.name}" was already there (read back after an unclear answer); linked`, targetResponse: { account: action.number } }, { redact: false });
          break;
        case "rename":
          await bb.updatePostingAccount({ number: action.number, name: action.to });
          await saveLink(database, tenantId, "category", action.key, { targetIds: { name: action.to }, hash: null });
          out.renamed++;
          out.unchanged = false;
          await recordActivity(database, { ...ctx, result: "updated", message: `Renamed BB account ${action.number} from "${action.from}" to "${action.to}"`, targetResponse: { account: action.number } }, { redact: false });
          break;
        case "keep":
          out.kept++;
          if (keptHash.get(action.key) !== action.wanted) {
            await saveLink(database, tenantId, "category", action.key, { hash: action.wanted });
            await recordActivity(database, { ...ctx, result: "skipped", message: `Kept the name "${action.current}" of BB account ${action.number} (create-only setting); the category is now "${action.wanted}"` }, { redact: false });
          }
          break;
        case "range_full":
          out.failed++;
          await handleRecordFailure(
            database,
            ctx,
            new AppError("MAPPING_MISSING", {
              detail: `No free account number left in ${range.from}–${range.to} for "${action.name}"`,
              fixHint: "Widen the number range for category accounts under Products → Settings.",
              context: { dedupeKey: "category-accounts:range-full" },
            }),
          );
          break;
      }
    } catch (e) {
      if (toAppError(e).kind !== "record" && toAppError(e).kind !== "tenant") throw e;
      out.failed++;
      await handleRecordFailure(database, ctx, e);
    }
  }
  return out;
}

async function linkDone(database: Database, tenantId: string, key: string, number: number, name: string, step: string): Promise<void> {
  await saveLink(database, tenantId, "category", key, { step, status: "done", targetIds: { account: number, name }, lastError: null });
  // The order flow reads exactly this mapping when "categories → revenue accounts" is on.
  await saveMapping(database, tenantId, "category", key, { account: number });
}
