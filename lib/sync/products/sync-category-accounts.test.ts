import { describe, expect, it } from "vitest";
import { connect, testSandbox } from "@/lib/buchhaltungsbutler/test-helpers";
import { saveMapping } from "@/lib/mapping/order-mappings";
import { testDb } from "@/scripts/test/db";
import { bbAccountsTarget } from "./bb-accounts-target";
import { saveProductSettings } from "./product-settings";
import { listCategoryAccounts, syncCategoryAccounts } from "./sync-category-accounts";

const database = testDb();
const sandbox = await testSandbox();

async function setup() {
  const { tenantId, bb, client } = await connect(database, sandbox, { chart: "SKR03" });
  await database.insertInto("connections").values({ tenant_id: tenantId, provider: "buchhaltungsbutler", status: "connected", meta: JSON.stringify({ check: { chart: "SKR03" } }), updated_at: new Date() }).execute();
  await saveProductSettings(database, tenantId, { categoryAccounts: { enabled: true } }, true);
  const now = new Date();
  await database
    .insertInto("product_categories")
    .values([
      { tenant_id: tenantId, category_id: "2", name: "Damen", parent_id: "1", full_path_name: "Bekleidung/Damen", node_depth: 1, archived: false, updated_at: now },
      { tenant_id: tenantId, category_id: "5", name: "Lebensmittel", parent_id: null, full_path_name: "Lebensmittel", node_depth: 0, archived: false, updated_at: now },
      { tenant_id: tenantId, category_id: "9", name: "Saisonware 2023", parent_id: null, full_path_name: "Saisonware 2023", node_depth: 0, archived: true, updated_at: now },
    ])
    .execute();
  const product = (id: string, category: string, vat: string) => ({ tenant_id: tenantId, item_id: id, sku: `S${id}`, sku_key: `s${id}`, sku_source: "customSku", kind: "simple" as const, item_type: "default", category_id: category, vat_percent: vat, source: "{}", source_hash: "h", updated_at: now });
  await database.insertInto("products").values([product("1", "2", "19"), product("2", "5", "7"), product("3", "5", "19"), product("4", "9", "19"), product("5", "5", "0")]).execute();
  return { tenantId, bb, client, target: bbAccountsTarget(client) };
}

const accountsOf = (bb: { accounts: Map<number, { number: number; name: string; parent?: number | null }> }, from: number, to: number) =>
  [...bb.accounts.values()].filter((a) => a.number >= from && a.number <= to).map((a) => ({ number: a.number, name: a.name })).sort((a, b) => a.number - b.number);

