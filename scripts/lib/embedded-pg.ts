import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { PROJECT_ROOT } from "./root";

/**
 * Zero-setup Postgres: exactly one `pglite-server` process owns a data folder, and everything else talks to it
 * over the Postgres wire protocol. Two processes opening one PGlite folder lose writes silently, so a lock file
 * records the owner; a second caller reuses the running server instead of starting another.
 */
export interface EmbeddedPostgres {
  url: string;
  /** Stops the server if this process started it; a reused server is left running for its owner. */
  stop(): Promise<void>;
  ownsServer: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitForPostgres(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      return;
    } catch (e) {
      lastError = e;
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Postgres at ${url} did not accept connections within ${timeoutMs} ms: ${String(lastError)}`);
}

// Our launcher around pglite-socket's server (see the file for why it is not the package's binary).
const SERVER = path.join(PROJECT_ROOT, "scripts", "lib", "pglite-server.mjs");

export async function startEmbeddedPostgres(dataDir: string, options: { quiet?: boolean } = {}): Promise<EmbeddedPostgres> {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lockFile = `${dir}.lock`;

  if (fs.existsSync(lockFile)) {
    const lock = JSON.parse(fs.readFileSync(lockFile, "utf8")) as { pid: number; port: number };
    if (pidAlive(lock.pid)) {
      const url = `postgres://postgres@127.0.0.1:${lock.port}/postgres`;
      await waitForPostgres(url, 10_000);
      return { url, ownsServer: false, stop: async () => {} };
    }
    fs.rmSync(lockFile, { force: true });
  }

  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [SERVER, `--db=${dir}`, `--port=${port}`, "--host=127.0.0.1", "--max-connections=20"], {
    stdio: options.quiet === false ? "inherit" : ["ignore", "ignore", "pipe"],
    detached: false,
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  fs.writeFileSync(lockFile, JSON.stringify({ pid: child.pid, port }));

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ready = waitForPostgres(url, 120_000);
  const early = exited.then((code) => {
    throw new Error(`pglite-server exited early (code ${code}): ${stderr.slice(-2000)}`);
  });
  try {
    await Promise.race([ready, early]);
  } catch (e) {
    child.kill("SIGKILL");
    fs.rmSync(lockFile, { force: true });
    throw e;
  }
  early.catch(() => {});

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(lockFile, { force: true });
  };
  return { url, ownsServer: true, stop };
}
