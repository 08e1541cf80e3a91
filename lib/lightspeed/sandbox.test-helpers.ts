import { scaledClock, type Clock } from "@/lib/clock";
import type { Database } from "@/lib/db";
import { createTestTenant } from "@/scripts/test/db";
import { startLightspeedSandbox, type LightspeedSandbox, type LightspeedSandboxOptions } from "@/sandbox/lightspeed/server";
import { createLightspeedClient, type CreateLightspeedClientOptions, type LightspeedClient } from "./client";
import type { LsConfig } from "./config";
import { saveLightspeedTokens } from "./token-store";

/**
 * A sandbox on a loopback port and a tenant connected to it, for contract tests: the real client against the
 * sandbox over HTTP, both on one fast clock.
 */
export interface Connected {
  sandbox: LightspeedSandbox;
  tenantId: string;
  clock: Clock;
  config: Partial<LsConfig>;
  client: LightspeedClient;
  /** Another client for the same tenant (e.g. to act like a second worker). */
  newClient(extra?: Partial<CreateLightspeedClientOptions>): LightspeedClient;
  accountId: string;
}

export async function startSandbox(options: LightspeedSandboxOptions & { speed?: number } = {}): Promise<LightspeedSandbox> {
  const clock = options.clock ?? scaledClock(options.speed ?? 50);
  return startLightspeedSandbox({ profile: "test", ...options, clock });
}

export async function connect(
  database: Database,
  sandbox: LightspeedSandbox,
  options: { scopes?: string[]; accountId?: number; config?: Partial<LsConfig>; expiresInSeconds?: number } = {},
): Promise<Connected> {
  const clock = sandbox.clock;
  const tenantId = await createTestTenant(database);
  const account = sandbox.account(options.accountId);
  const tokens = await sandbox.issueTokens({ accountId: account.id, scopes: options.scopes });
  await saveLightspeedTokens(database, tenantId, {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: new Date(clock.now() + (options.expiresInSeconds ?? tokens.expiresIn) * 1000),
    scopes: options.scopes ?? [],
    accountId: String(account.id),
  });
  const client0 = sandbox.clients[0]!;
  const config: Partial<LsConfig> = {
    apiBaseUrl: sandbox.url,
    authBaseUrl: sandbox.url,
    clientId: client0.clientId,
    clientSecret: client0.clientSecret,
    backoffBaseMs: 200,
    ...options.config,
  };
  const newClient = (extra: Partial<CreateLightspeedClientOptions> = {}) => createLightspeedClient({ database, tenantId, clock, config, ...extra });
  return { sandbox, tenantId, clock, config, client: newClient(), newClient, accountId: String(account.id) };
}

export async function collect<T>(iter: AsyncIterable<{ records: T[]; malformed: unknown[] }>): Promise<{ records: T[]; malformed: unknown[]; pages: number }> {
  const records: T[] = [];
  const malformed: unknown[] = [];
  let pages = 0;
  for await (const p of iter) {
    records.push(...p.records);
    malformed.push(...p.malformed);
    pages++;
  }
  return { records, malformed, pages };
}
