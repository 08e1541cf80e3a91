import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { saveAttributeMapping, saveFeatureMapping } from "../../mapping/product-attributes";
import { applyItemsPage } from "./apply-items-page";
import { applyMatricesPage } from "./apply-matrices-page";
import { lsItem, lsMatrix } from "./fixtures.test-helpers";
import { saveProductSettings } from "./product-settings";

const database = testDb();

async function tenantWithLookups() {
  const tenantId = await createTestTenant(database);
  const now = new Date();
  await database
    .insertInto("product_tax_classes")
    .values([
      { tenant_id: tenantId, tax_class_id: "", name: "MwSt", vat_percent: "19", tax_inclusive: true, updated_at: now },
      { tenant_id: tenantId, tax_class_id: "1", name: "Standard", vat_percent: "19", tax_inclusive: true, updated_at: now },
      { tenant_id: tenantId, tax_class_id: "2", name: "Lebensmittel/Bücher", vat_percent: "7", tax_inclusive: true, updated_at: now },
    ])
    .execute();
  await database.insertInto("product_attribute_sets").values({ tenant_id: tenantId, attribute_set_id: "1", name: "Color/Size", attribute_names: JSON.stringify(["Color", "Size", ""]), archived: false, updated_at: now }).execute();
  return tenantId;
}

const product = (tenantId: string, itemId: string) => database.selectFrom("products").selectAll().where("tenant_id", "=", tenantId).where("item_id", "=", itemId).executeTakeFirstOrThrow();

