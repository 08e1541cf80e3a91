import fs from "node:fs";
import path from "node:path";

/**
 * The checkout's root, found from this file upwards rather than by a fixed number of `..`: the benchmarks run
 * from a compiled bundle in node_modules/.cache, where this file's directory is not scripts/lib.
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "butlerbridge") return dir;
    if (path.dirname(dir) === dir) throw new Error(`no butlerbridge package.json above ${start}`);
  }
}

export const PROJECT_ROOT = findRoot(__dirname);
