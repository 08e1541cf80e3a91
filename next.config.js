// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WASM-heavy server packages stay outside the bundle.
  serverExternalPackages: ["pg", "pino", "@electric-sql/pglite"],
  poweredByHeader: false,
  typedRoutes: false,
  // A separate build dir lets e2e builds coexist with a running `next dev`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

module.exports = nextConfig;
