import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { DB } from "@/db/schema";
import { env } from "./env";

// int8 (bigserial ids, counts) as numbers: our ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric stays a string on purpose: money is parsed with the decimal library, never as a float.

export type Database = Kysely<DB>;

export function createDb(connectionString: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 10_000 });
  // An idle client that errors (server restart) must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

const globalForDb = globalThis as unknown as { __butlerbridgeDb?: Database };

/** The process-wide pool, created on first use and reused across hot reloads. */
export function db(): Database {
  globalForDb.__butlerbridgeDb ??= createDb(env().DATABASE_URL, env().DATABASE_POOL_MAX);
  return globalForDb.__butlerbridgeDb;
}

/** The one way to write a jsonb column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export async function pingDb(database?: Database, timeoutMs = 2_000): Promise<boolean> {
  try {
    await Promise.race([
      sql`select 1`.execute(database ?? db()),
      new Promise((_, reject) => setTimeout(() => reject(new Error("database ping timed out")), timeoutMs)),
    ]);
    return true;
  } catch {
    return false;
  }
}
