// Installs dependencies when node_modules is missing or older than the lockfile, so `npm run demo` and
// `npm test` work as the first command on a fresh clone. Plain JS: it runs before anything is installed.
import { execSync } from "node:child_process";
import fs from "node:fs";

const lock = "package-lock.json";
const marker = "node_modules/.package-lock.json";
const stale = !fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs + 1000);
// A node_modules that is a link to another checkout's (worktrees share one) belongs to that checkout: `npm ci`
// would empty the shared directory through the link, under every other worktree. Leave it to its owner.
const shared = fs.existsSync("node_modules") && fs.lstatSync("node_modules").isSymbolicLink();
if (stale && shared) {
  console.warn(`node_modules links to ${fs.realpathSync("node_modules")} and looks older than ${lock}: not reinstalling through the link (run npm ci in that checkout if it is really out of date).`);
} else if (stale) {
  console.log("Installing dependencies (first run or the lockfile changed)…");
  execSync(fs.existsSync(lock) ? "npm ci --no-audit --no-fund" : "npm install --no-audit --no-fund", { stdio: "inherit" });
  // npm ci writes the marker before the lockfile's mtime can catch up on some file systems; make it newer.
  if (fs.existsSync(marker)) fs.utimesSync(marker, new Date(), new Date());
}
