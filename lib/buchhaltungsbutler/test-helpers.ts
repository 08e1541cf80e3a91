import { afterAll } from "vitest";
import { scaledClock, type Clock } from "../clock";
import type { Database } from "../db";
import { createTestTenant } from "@/scripts/test/db";
import { startBbSandbox, type BbSandbox, type BbSandboxOptions } from "@/sandbox/buchhaltungsbutler/server";
import type { SbTenant, TenantSeed } from "@/sandbox/buchhaltungsbutler/model";
import { createBbClient, type BbClientOptions } from "./client";

/** One sandbox per test file (closed afterwards); each `connect` makes a fresh DB tenant + BB tenant + client. */
export async function testSandbox(options: BbSandboxOptions & { speed?: number } = {}): Promise<BbSandbox> {
  const clock: Clock = options.clock ?? scaledClock(options.speed ?? 200);
  const sandbox = await startBbSandbox({ ...options, clock });
  afterAll(() => sandbox.close());
  return sandbox;
}

let n = 0;

export async function connect(
  database: Database,
  sandbox: BbSandbox,
  seed: Partial<TenantSeed> = {},
  clientOptions: Partial<BbClientOptions> = {},
): Promise<{ tenantId: string; bb: SbTenant; client: ReturnType<typeof createBbClient> }> {
  const tenantId = await createTestTenant(database);
  const bb = sandbox.addTenant({ name: `Shop ${++n}`, ...seed });
  const client = createBbClient({
    database,
    tenantId,
    credentials: { apiClient: bb.apiClient, apiSecret: bb.apiSecret, apiKey: bb.apiKey },
    baseUrl: sandbox.apiBaseUrl,
    clock: sandbox.clock,
    timeoutMs: 10_000,
    ...clientOptions,
  });
  return { tenantId, bb, client };
}
