import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { toJson } from "../db";
import { csvCell, exportActivityCsv } from "./export-activity-csv";
import { getActivityEntry } from "./get-activity-entry";
import { activityFilterSchema, listActivity } from "./list-activity";

const database = testDb();

async function seed(tenantId: string, rows: { flow?: string; result?: "created" | "failed" | "info"; reference?: string; at: string; email?: string }[]) {
  await database
    .insertInto("activity_log")
    .values(
      rows.map((r) => ({
        tenant_id: tenantId,
        flow: r.flow ?? "orders",
        entity: "sale",
        source_id: r.reference ? r.reference.replace(/\D/g, "") || null : null,
        reference: r.reference ?? null,
        result: r.result ?? "created",
        message: `msg ${r.reference ?? ""}`,
        source_payload: toJson(r.email ? { customer: { contact: { emails: [{ address: r.email }] } } } : { x: 1 }),
        created_at: sql<Date>`${r.at}::timestamptz`,
      })),
    )
    .execute();
}

describe("listActivity", () => {
  it("pages by keyset without skipping or repeating rows that share a millisecond", async () => {
    const t = await createTestTenant(database);
    // 7 rows within one millisecond (microseconds differ) and 3 identical timestamps.
    await seed(t, [
      ...Array.from({ length: 7 }, (_, i) => ({ reference: `A${i}`, at: `2026-03-01T10:00:00.000${i}00Z` })),
      ...Array.from({ length: 3 }, (_, i) => ({ reference: `B${i}`, at: "2026-03-01T09:00:00Z" })),
    ]);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = await listActivity(database, t, {}, { after, limit: 3 });
      seen.push(...page.rows.map((r) => r.reference!));
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    expect(seen.slice(0, 7)).toEqual(["A6", "A5", "A4", "A3", "A2", "A1", "A0"]);
  });

  it("filters by flow, result, Berlin business dates and text (prefix, source id, e-mail), within the tenant only", async () => {
    const t = await createTestTenant(database);
    const other = await createTestTenant(database);
    await seed(t, [
      { reference: "1001", result: "created", at: "2026-03-01T23:30:00Z" }, // 00:30 on 2 March in Berlin
      { reference: "1002", result: "failed", at: "2026-03-01T12:00:00Z" },
      { reference: "SKU-9", flow: "products", result: "created", at: "2026-03-02T12:00:00Z" },
      { reference: "1003", result: "created", at: "2026-03-03T12:00:00Z", email: "Anna@Example.org" },
    ]);
    await seed(other, [{ reference: "1002", result: "failed", at: "2026-03-01T12:00:00Z" }]);
    const refs = async (f: Record<string, string>) => (await listActivity(database, t, activityFilterSchema.parse(f))).rows.map((r) => r.reference);
    expect(await refs({ result: "failed" })).toEqual(["1002"]);
    expect(await refs({ flow: "products" })).toEqual(["SKU-9"]);
    expect(await refs({ from: "2026-03-02", to: "2026-03-02" })).toEqual(["SKU-9", "1001"]);
    expect(await refs({ q: "100" })).toEqual(["1003", "1001", "1002"]);
    expect(await refs({ q: "anna@example.org" })).toEqual(["1003"]);
    expect(await refs({ q: "SKU" })).toEqual(["SKU-9"]);
    expect(await refs({ q: "%" })).toEqual([]);
    // Garbage in the URL is ignored rather than failing the page.
    expect(activityFilterSchema.parse({ flow: "evil", from: "yesterday" })).toEqual({});
    await expect(listActivity(database, t, {}, { after: "bm9wZQ" })).rejects.toThrow(/INVALID_INPUT/);
  });

  it("pages through a prefix search (one index query per match kind) without gaps or repeats", async () => {
    const t = await createTestTenant(database);
    await seed(t, [
      ...Array.from({ length: 9 }, (_, i) => ({ reference: `T777${i}`, at: `2026-03-05T10:00:0${i}Z` })),
      { reference: "T777", at: "2026-03-05T09:00:00Z" },
      { reference: "X1", at: "2026-03-05T11:00:00Z" },
    ]);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = await listActivity(database, t, { q: "T777" }, { after, limit: 4 });
      seen.push(...page.rows.map((r) => r.reference!));
      after = page.next;
    } while (after);
    expect(seen).toEqual(["T7778", "T7777", "T7776", "T7775", "T7774", "T7773", "T7772", "T7771", "T7770", "T777"]);
    expect((await listActivity(database, t, { q: "T777", result: "failed" })).rows).toEqual([]);
  });

  it("shows an entry's payloads only to its own tenant", async () => {
    const t = await createTestTenant(database);
    const other = await createTestTenant(database);
    await seed(t, [{ reference: "555", result: "failed", at: "2026-03-01T12:00:00Z" }]);
    const [row] = (await listActivity(database, t, {})).rows;
    const detail = await getActivityEntry(database, t, row!.id);
    expect(detail?.sourcePayload).toEqual({ x: 1 });
    expect(detail?.resyncable).toBe(true);
    expect(await getActivityEntry(database, other, row!.id)).toBeNull();
  });
});

describe("exportActivityCsv", () => {
  it("exports every filtered row in chunks, quoted and formula-safe", async () => {
    const t = await createTestTenant(database);
    await seed(t, Array.from({ length: 25 }, (_, i) => ({ reference: `${2000 + i}`, at: `2026-03-04T10:00:${String(i).padStart(2, "0")}Z`, result: i % 5 === 0 ? "failed" : "created" })));
    let csv = "";
    for await (const part of exportActivityCsv(database, t, { result: "failed" }, { chunk: 2 })) csv += part;
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toContain("time,flow,entity,reference");
    expect(lines).toHaveLength(1 + 5);
    expect(lines[1]).toContain(",2020,");
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("a;b")).toBe('"a;b"');
  });
});
