import { defineConfig } from "vitest/config";
import path from "node:path";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    alias: [
      // Server modules import "server-only" so a client bundle that pulls them in fails the build; tests run on the server.
      { find: /^server-only$/, replacement: path.join(path.dirname(fileURLToPath(import.meta.url)), "node_modules/server-only/empty.js") },
      { find: "@", replacement: path.dirname(fileURLToPath(import.meta.url)) },
    ],
  },
  test: {
    include: ["{lib,inngest,db,sandbox,app,components,scripts}/**/*.test.{ts,tsx}"],
    exclude: ["node_modules/**", ".next/**", ".data/**", "e2e/**"],
    globalSetup: ["./scripts/test/global-setup.ts"],
    setupFiles: ["./scripts/test/setup-env.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Heavy tests (*.heavy.test.ts: chaos, bad input) skip themselves when HEAVY=0 (CI runs them once).
    fileParallelism: true,
  },
});
