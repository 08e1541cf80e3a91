import path from "node:path";
import { DEMO_PARTNER, DEMO_TENANT, EXTRA_TENANTS } from "../../sandbox/buchhaltungsbutler/demo";
import { freePort } from "./embedded-pg";
import { startProcess, waitForUrl } from "./processes";
import type { SandboxLauncher } from "./sandbox-launcher";
import { PROJECT_ROOT } from "./root";

/**
 * Starts the BuchhaltungsButler sandbox (sandbox/buchhaltungsbutler/main.ts) as its own process on a free
 * loopback port and hands the app what it would have for the real BB: the API base URL and our partner
 * client/secret. The merchant side is the seeded "Musterladen Berlin GmbH", which activated the partner.
 */
export const buchhaltungsbutlerSandboxLauncher: SandboxLauncher = {
  name: "buchhaltungsbutler",
  async start({ seed }) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const root = PROJECT_ROOT;
    const proc = startProcess(path.join(root, "node_modules/.bin/tsx"), ["sandbox/buchhaltungsbutler/main.ts", "--port", String(port), "--seed", String(seed), "--speed", "1"], {
      name: "buchhaltungsbutler",
      cwd: root,
      env: { ...process.env },
    });
    await waitForUrl(`${url}/__sandbox/health`, 120_000, proc.exited);
    const [hamburg, inactive] = EXTRA_TENANTS;
    return {
      name: "buchhaltungsbutler",
      url,
      env: {
        BB_API_BASE_URL: `${url}/api/v1`,
        BB_PARTNER_CLIENT: DEMO_PARTNER.apiClient,
        BB_PARTNER_SECRET: DEMO_PARTNER.apiSecret,
      },
      info: [
        `"${DEMO_TENANT.name}" (SKR03, Debitoren selektiv): partner API key ${DEMO_TENANT.partners![DEMO_PARTNER.apiClient]}`,
        `  own access: client ${DEMO_TENANT.apiClient}, secret ${DEMO_TENANT.apiSecret}, key ${DEMO_TENANT.apiKey}`,
        `"${hamburg!.name}": partner API key ${hamburg!.partners![DEMO_PARTNER.apiClient]}; "${inactive!.name}": ${inactive!.partners![DEMO_PARTNER.apiClient]}`,
        `books (debtors, receipts, postings, trial balance): ${url}/__sandbox`,
        `faults: POST ${url}/__sandbox/faults  stats: ${url}/__sandbox/stats  new tenant: POST ${url}/__sandbox/tenants`,
      ],
      stop: proc.stop,
    };
  },
};
