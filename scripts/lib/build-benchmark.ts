import fs from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";
import { PROJECT_ROOT } from "./root";

export const BENCH_BUILD_DIR = path.join(PROJECT_ROOT, "node_modules", ".cache", "butlerbridge-bench");

/** The benchmarks: scripts/bench/<name>.ts, helpers (`_…`) and tests aside. */
export function listBenchmarks(): string[] {
  return fs
    .readdirSync(path.join(PROJECT_ROOT, "scripts", "bench"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("_"))
    .map((f) => f.slice(0, -3));
}

/**
 * The benchmark runs compiled, as production runs the sync (next build), not under tsx: the TypeScript loader's
 * thread, its module cache and inline source maps cost the process ~45 MB of RSS that no deployment carries.
 * The bundle keeps every package external, so the code measured is the code shipped.
 */
export async function buildBenchmark(name: string, outDir = BENCH_BUILD_DIR): Promise<string> {
  return bundleEntry(
    [`import { runBenchmark } from "./scripts/lib/run-benchmark";`, `import * as benchmark from "./scripts/bench/${name}";`, `runBenchmark(benchmark);`].join("\n"),
    path.join(outDir, `${name}.mjs`),
  );
}

/** Bundles TypeScript source (imports relative to the checkout's root) into one ES module at `outfile`. */
export async function bundleEntry(contents: string, outfile: string): Promise<string> {
  await esbuild.build({
    stdin: { contents, resolveDir: PROJECT_ROOT, loader: "ts", sourcefile: path.basename(outfile).replace(/\.mjs$/, ".ts") },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    // The sync runs on the server: "server-only" is the marker's empty module there (Next resolves it the same way).
    alias: { "server-only": path.join(PROJECT_ROOT, "node_modules", "server-only", "empty.js") },
    tsconfig: path.join(PROJECT_ROOT, "tsconfig.json"),
    outfile,
    logLevel: "warning",
    // The sources are CommonJS-minded (__dirname, require); an ES module has neither.
    banner: {
      js: [
        `import { createRequire as __bbCreateRequire } from "node:module";`,
        `import { fileURLToPath as __bbFileURLToPath } from "node:url";`,
        `import __bbPath from "node:path";`,
        `const require = __bbCreateRequire(import.meta.url);`,
        `const __filename = __bbFileURLToPath(import.meta.url);`,
        `const __dirname = __bbPath.dirname(__filename);`,
      ].join("\n"),
    },
  });
  return outfile;
}
