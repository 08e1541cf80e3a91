import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, startSandbox } from "@/lib/lightspeed/sandbox.test-helpers";
import type { LsCategory } from "@/lib/lightspeed/domain";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { applyCategories, refreshProductLookups } from "./refresh-product-lookups";

const database = testDb();
let sandbox: LightspeedSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ speed: 50, seed: 3 });
});
afterAll(async () => {
  await sandbox.close();
});

describe("lookups and categories", () => {
  it("reads VAT per tax class from the primary shop's tax category, shops and attribute sets", async () => {
    const c = await connect(database, sandbox);
    const r = await refreshProductLookups(database, c.tenantId, c.client);
    expect(r.shops).toBe(sandbox.store.shops.size);
    const rates = await database.selectFrom("product_tax_classes").select(["tax_class_id", "name", "vat_percent", "tax_inclusive"]).where("tenant_id", "=", c.tenantId).orderBy("tax_class_id").execute();
    expect(rates).toEqual([
      { tax_class_id: "", name: "MwSt", vat_percent: "19", tax_inclusive: true },
      { tax_class_id: "1", name: "Standard", vat_percent: "19", tax_inclusive: true },
      { tax_class_id: "2", name: "Lebensmittel/Bücher", vat_percent: "7", tax_inclusive: true },
      { tax_class_id: "3", name: "Gutschein/steuerfrei", vat_percent: "0", tax_inclusive: true },
    ]);
    const sets = await database.selectFrom("product_attribute_sets").select(["name", "attribute_names"]).where("tenant_id", "=", c.tenantId).orderBy("attribute_set_id").execute();
    expect(sets[0]).toEqual({ name: "Color/Size", attribute_names: ["Color", "Size", ""] });
    const shops = await database.selectFrom("stock_shops").select(["name", "time_zone"]).where("tenant_id", "=", c.tenantId).orderBy("shop_id").execute();
    expect(shops.every((s) => s.time_zone === "Europe/Berlin")).toBe(true);
  });

  it("keeps the category tree with full paths, logs additions and renames, reports renames for the accounts", async () => {
    const tenantId = await createTestTenant(database);
    const cat = (id: string, path: string, o: Partial<LsCategory> = {}): LsCategory => ({ categoryId: id, name: path.split("/").at(-1)!, parentId: null, fullPathName: path, nodeDepth: path.split("/").length - 1, archived: false, timeStamp: "2026-01-01T00:00:00.000Z", ...o });
    expect(await applyCategories(database, tenantId, [cat("1", "Bekleidung"), cat("2", "Bekleidung/Damen", { parentId: "1" })])).toMatchObject({ created: 2, updated: 0 });
    const again = await applyCategories(database, tenantId, [cat("1", "Mode"), cat("2", "Mode/Damen", { parentId: "1" }), cat("3", "Alt", { archived: true })]);
    expect(again).toMatchObject({ created: 1, updated: 2, renamed: [{ categoryId: "1", from: "Bekleidung", to: "Mode" }, { categoryId: "2", from: "Bekleidung/Damen", to: "Mode/Damen" }] });
    expect(await applyCategories(database, tenantId, [cat("3", "Alt", { archived: true })])).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const log = await database.selectFrom("activity_log").select(["result", "message"]).where("tenant_id", "=", tenantId).orderBy("id").execute();
    expect(log.map((l) => l.message)).toEqual([
      'Category "Bekleidung" added',
      'Category "Bekleidung/Damen" added',
      'Category renamed in Lightspeed: "Bekleidung" → "Mode"',
      'Category renamed in Lightspeed: "Bekleidung/Damen" → "Mode/Damen"',
      'Category "Alt" added (archived)',
    ]);
  });
});
