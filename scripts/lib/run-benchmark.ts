import type { BenchFlags, BenchResult } from "../bench";

/**
 * The benchmark's own process (compiled by scripts/bench.ts, flags in BENCH_FLAGS): run it, print the result
 * (the last line is one JSON object), exit.
 */
export function runBenchmark(mod: { run(flags: BenchFlags): Promise<BenchResult> }): void {
  const flags = JSON.parse(process.env.BENCH_FLAGS ?? "{}") as BenchFlags;
  mod
    .run(flags)
    .then((result) => {
      if (!flags.json) {
        for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(24)} ${typeof v === "object" ? JSON.stringify(v) : v}`);
      }
      console.log(JSON.stringify(result));
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
