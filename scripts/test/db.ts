import { randomUUID } from "node:crypto";
import { afterAll } from "vitest";
import { createDb, type Database } from "@/lib/db";

/** A pool on the run's database, closed after the file's tests. */
export function testDb(): Database {
  const database = createDb(process.env.DATABASE_URL!, 4);
  afterAll(async () => {
    await database.destroy();
  });
  return database;
}

/** A tenant of its own per test keeps tests independent while they share one database. */
export async function createTestTenant(database: Database, overrides: { name?: string; settings?: Record<string, unknown> } = {}): Promise<string> {
  const row = await database
    .insertInto("tenants")
    .values({
      ls_account_id: `test-${randomUUID()}`,
      name: overrides.name ?? "Test GmbH",
      settings: JSON.stringify(overrides.settings ?? {}),
      status: "active",
      updated_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
