// Installs dependencies when node_modules is missing or older than the lockfile, so `npm run demo` and
// `npm test` work as the first command on a fresh clone. Plain JS: it runs before anything is installed.
import { execSync } from "node:child_process";
import fs from "node:fs";

const lock = "package-lock.json";
const marker = "node_modules/.package-lock.json";
// A node_modules that is a link to another checkout's (a git worktree) belongs to that checkout: never wipe it.
const linked = fs.existsSync("node_modules") && fs.lstatSync("node_modules").isSymbolicLink();
const stale = !linked && (!fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs + 1000));
if (stale) {
  console.log("Installing dependencies (first run or the lockfile changed)…");
  execSync(fs.existsSync(lock) ? "npm ci --no-audit --no-fund" : "npm install --no-audit --no-fund", { stdio: "inherit" });
  // npm ci writes the marker before the lockfile's mtime can catch up on some file systems; make it newer.
  if (fs.existsSync(marker)) fs.utimesSync(marker, new Date(), new Date());
}
