import "server-only";
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

/**
 * Rows per multi-row statement. A sync step writes thousands of rows with JSON payloads; one statement for all
 * of them builds every payload string and the whole wire message at once, which is the process's memory peak.
 */
export const ROWS_PER_STATEMENT = 250;

export function slicesOf<T>(rows: T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
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
