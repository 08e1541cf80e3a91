import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-pg";

// The embedded server is what `npm run demo` and a laptop without Postgres run on, so it has to keep
// concurrent connections apart the way a real server does.
describe("embedded Postgres", () => {
  let dir: string;
  let server: EmbeddedPostgres;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-embedded-"));
    server = await startEmbeddedPostgres(path.join(dir, "pg"));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps parameterised queries and transactions of 8 concurrent connections apart", async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 8 });
    const failures: string[] = [];
    try {
      await pool.query("create table counters (worker int primary key, n int not null)");
      await Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          await pool.query("insert into counters values ($1, 0)", [worker]);
          for (let i = 0; i < 60; i++) {
            const value = worker * 100_000 + i;
            try {
              if (worker % 2 === 0) {
                const client = await pool.connect();
                try {
                  await client.query("begin");
                  await client.query("update counters set n = n + 1 where worker = $1", [worker]);
                  const r = await client.query<{ v: number; w: string }>(`select $1::int as v, '${worker}' as w`, [value]);
                  if (r.rows[0]?.v !== value || r.rows[0]?.w !== String(worker)) failures.push(`wrong row for ${worker}/${i}`);
                  await client.query("commit");
                } finally {
                  client.release();
                }
              } else {
                // Different statement text per worker: a Bind meeting another connection's Parse would show.
                const r = await pool.query<{ v: number }>(`select $1::int + ${worker} as v`, [value]);
                if (r.rows[0]?.v !== value + worker) failures.push(`wrong value for ${worker}/${i}`);
                await pool.query("update counters set n = n + 1 where worker = $1", [worker]);
              }
            } catch (e) {
              failures.push(String(e));
            }
          }
        }),
      );
      const counts = await pool.query<{ worker: number; n: number }>("select worker, n from counters order by worker");
      expect(failures).toEqual([]);
      expect(counts.rows).toEqual(Array.from({ length: 8 }, (_, worker) => ({ worker, n: 60 })));
    } finally {
      await pool.end();
    }
  }, 120_000);

  it("reuses the running server for a second caller instead of opening the folder twice", async () => {
    const second = await startEmbeddedPostgres(path.join(dir, "pg"));
    expect(second.ownsServer).toBe(false);
    expect(second.url).toBe(server.url);
    await second.stop();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    expect((await client.query<{ one: number }>("select 1 as one")).rows[0]?.one).toBe(1);
    await client.end();
  });
});
