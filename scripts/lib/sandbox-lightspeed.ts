import crypto from "node:crypto";
import path from "node:path";
import { freePort } from "./embedded-pg";
import { startProcess, waitForUrl } from "./processes";
import type { SandboxLauncher } from "./sandbox-launcher";
import { PROJECT_ROOT } from "./root";

/**
 * Starts the Lightspeed sandbox (sandbox/lightspeed/main.ts) as its own process on a free loopback port and
 * hands the app the configuration it would have for the real Lightspeed: one server answers both the auth
 * host (/auth/oauth/*, /.well-known/jwks) and the API host (/API/V3/…).
 */
export const lightspeedSandboxLauncher: SandboxLauncher = {
  name: "lightspeed",
  async start({ appUrl, seed, profile }) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const clientId = "butlerbridge-local";
    const clientSecret = crypto.randomBytes(24).toString("base64url");
    const root = PROJECT_ROOT;
    const proc = startProcess(
      path.join(root, "node_modules/.bin/tsx"),
      ["sandbox/lightspeed/main.ts", "--port", String(port), "--seed", String(seed), "--profile", profile, "--app-url", appUrl, "--client-id", clientId, "--client-secret", clientSecret, "--speed", "1"],
      { name: "lightspeed", cwd: root, env: { ...process.env } },
    );
    await waitForUrl(`${url}/__sandbox/health`, 120_000, proc.exited);
    return {
      name: "lightspeed",
      url,
      env: {
        LS_CLIENT_ID: clientId,
        LS_CLIENT_SECRET: clientSecret,
        LS_AUTH_BASE_URL: url,
        LS_API_BASE_URL: url,
        LS_LAUNCH_JWKS_URL: `${url}/.well-known/jwks`,
        LS_FRAME_ORIGINS: url,
      },
      info: [
        `back office (install link, custom menu button): ${url}/__sandbox/backoffice`,
        `store "Musterladen Berlin GmbH" (${profile} profile); consent page at ${url}/auth/oauth/authorize`,
        `faults: POST ${url}/__sandbox/faults  mutations: POST ${url}/__sandbox/mutate  stats: ${url}/__sandbox/stats`,
      ],
      stop: proc.stop,
    };
  },
};
