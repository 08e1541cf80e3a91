import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { AppError } from "../errors/app-error";
import { readCursor, writeCursor } from "./cursors";
import { dayCorrectionId, getLink, getLinks, saveLink } from "./links";

const database = testDb();

const insertRaw = (tenantId: string, entity: string, sourceId: string, targetIds: unknown) =>
  database.insertInto("sync_links").values({ tenant_id: tenantId, entity, source_id: sourceId, target_ids: JSON.stringify(targetIds), status: "pending", last_error: "null", updated_at: new Date() }).execute();

describe("typed link state", () => {
  it("reads back what earlier steps and releases stored: a re-post's nulls, a sale known only by its lines", async () => {
    const t = await createTestTenant(database);
    await insertRaw(t, "sale", "1", { lineIds: ["11", "12"] });
    await insertRaw(t, "sale", "2", { revision: 1, previous: { cancelled: ["p1"], reversals: {}, date: "2026-03-02", plan: null }, void: null, receiptId: null, receiptPosted: null, commented: null, adoptedReceipt: null, intents: [], tenders: {}, free: {} });
    const links = await getLinks(database, t, "sale", ["1", "2"]);
    expect(links.get("1")?.target_ids).toEqual({ lineIds: ["11", "12"] });
    expect(links.get("2")?.target_ids).toMatchObject({ revision: 1, receiptId: null, void: null, previous: { cancelled: ["p1"], plan: null } });
  });

  it("keeps a day and its corrections apart: same entity, own shapes", async () => {
    const t = await createTestTenant(database);
    await saveLink(database, t, "day", "2026-03-02|1", { targetIds: { needsCorrection: true, corrections: 1 } });
    await saveLink(database, t, "dayCorrection", dayCorrectionId("2026-03-02|1", 2), { status: "done", targetIds: { invoiceNumber: "T-2026-03-02-1-K2", receiptId: "r9" } });
    expect((await getLink(database, t, "day", "2026-03-02|1"))?.target_ids).toEqual({ needsCorrection: true, corrections: 1 });
    const correction = await getLink(database, t, "dayCorrection", "2026-03-02|1#K2");
    expect(correction?.target_ids).toEqual({ invoiceNumber: "T-2026-03-02-1-K2", receiptId: "r9" });
    const row = await database.selectFrom("sync_links").select("entity").where("tenant_id", "=", t).where("source_id", "=", "2026-03-02|1#K2").executeTakeFirstOrThrow();
    expect(row.entity).toBe("day");
  });

  it("refuses a stored link that does not match its schema, naming the kind and the record", async () => {
    const t = await createTestTenant(database);
    await insertRaw(t, "sale", "901", { receiptId: 42 });
    const e = await getLink(database, t, "sale", "901").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("INTERNAL");
    expect((e as AppError).message).toContain("sale link 901");
    expect((e as AppError).message).toContain("receiptId");
  });

  it("parses cursors per kind and refuses unknown kinds and broken rows", async () => {
    const t = await createTestTenant(database);
    await writeCursor(database, t, "stock:itemshops", { timeStamp: null, ids: [], ledgerStartedAt: "2026-02-15T10:00:00Z" });
    expect(await readCursor(database, t, "stock:itemshops")).toEqual({ timeStamp: null, ids: [], ledgerStartedAt: "2026-02-15T10:00:00Z" });
    // @ts-expect-error an unknown kind does not compile; a string that slips through is refused at run time
    await expect(writeCursor(database, t, "stock:typo", { timeStamp: null, ids: [] })).rejects.toThrow(/unknown sync cursor "stock:typo"/);
    await database.insertInto("sync_cursors").values({ tenant_id: t, entity: "sales", cursor: JSON.stringify({ timeStamp: 5 }), updated_at: new Date() }).execute();
    await expect(readCursor(database, t, "sales")).rejects.toThrow(/cursor sales/);
  });
});

// Type level only (never called): a kind accepts its own fields and no other kind's.
async function _typeLevel(t: string) {
  await saveLink(database, t, "sale", "1", { targetIds: { lineIds: ["1"] } });
  // @ts-expect-error postedSummary belongs to a day, not a sale
  await saveLink(database, t, "sale", "1", { targetIds: { postedSummary: null } });
  // @ts-expect-error a correction has no needsCorrection flag
  await saveLink(database, t, "dayCorrection", "d#K1", { targetIds: { needsCorrection: true } });
  // @ts-expect-error an item link carries no ids
  await saveLink(database, t, "item", "1", { targetIds: { account: 4400 } });
}
