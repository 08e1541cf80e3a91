import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["{lib,inngest,db,sandbox,app,components,scripts}/**/*.test.{ts,tsx}"],
    exclude: ["node_modules/**", ".next/**", ".data/**", "e2e/**"],
    globalSetup: ["./scripts/test/global-setup.ts"],
    setupFiles: ["./scripts/test/setup-env.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Heavy integration tests (chaos, bad input) are tagged by file name and run in their own pass.
    fileParallelism: true,
  },
});
