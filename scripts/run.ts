import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createFreshDatabase, migrateUrl } from "./lib/databases";
import { freePort, startEmbeddedPostgres } from "./lib/embedded-pg";
import { onShutdown, run, shutdown, startProcess, waitForUrl } from "./lib/processes";
import { startSandboxes } from "./lib/sandboxes";
import { PROJECT_ROOT } from "./lib/root";

/**
 * The developer entry points: `demo`, `e2e`, `migrate`, `dev`. Each one provides a database (DATABASE_URL, or
 * one embedded pglite-server that owns ./.data/pg), migrates it, starts the sandboxes, and stops everything it
 * started on exit.
 */
const ROOT = PROJECT_ROOT;
const DATA = path.join(ROOT, ".data");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

async function provideDatabase(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  console.log("No DATABASE_URL: starting the embedded Postgres in ./.data/pg …");
  const pg = await startEmbeddedPostgres(path.join(DATA, "pg"));
  onShutdown(pg.stop);
  return pg.url;
}

/** Secrets for local runs, generated once per checkout so sessions and encrypted rows survive restarts. */
function localSecrets(): { AUTH_SECRET: string; ENCRYPTION_KEYS: string } {
  const file = path.join(DATA, "local-secrets.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
  fs.mkdirSync(DATA, { recursive: true });
  const secrets = {
    AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    ENCRYPTION_KEYS: `local1:${crypto.randomBytes(32).toString("base64")}`,
  };
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

async function buildApp(distDir: string, force: boolean): Promise<void> {
  const buildId = path.join(ROOT, distDir, "BUILD_ID");
  const sources = Math.max(
    ...["app", "components", "lib", "inngest", "db"].map((d) => newestMtime(path.join(ROOT, d))),
    ...["next.config.js", "package-lock.json", "instrumentation.ts", "postcss.config.mjs"].map((f) => (fs.existsSync(path.join(ROOT, f)) ? fs.statSync(path.join(ROOT, f)).mtimeMs : 0)),
  );
  if (!force && fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs > sources) {
    console.log("Using the existing production build.");
    return;
  }
  console.log("Building the app (next build) …");
  const code = await run(BIN("next"), ["build"], { cwd: ROOT, env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" } });
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
}

async function startApp(port: number, env: Record<string, string>, distDir: string) {
  const app = startProcess(BIN("next"), ["start", "-p", String(port), "-H", "localhost"], {
    name: "app",
    cwd: ROOT,
    env: { ...process.env, ...env, NEXT_DIST_DIR: distDir, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  onShutdown(app.stop);
  await waitForUrl(`http://localhost:${port}/api/health`, 120_000, app.exited);
  return app;
}

async function appEnvironment(databaseUrl: string, appUrl: string, profile: "demo" | "e2e") {
  const sandboxes = await startSandboxes({ appUrl, seed: 42, profile });
  for (const s of sandboxes) onShutdown(s.stop);
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    APP_URL: appUrl,
    AUTH_URL: appUrl,
    AUTH_TRUST_HOST: "true",
    JOBS_DRIVER: "inline",
    // `next start` runs as production, which refuses the inline driver unless this says it is a demo.
    DEMO_MODE: "true",
    ...localSecrets(),
    ...Object.assign({}, ...sandboxes.map((s) => s.env)),
  };
  return { env, sandboxes };
}

async function demo() {
  const databaseUrl = await provideDatabase();
  await migrateUrl(databaseUrl);
  const port = Number(process.env.PORT) || (await freePort().then((p) => (process.env.CI ? p : 3000)));
  const appUrl = `http://localhost:${port}`;
  const { env, sandboxes } = await appEnvironment(databaseUrl, appUrl, "demo");
  await buildApp(".next", false);
  const app = await startApp(port, env, ".next");
  console.log(
    [
      "",
      "────────────────────────────────────────────────────────────",
      ` Butlerbridge is running: ${appUrl}`,
      ...sandboxes.flatMap((s) => [` ${s.name}: ${s.url}`, ...s.info.map((l) => `   ${l}`)]),
      " Press Ctrl-C to stop everything.",
      "────────────────────────────────────────────────────────────",
      "",
    ].join("\n"),
  );
  const code = await app.exited;
  await shutdown(code ?? 1);
}

async function e2e(args: string[]) {
  const fresh = await createFreshDatabase("bbe2e", process.env.DATABASE_URL);
  onShutdown(fresh.drop);
  await migrateUrl(fresh.url);
  const port = await freePort();
  const appUrl = `http://localhost:${port}`;
  const { env } = await appEnvironment(fresh.url, appUrl, "e2e");
  await buildApp(".next-e2e", !!process.env.CI);
  await startApp(port, env, ".next-e2e");
  const code = await run(BIN("playwright"), ["test", ...args], { cwd: ROOT, env: { ...process.env, ...env, BASE_URL: appUrl } });
  await shutdown(code);
}

async function migrate() {
  const databaseUrl = await provideDatabase();
  await migrateUrl(databaseUrl);
  console.log("Migrations applied.");
  await shutdown(0);
}

async function dev() {
  const databaseUrl = await provideDatabase();
  await migrateUrl(databaseUrl);
  const port = Number(process.env.PORT) || 3000;
  const appUrl = `http://localhost:${port}`;
  const { env } = await appEnvironment(databaseUrl, appUrl, "demo");
  const app = startProcess(BIN("next"), ["dev", "-p", String(port)], { name: "app", cwd: ROOT, env: { ...process.env, ...env }, prefixOutput: false });
  onShutdown(app.stop);
  await shutdown((await app.exited) ?? 1);
}

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => Promise<void>> = { demo, e2e, migrate, dev };
const fn = command ? commands[command] : undefined;
if (!fn) {
  console.error(`usage: tsx scripts/run.ts <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}
fn(rest).catch(async (e) => {
  console.error(e instanceof Error ? e.message : e);
  await shutdown(1);
});
