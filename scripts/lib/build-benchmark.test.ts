import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BENCH_BUILD_DIR, buildBenchmark, bundleEntry, listBenchmarks } from "./build-benchmark";
import { PROJECT_ROOT } from "./root";

// Inside the checkout, so the bundle resolves its external packages from node_modules as the real run does.
const outDir = path.join(BENCH_BUILD_DIR, `test-${process.pid}-${Date.now().toString(36)}`);
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe("benchmark bundles", () => {
  it("builds every benchmark, with packages left external", async () => {
    const names = listBenchmarks();
    expect(names).toContain("orders-backfill");
    for (const name of names) {
      const file = await buildBenchmark(name, outDir);
      const code = fs.readFileSync(file, "utf8");
      expect(code).toContain("runBenchmark(");
      // Our code is compiled in; kysely is imported from node_modules, not inlined.
      if (name === "orders-backfill") {
        expect(code).toMatch(/PipelinedWriter = class/);
        expect(code).toMatch(/from "kysely"/);
        expect(code).not.toContain("class SelectQueryBuilderImpl");
      }
    }
  }, 120_000);

  it("runs as an ES module that still finds the checkout and has __dirname and require", async () => {
    const file = await bundleEntry(
      [
        `import { PROJECT_ROOT } from "./scripts/lib/root";`,
        `console.log(JSON.stringify({ root: PROJECT_ROOT, dir: __dirname, pg: typeof require("pg").Client }));`,
      ].join("\n"),
      path.join(outDir, "probe.mjs"),
    );
    const out = JSON.parse(execFileSync(process.execPath, [file], { encoding: "utf8" })) as { root: string; dir: string; pg: string };
    expect(out).toEqual({ root: PROJECT_ROOT, dir: outDir, pg: "function" });
  }, 60_000);
});