describe("product register", () => {
  it("creates simple and variant products; variants know their matrix and mapped attribute values", async () => {
    const tenantId = await tenantWithLookups();
    await saveAttributeMapping(database, tenantId, { attributeSetId: "1", axis: 1, name: "Farbe" });
    await saveAttributeMapping(database, tenantId, { attributeSetId: "1", axis: 2, name: "Größe" });
    await saveFeatureMapping(database, tenantId, { customField: "Origin", target: { name: "Herkunft" } });
    expect(await applyMatricesPage(database, { tenantId, runId: null, matrices: [lsMatrix({ itemMatrixId: "4", description: "Basic Tee" })] })).toMatchObject({ created: 1 });
    const r = await applyItemsPage(database, {
      tenantId,
      runId: null,
      items: [
        lsItem({ itemId: "1", customSku: "TASSE-1", customFields: { Origin: "Portugal" } }),
        lsItem({ itemId: "2", customSku: "TEE-ROT-M", itemMatrixId: "4", attributes: { itemAttributeSetId: null, attribute1: "Rot", attribute2: "M", attribute3: "" } }),
      ],
    });
    expect(r).toMatchObject({ created: 2, updated: 0, failed: 0 });
    const simple = await product(tenantId, "1");
    expect(simple).toMatchObject({ sku: "TASSE-1", sku_source: "customSku", kind: "simple", matrix_id: null, price_gross_cents: 1999, price_net_cents: 1680, vat_percent: "19" });
    expect(simple.features).toEqual([{ lsName: "Origin", name: "Herkunft", value: "Portugal", mapped: true }]);
    const variant = await product(tenantId, "2");
    expect(variant).toMatchObject({ sku: "TEE-ROT-M", kind: "variant", matrix_id: "4" });
    expect(variant.attributes).toEqual([
      { axis: 1, lsName: "Color", name: "Farbe", value: "Rot", mapped: true },
      { axis: 2, lsName: "Size", name: "Größe", value: "M", mapped: true },
    ]);
    const log = await database.selectFrom("activity_log").select(["result", "message", "reference"]).where("tenant_id", "=", tenantId).where("entity", "=", "item").orderBy("id").execute();
    expect(log.map((l) => l.reference)).toEqual(["TASSE-1", "TEE-ROT-M"]);
    expect(log[1]!.message).toMatch(/variant of matrix 4 \(Farbe: Rot, Größe: M\)/);
  });

  it("skips unchanged re-reads and logs only real changes", async () => {
    const tenantId = await tenantWithLookups();
    const items = [lsItem({ itemId: "1", customSku: "A" })];
    await applyItemsPage(database, { tenantId, runId: null, items });
    expect(await applyItemsPage(database, { tenantId, runId: null, items })).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await applyItemsPage(database, { tenantId, runId: null, items: [lsItem({ itemId: "1", customSku: "A", description: "Neu" })] })).toMatchObject({ updated: 1 });
  });

  it("create vs update: a field set to keep survives updates, others are overwritten", async () => {
    const tenantId = await tenantWithLookups();
    await saveProductSettings(database, tenantId, { fieldUpdates: { description: "keep" } });
    await applyItemsPage(database, { tenantId, runId: null, items: [lsItem({ itemId: "1", customSku: "A", description: "Erste Fassung" })] });
    // Enriched later in the register (e.g. by the merchant):
    await database.updateTable("products").set({ description: "Ausführliche Beschreibung" }).where("tenant_id", "=", tenantId).where("item_id", "=", "1").execute();
    await applyItemsPage(database, {
      tenantId,
      runId: null,
      items: [lsItem({ itemId: "1", customSku: "A", description: "Geänderte Fassung", prices: [{ amount: "29.99", useTypeId: "1", useType: "Default" }] })],
    });
    const row = await product(tenantId, "1");
    expect(row.description).toBe("Ausführliche Beschreibung");
    expect(row.price_gross_cents).toBe(2999);
    const last = await database.selectFrom("activity_log").select("message").where("tenant_id", "=", tenantId).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(last.message).toMatch(/kept existing description/);

    await saveProductSettings(database, tenantId, { fieldUpdates: { description: "overwrite" } });
    await applyItemsPage(database, { tenantId, runId: null, items: [lsItem({ itemId: "1", customSku: "A", description: "Letzte Fassung" })] });
    expect((await product(tenantId, "1")).description).toBe("Letzte Fassung");
  });

  it("SKU fallback follows the setting: chosen field, then customSku, systemSku, LS-<itemID>", async () => {
    const tenantId = await tenantWithLookups();
    await saveProductSettings(database, tenantId, { skuField: "ean" });
    await applyItemsPage(database, {
      tenantId,
      runId: null,
      items: [lsItem({ itemId: "1", ean: "4006381333931", customSku: "C1" }), lsItem({ itemId: "2", customSku: "C2" }), lsItem({ itemId: "3", systemSku: "210000000003" }), lsItem({ itemId: "4", systemSku: "" })],
    });
    const rows = await database.selectFrom("products").select(["item_id", "sku", "sku_source", "flags"]).where("tenant_id", "=", tenantId).orderBy("item_id").execute();
    expect(rows.map((r) => [r.item_id, r.sku, r.sku_source])).toEqual([
      ["1", "4006381333931", "ean"],
      ["2", "C2", "customSku"],
      ["3", "210000000003", "systemSku"],
      ["4", "LS-4", "itemId"],
    ]);
    expect(rows[1]!.flags).toContain("sku_fallback");
    expect(rows[0]!.flags).not.toContain("sku_fallback");
  });

  it("a duplicate SKU goes to the older item whichever page comes first; the conflict is reported, then resolved", async () => {
    const tenantId = await tenantWithLookups();
    // The newer item arrives first and gets the SKU …
    await applyItemsPage(database, { tenantId, runId: null, items: [lsItem({ itemId: "20", customSku: "DUP", systemSku: "S20" })] });
    expect((await product(tenantId, "20")).sku).toBe("DUP");
    // … then the older item claims it: it wins, the newer one moves to its systemSku.
    const r = await applyItemsPage(database, { tenantId, runId: null, items: [lsItem({ itemId: "7", customSku: "dup", systemSku: "S7" })] });
    expect(r.skuConflicts).toBe(1);
    expect((await product(tenantId, "7")).sku).toBe("dup");
    const moved = await product(tenantId, "20");
    expect(moved).toMatchObject({ sku: "S20", sku_source: "systemSku", sku_wanted: ["dup"] });
    expect(moved.flags).toContain("sku_conflict");
    const inbox = await database.selectFrom("notifications").select(["code", "title", "resolved_at"]).where("tenant_id", "=", tenantId).execute();
    expect(inbox).toEqual([expect.objectContaining({ code: "SKU_DUPLICATE", title: 'SKU "DUP" is used by more than one Lightspeed item', resolved_at: null })]);
    const log = await database.selectFrom("activity_log").select("message").where("tenant_id", "=", tenantId).where("source_id", "=", "20").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(log.message).toMatch(/SKU changed from DUP to S20 because item 7 \(older\) uses DUP/);

    // The older item gives the SKU up: the newer one gets it back and the inbox item is resolved.
    await applyItemsPage(database, { tenantId, runId: null, items: [lsItem({ itemId: "7", customSku: "NEU", systemSku: "S7" })] });
    expect((await product(tenantId, "20")).sku).toBe("DUP");
    expect((await product(tenantId, "20")).flags).not.toContain("sku_conflict");
    const after = await database.selectFrom("notifications").select("resolved_at").where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
    expect(after.resolved_at).not.toBeNull();
  });

  it("a malformed item fails alone with a clear message; the rest of the page is written", async () => {
    const tenantId = await tenantWithLookups();
    const r = await applyItemsPage(database, {
      tenantId,
      runId: null,
      items: [lsItem({ itemId: "1", customSku: "OK" }), lsItem({ itemId: "2", customSku: "BAD", prices: [{ amount: "abc", useTypeId: "1", useType: "Default" }] })],
      malformed: [{ entity: "Item", id: "3", problems: ['itemType "gadget" is not a Lightspeed item type'], raw: { itemID: "3" } }],
    });
    expect(r).toMatchObject({ created: 1, failed: 2 });
    const failed = await database.selectFrom("sync_links").select(["source_id", "status"]).where("tenant_id", "=", tenantId).where("entity", "=", "item").orderBy("source_id").execute();
    expect(failed).toEqual([{ source_id: "2", status: "failed" }, { source_id: "3", status: "failed" }]);
    const log = await database.selectFrom("activity_log").select("message").where("tenant_id", "=", tenantId).where("result", "=", "failed").orderBy("id").execute();
    expect(log.map((l) => l.message)).toEqual([expect.stringMatching(/item 3: itemType "gadget"/), expect.stringMatching(/item 2: not a decimal number: "abc"/)]);
  });
});
