import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, startSandbox } from "@/lib/lightspeed/sandbox.test-helpers";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { testDb } from "@/scripts/test/db";
import { listAttributeAxes, listProducts } from "./list-products";
import { saveProductSettings } from "./product-settings";
import { saveAttributeMappingAndApply } from "./reapply-product-mappings";
import { productsSync } from "@/inngest/functions/products-sync";
import { runFlowNow } from "@/inngest/run-flow-now";
import type { LightspeedClient } from "@/lib/lightspeed";
import { buildSyncDeps } from "../deps";

const database = testDb();

/** A whole product sync through the real job, on the test's Lightspeed client. */
const syncProductsNow = (input: { tenantId: string; kind: "poll"; client: LightspeedClient; pagesPerStep?: number }) =>
  runFlowNow(productsSync, (id) => buildSyncDeps(database, id, { ls: input.client, pagesPerStep: input.pagesPerStep }), { tenantId: input.tenantId, kind: input.kind });
let sandbox: LightspeedSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ speed: 50, seed: 11 });
});
afterAll(async () => {
  await sandbox.close();
});

describe("product flow against the Lightspeed sandbox", () => {
  it("registers every item and matrix, maps variants, and picks up edits incrementally", async () => {
    const c = await connect(database, sandbox);
    await saveProductSettings(database, c.tenantId, { fieldUpdates: { description: "keep" } }, true);
    const store = sandbox.store;

    const first = await syncProductsNow({ tenantId: c.tenantId, kind: "poll", client: c.client, pagesPerStep: 1 });
    expect(first.status).toBe("succeeded");
    expect(first.counts).toMatchObject({ created: store.items.size + store.matrices.size + store.categories.size, failed: 0 });
    const all = await listProducts(database, c.tenantId, { includeArchived: true, limit: 500 });
    expect(all.total).toBe(store.items.size);
    expect(new Set(all.rows.map((r) => r.sku.toLowerCase())).size).toBe(all.total);

    // Variants know their matrix and attribute values; the set's axes are unmapped so far.
    const variants = await listProducts(database, c.tenantId, { kind: "variant", includeArchived: true, limit: 500 });
    const expectedVariants = [...store.items.values()].filter((i) => i.matrixId);
    expect(variants.total).toBe(expectedVariants.length);
    const sample = expectedVariants[0]!;
    const row = variants.rows.find((r) => r.itemId === String(sample.id))!;
    expect(row.matrixId).toBe(String(sample.matrixId));
    expect(row.matrixDescription).toBe(store.matrices.get(sample.matrixId)!.description);
    expect(row.attributes.map((a) => a.value)).toEqual([sample.attribute1, sample.attribute2].filter(Boolean));
    expect(row.flags).toContain("attribute_unmapped");
    expect(row.categoryPath).toBe(store.categories.get(sample.categoryId)!.fullPathName);

    // Map the axes by hand: every variant of that set is re-derived without a Lightspeed call.
    const setId = String(store.matrices.get(sample.matrixId)!.attributeSetId);
    const axes = (await listAttributeAxes(database, c.tenantId)).find((s) => s.attributeSetId === setId)!;
    expect(axes.axes.map((a) => a.mappedName)).toEqual(axes.axes.map(() => null));
    const requests = c.client.stats().requests;
    await saveAttributeMappingAndApply(database, c.tenantId, { attributeSetId: setId, axis: 1, name: "Farbe" });
    await saveAttributeMappingAndApply(database, c.tenantId, { attributeSetId: setId, axis: 2, name: "Größe" });
    expect(c.client.stats().requests).toBe(requests);
    const mapped = (await listProducts(database, c.tenantId, { search: row.sku })).rows[0]!;
    expect(mapped.attributes.map((a) => [a.name, a.lsName])).toEqual(
      [
        ["Farbe", store.attributeSets.get(Number(setId))!.attributeName1],
        ["Größe", store.attributeSets.get(Number(setId))!.attributeName2],
      ].slice(0, mapped.attributes.length),
    );
    expect(mapped.flags).not.toContain("attribute_unmapped");

    // Edits in Lightspeed: price and description change; "keep" protects the description.
    const simple = [...store.items.values()].find((i) => !i.matrixId && !i.archived && i.customSku)!;
    const byId = async (id: number, includeArchived = false) => (await listProducts(database, c.tenantId, { search: String(id), includeArchived, limit: 500 })).rows.find((r) => r.itemId === String(id));
    const before = (await byId(simple.id))!;
    sandbox.mutate({ action: "editItem", itemId: simple.id, description: "Neuer Name aus Lightspeed", price: "123.45" });
    const poll = await syncProductsNow({ tenantId: c.tenantId, kind: "poll", client: c.client });
    expect(poll.counts).toMatchObject({ created: 0, updated: 1, failed: 0 });
    const after = (await byId(simple.id))!;
    expect(after.description).toBe(before.description);
    expect(after.priceGrossCents).toBe(12345);

    // An archival is a change too.
    sandbox.mutate({ action: "editItem", itemId: simple.id, archived: true });
    await syncProductsNow({ tenantId: c.tenantId, kind: "poll", client: c.client });
    expect(await byId(simple.id)).toBeUndefined();
    expect((await byId(simple.id, true))!.archived).toBe(true);

    // A newer item takes an older item's custom SKU in Lightspeed: the older keeps it, the conflict is reported.
    const [older, newer] = [...store.items.values()].filter((i) => !i.archived && i.customSku && i.id !== simple.id).slice(0, 2);
    sandbox.mutate({ action: "editItem", itemId: newer!.id, customSku: older!.customSku });
    await syncProductsNow({ tenantId: c.tenantId, kind: "poll", client: c.client });
    const olderRow = (await byId(older!.id))!;
    const newerRow = (await byId(newer!.id))!;
    expect(olderRow.sku).toBe(older!.customSku);
    expect(newerRow).toMatchObject({ sku: newer!.systemSku, skuSource: "systemSku" });
    expect(newerRow.flags).toContain("sku_conflict");
    const inbox = await database.selectFrom("notifications").select(["code", "severity"]).where("tenant_id", "=", c.tenantId).execute();
    expect(inbox).toContainEqual({ code: "SKU_DUPLICATE", severity: "warning" });
  });
});
