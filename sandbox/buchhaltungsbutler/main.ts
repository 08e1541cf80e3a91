import fs from "node:fs";
import { DEMO_PARTNER, DEMO_TENANT, EXTRA_TENANTS, seedDemoHistory } from "./demo";
import type { TenantSeed } from "./model";
import { startBbSandbox } from "./server";

/**
 * `tsx sandbox/buchhaltungsbutler/main.ts [--port 0] [--host 127.0.0.1] [--speed 1] [--seed 1] [--no-demo]
 *   [--config tenants.json] [--faults '{"error500Rate":0.05}']`
 * Starts the sandbox as its own process and prints one JSON line with its URL and the demo credentials.
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const tenants: TenantSeed[] = [];
  if (!process.argv.includes("--no-demo")) tenants.push(DEMO_TENANT, ...EXTRA_TENANTS);
  const config = arg("config");
  if (config) tenants.push(...(JSON.parse(fs.readFileSync(config, "utf8")) as TenantSeed[]));
  const sandbox = await startBbSandbox({
    port: Number(arg("port") ?? 0),
    host: arg("host") ?? "127.0.0.1",
    speed: Number(arg("speed") ?? 1),
    seed: Number(arg("seed") ?? 1),
    partners: [DEMO_PARTNER],
    tenants,
    faults: arg("faults") ? (JSON.parse(arg("faults")!) as Record<string, unknown>) : undefined,
  });
  if (!process.argv.includes("--no-demo")) await seedDemoHistory(sandbox.apiBaseUrl);
  console.log(
    JSON.stringify({
      url: sandbox.url,
      apiBaseUrl: sandbox.apiBaseUrl,
      inspect: `${sandbox.url}/__sandbox`,
      partner: { client: DEMO_PARTNER.apiClient, secret: DEMO_PARTNER.apiSecret },
      tenants: sandbox.state.tenants.map((t) => ({ name: t.name, apiClient: t.apiClient, apiSecret: t.apiSecret, apiKey: t.apiKey, partnerKeys: t.partnerKeys })),
    }),
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