describe("categories → BB revenue accounts", () => {
  it("creates one account per category × VAT rate under the mapped parent, renames with the category, keeps when told, never deletes", async () => {
    const { tenantId, bb, client, target } = await setup();
    const r = await syncCategoryAccounts(database, { tenantId, runId: null, bb: target });
    expect(r).toMatchObject({ created: 3, renamed: 0, failed: 0 });
    expect(accountsOf(bb, 8401, 8499)).toEqual([
      { number: 8401, name: "Erlöse 19 % Bekleidung/Damen" },
      { number: 8402, name: "Erlöse 19 % Lebensmittel" },
      { number: 8403, name: "Erlöse 7 % Lebensmittel" },
    ]);
    // Created under the chart's automatic revenue accounts, so BB's tax automation carries over.
    const parentOf = (n: number) => (bb.accounts.get(n) as unknown as { parent: number | null }).parent;
    expect([parentOf(8401), parentOf(8402), parentOf(8403)]).toEqual([8400, 8400, 8300]);
    // The order flow reads exactly these mappings.
    const maps = await database.selectFrom("mappings").select(["source_key", "target"]).where("tenant_id", "=", tenantId).where("kind", "=", "category").orderBy("source_key").execute();
    expect(maps).toEqual([
      { source_key: "2|19", target: { account: 8401 } },
      { source_key: "5|19", target: { account: 8402 } },
      { source_key: "5|7", target: { account: 8403 } },
    ]);

    // A second run writes nothing.
    const writes = () => Object.entries(client.stats().byPath).filter(([p]) => p.includes("add") || p.includes("update")).reduce((s, [, n]) => s + n, 0);
    const before = writes();
    expect(await syncCategoryAccounts(database, { tenantId, runId: null, bb: target })).toMatchObject({ created: 0, renamed: 0 });
    expect(writes()).toBe(before);

    // Renamed in Lightspeed → renamed in BB.
    await database.updateTable("product_categories").set({ full_path_name: "Mode/Damen" }).where("tenant_id", "=", tenantId).where("category_id", "=", "2").execute();
    expect(await syncCategoryAccounts(database, { tenantId, runId: null, bb: target })).toMatchObject({ renamed: 1 });
    expect(bb.accounts.get(8401)!.name).toBe("Erlöse 19 % Mode/Damen");

    // "Keep" protects a name the tax advisor changed; the change is logged once.
    await saveProductSettings(database, tenantId, { fieldUpdates: { categoryAccountName: "keep" } });
    await database.updateTable("product_categories").set({ full_path_name: "Mode/Frauen" }).where("tenant_id", "=", tenantId).where("category_id", "=", "2").execute();
    expect(await syncCategoryAccounts(database, { tenantId, runId: null, bb: target })).toMatchObject({ renamed: 0, kept: 1 });
    await syncCategoryAccounts(database, { tenantId, runId: null, bb: target });
    expect(bb.accounts.get(8401)!.name).toBe("Erlöse 19 % Mode/Damen");
    const kept = await database.selectFrom("activity_log").select("message").where("tenant_id", "=", tenantId).where("result", "=", "skipped").execute();
    expect(kept.map((k) => k.message)).toEqual(['Kept the name "Erlöse 19 % Mode/Damen" of BB account 8401 (create-only setting); the category is now "Erlöse 19 % Mode/Frauen"']);

    // Archived in Lightspeed: the account stays (never deleted), nothing new is created for it.
    await database.updateTable("product_categories").set({ archived: true }).where("tenant_id", "=", tenantId).where("category_id", "=", "5").execute();
    await syncCategoryAccounts(database, { tenantId, runId: null, bb: target });
    expect(accountsOf(bb, 8401, 8499).map((a) => a.number)).toEqual([8401, 8402, 8403]);

    const list = await listCategoryAccounts(database, tenantId);
    expect(list.map((l) => [l.categoryId, l.vatPercent, l.account, l.status])).toEqual([
      ["5", "19", 8402, "done"],
      ["5", "7", 8403, "done"],
      ["2", "19", 8401, "done"],
    ]);
  });

  it("uses the parents mapped for 19 % and 7 % and the configured range", async () => {
    const { tenantId, bb, target } = await setup();
    await saveMapping(database, tenantId, "tax_rate", "19", { account: 8400, vat: "19_vat" });
    await saveMapping(database, tenantId, "tax_rate", "7", { account: 8300, vat: "7_vat" });
    await saveProductSettings(database, tenantId, { categoryAccounts: { enabled: true, range: { from: 8450, to: 8451 } } });
    const r = await syncCategoryAccounts(database, { tenantId, runId: null, bb: target });
    // Three accounts wanted, two numbers free: the third is reported, not forced elsewhere.
    expect(r).toMatchObject({ created: 2, failed: 1 });
    expect(accountsOf(bb, 8450, 8451).map((a) => a.number)).toEqual([8450, 8451]);
    const inbox = await database.selectFrom("notifications").select(["code", "body"]).where("tenant_id", "=", tenantId).execute();
    expect(inbox).toEqual([{ code: "MAPPING_MISSING", body: 'No free account number left in 8450–8451 for "Erlöse 7 % Lebensmittel"' }]);
  });
});
