import { spawn } from "node:child_process";
import { buildBenchmark, listBenchmarks } from "./lib/build-benchmark";

/**
 * `npm run bench -- <name> [--json] [--flag value …]`. Each benchmark lives in scripts/bench/<name>.ts and
 * exports `run(flags)`. It runs against the sandboxes at an accelerated clock and reports `achieved` against
 * the `bound` the APIs' limits allow for the same work; the ratio is the result (absolute times on shared
 * machines are noise). The last line printed is one JSON object.
 */
export interface BenchResult {
  name: string;
  achieved: number;
  bound: number;
  ratio: number;
  unit: string;
  [detail: string]: unknown;
}

export type BenchFlags = Record<string, string | boolean>;

function parseFlags(argv: string[]): BenchFlags {
  const flags: BenchFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) continue;
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags[key] = next;
      i++;
    } else flags[key] = true;
  }
  return flags;
}

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const available = listBenchmarks();
  if (!name || !available.includes(name)) {
    console.error(`usage: npm run bench -- <${available.join("|") || "no benchmarks yet"}> [--json]`);
    process.exit(2);
  }
  const flags = parseFlags(rest);
  const entry = await buildBenchmark(name);
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []), entry], {
    stdio: "inherit",
    env: { ...process.env, BENCH_FLAGS: JSON.stringify(flags) },
  });
  // The benchmark starts sandboxes and a database; a stop aimed at this launcher must reach it to clean them up.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
