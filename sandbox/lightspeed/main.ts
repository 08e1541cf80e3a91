import { PROFILE_SIZES, type Sizes } from "./generate";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startLightspeedSandbox } from "./server";

/**
 * The Lightspeed sandbox as its own process:
 *   tsx sandbox/lightspeed/main.ts --port 4010 --seed 42 --items 2000 --sales 5000 --speed 1 --app-url http://localhost:3000
 * Flags: --host, --port, --seed, --profile test|e2e|demo, --items, --matrices, --customers, --sales, --days, --speed,
 * --app-url, --client-id, --client-secret, --token-lifetime (seconds), --malformed-share (0–1), --register-limit,
 * --public-url, --accounts. It prints one JSON line `{"ready":true,"url":…}` when it listens; SIGTERM/SIGINT stop it.
 */
function flags(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) continue;
    const [key, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    if (inline !== undefined) out.set(key, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) out.set(key, argv[++i]!);
    else out.set(key, "true");
  }
  return out;
}

function num(f: Map<string, string>, key: string): number | undefined {
  const v = f.get(key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    console.error(`--${key} expects a number, got "${v}"`);
    process.exit(2);
  }
  return n;
}

async function main() {
  const f = flags(process.argv.slice(2));
  const profileRaw = f.get("profile") ?? "demo";
  if (!(profileRaw in PROFILE_SIZES)) {
    console.error(`--profile must be one of ${Object.keys(PROFILE_SIZES).join(", ")}`);
    process.exit(2);
  }
  const profile = profileRaw as keyof typeof PROFILE_SIZES;
  const sizes: Partial<Sizes> = {};
  for (const key of ["items", "matrices", "customers", "sales", "days"] as const) {
    const v = num(f, key);
    if (v !== undefined) sizes[key] = v;
  }
  const appUrl = f.get("app-url") ?? "http://localhost:3000";
  const started = Date.now();
  const sandbox = await startLightspeedSandbox({
    host: f.get("host") ?? "127.0.0.1",
    port: num(f, "port") ?? 0,
    seed: num(f, "seed") ?? 42,
    speed: num(f, "speed") ?? 1,
    profile,
    sizes,
    appUrl,
    publicUrl: f.get("public-url"),
    malformedShare: num(f, "malformed-share") ?? 0,
    accessTokenLifetimeSeconds: num(f, "token-lifetime") ?? 3600,
    // --accounts N: N merchants of the same size (a multi-tenant benchmark), each with its own data and bucket.
    accounts: Array.from({ length: num(f, "accounts") ?? 1 }, () => ({ registerLimit: num(f, "register-limit") ?? 3, sizes })),
    clients: [{ clientId: f.get("client-id") ?? DEFAULT_CLIENT_ID, clientSecret: f.get("client-secret") ?? DEFAULT_CLIENT_SECRET, redirectUri: `${appUrl.replace(/\/$/, "")}/api/auth/callback/lightspeed` }],
  });
  const s = sandbox.store;
  console.log(JSON.stringify({
    ready: true,
    url: sandbox.url,
    accountId: sandbox.accounts[0]!.id,
    counts: { items: s.items.size, matrices: s.matrices.size, customers: s.customers.size, sales: s.sales.size },
    startedInMs: Date.now() - started,
  }));
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
