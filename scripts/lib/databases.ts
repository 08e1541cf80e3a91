import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb } from "@/lib/db";
import { migrateToLatest } from "@/db/migrate";
import { startEmbeddedPostgres } from "./embedded-pg";

export interface FreshDatabase {
  url: string;
  mode: "server" | "embedded";
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A brand-new, empty database: on a Postgres server (DATABASE_URL) a `create database` that is dropped
 * afterwards; without one, a pglite-server on a temporary folder that is removed afterwards.
 */
export async function createFreshDatabase(prefix: string, serverUrl: string | undefined): Promise<FreshDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`create database "${name}"`);
    } finally {
      await admin.end();
    }
    return {
      url: withDatabase(serverUrl, name),
      mode: "server",
      drop: async () => {
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        try {
          await c.query(`drop database if exists "${name}" with (force)`);
        } finally {
          await c.end();
        }
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const embedded = await startEmbeddedPostgres(path.join(dir, "pg"));
  return {
    url: embedded.url,
    mode: "embedded",
    drop: async () => {
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function migrateUrl(url: string): Promise<void> {
  const database = createDb(url, 2);
  try {
    await migrateToLatest(database as never);
  } finally {
    await database.destroy();
  }
}
