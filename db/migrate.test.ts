import { sql } from "kysely";
import { describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db";
import { createFreshDatabase } from "@/scripts/lib/databases";
import { migrateToLatest } from "./migrate";
import { migrations } from "./migrations";

describe("migrations", () => {
  it("apply to an empty database and are idempotent", async () => {
    // The server the run uses (not the run's own database); embedded runs get a second pglite-server.
    const fresh = await createFreshDatabase("bbmig", inject("serverUrl"));
    const database = createDb(fresh.url, 2);
    try {
      const first = await migrateToLatest(database as never);
      expect(first.results?.map((r) => r.migrationName)).toEqual(Object.keys(migrations));
      expect(first.results?.every((r) => r.status === "Success")).toBe(true);

      const second = await migrateToLatest(database as never);
      expect(second.results).toEqual([]);

      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(database);
      const names = tables.rows.map((r) => r.table_name);
      for (const t of ["tenants", "connections", "flow_settings", "mappings", "sync_links", "sync_runs", "activity_log", "notifications", "audit_log", "User", "Account", "Session", "VerificationToken"]) {
        expect(names).toContain(t);
      }
    } finally {
      await database.destroy();
      await fresh.drop();
    }
  }, 120_000);
});
