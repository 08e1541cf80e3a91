import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const TESTS = ["**/*.test.ts", "**/*.test.tsx", "**/*test-helpers.ts", "**/test-helpers/**"];

/** Layering (DESIGN.md §3): each zone names a folder and the folders its production code may not import. */
const boundaries = [
  { target: "./lib", from: ["./app", "./inngest", "./components", "./sandbox", "./scripts", "./e2e"], message: "lib/ is the bottom layer: pass what it needs in (SyncDeps, a sender), don't import app/inngest/components." },
  { target: "./components", from: ["./app", "./inngest", "./sandbox", "./scripts", "./e2e"], message: "components/ render props; data and action types come from lib/." },
  { target: "./inngest", from: ["./app", "./components", "./sandbox", "./scripts", "./e2e"], message: "jobs call lib/; they never reach into the UI or the sandboxes." },
  { target: "./app", from: ["./sandbox", "./scripts", "./e2e", "./inngest/functions"], message: "app/ asks for work through lib/sync/request-sync (or inngest/jobs), never a job's module; sandboxes and scripts are not production code." },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".next-*/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", "e2e/artifacts/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-anonymous-default-export": "off",
    },
  },
  {
    files: ["app/**", "components/**", "lib/**", "inngest/**", "db/**", "proxy.ts", "instrumentation.ts"],
    ignores: TESTS,
    settings: { "import/resolver": { typescript: { project: "./tsconfig.json" } } },
    rules: {
      "import/no-restricted-paths": ["error", { zones: boundaries }],
      // A cycle hides an order of initialisation and usually a missing module between the two.
      "import/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
];

export default config;
