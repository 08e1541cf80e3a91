import { randomUUID } from "node:crypto";
import { expect, inject } from "vitest";
import { InlineDriver } from "@/inngest/inline-driver";
import { ORDERS_BACKFILL_EVENT, ORDERS_SYNC_EVENT } from "@/inngest/events";
import { ordersSync } from "@/inngest/functions/orders-sync";
import { createBbClient, saveBbCredentials, syncDebtorIndex } from "@/lib/buchhaltungsbutler";
import { scaledClock } from "@/lib/clock";
import { db, type Database } from "@/lib/db";
import { createLightspeedClient } from "@/lib/lightspeed";
import { connect } from "@/lib/lightspeed/sandbox.test-helpers";
import { applyProposedOrderMappings } from "@/lib/mapping/apply-proposed-order-mappings";
import { loadOrderMappings, saveMapping } from "@/lib/mapping/order-mappings";
import type { BbClient } from "@/lib/buchhaltungsbutler";
import type { Page } from "@/lib/lightspeed";
import type { LsPaymentType, LsSale } from "@/lib/lightspeed/domain";
import { PT } from "./fixtures.test-helpers";
import { runOrdersPage, startOrdersRun } from "./run-orders-sync";
import { proposeOrderMappings } from "@/lib/mapping/propose-order-mappings";
import { startBbSandbox, type BbSandbox } from "@/sandbox/buchhaltungsbutler/server";
import { SHOP_PAYMENT_ACCOUNTS } from "@/sandbox/buchhaltungsbutler/demo";
import { startLightspeedSandbox, type LightspeedSandbox, type LightspeedSandboxOptions } from "@/sandbox/lightspeed/server";
import type { FaultConfig } from "@/sandbox/buchhaltungsbutler/faults";
import type { SbPerson } from "@/sandbox/buchhaltungsbutler/model";
import { saveOrderSettings, type OrderSettings } from "./order-settings";
import { buildSyncDeps, type SyncDepsFactory } from "../deps";

export type BbSeedDebtor = Partial<Omit<SbPerson, "number" | "name">> & { name: string; number?: number };

export interface OrderWorld {
  /** The shared clock's parameters, for a worker process on the same clock. */
  clockParams: { speed: number; origin: number; realStart: number };
  lsConfig: { apiBaseUrl: string; clientId: string; clientSecret: string };
  ls: LightspeedSandbox;
  bb: BbSandbox;
  tenantId: string;
  bbApiKey: string;
  close(): Promise<void>;
  lsClient(): ReturnType<typeof createLightspeedClient>;
  bbClient(): ReturnType<typeof createBbClient>;
  /** The world's clients for the order job (`ordersSync.withDeps(world.deps)`). */
  deps: SyncDepsFactory;
}

/**
 * Both sandboxes on one fast clock, a tenant connected to both over HTTP, mappings as the setup wizard proposes
 * them for SKR03, the order flow switched on. The production code path runs unchanged against it.
 */
export async function startOrderWorld(
  database: Database,
  options: {
    speed?: number;
    ls?: LightspeedSandboxOptions;
    settings?: Partial<OrderSettings>;
    bbFaults?: Partial<FaultConfig>;
    mapUserDefined?: boolean;
    /** Debtors the merchant already has in BB before connecting (computed from the Lightspeed data). */
    bbDebtors?: (ls: LightspeedSandbox) => BbSeedDebtor[];
  } = {},
): Promise<OrderWorld> {
  void inject;
  const clockParams = { speed: options.speed ?? 200, origin: Date.now(), realStart: Date.now() };
  const clock = scaledClock(clockParams.speed, clockParams.origin, clockParams.realStart);
  const ls = await startLightspeedSandbox({ profile: "test", clock, ...options.ls });
  const bb = await startBbSandbox({ clock, faults: options.bbFaults });
  const conn = await connect(database, ls);
  const tenantId = conn.tenantId;
  const bbApiKey = `key-${randomUUID()}`;
  bb.addTenant({
    name: "Musterladen Berlin GmbH",
    apiClient: "test-client",
    apiSecret: "test-secret-0001",
    apiKey: bbApiKey,
    chart: "SKR03",
    debtorMode: "selective",
    paymentAccounts: SHOP_PAYMENT_ACCOUNTS,
    debtors: [{ number: 10001, name: "Laufkundschaft" }, ...(options.bbDebtors?.(ls) ?? [])],
  });
  await saveBbCredentials(database, tenantId, { mode: "own", apiKey: bbApiKey, apiClient: "test-client", apiSecret: "test-secret-0001" }, { check: { chart: "SKR03" } });
  const lsClient = () => conn.newClient();
  const bbClient = () => createBbClient({ database, tenantId, clock, baseUrl: bb.apiBaseUrl, readBackDelayMs: 200, backoffMs: 200 });

  const paymentTypes = await lsClient().listPaymentTypes();
  const proposal = proposeOrderMappings(
    "SKR03",
    paymentTypes,
    [
      { number: 1000, name: "Kasse", kind: "cash" },
      { number: 1792, name: "EC/Kreditkarte Lightspeed", kind: "other" },
    ],
  );
  await applyProposedOrderMappings(database, tenantId, proposal, { postingAccountNumber: 10001, name: "Laufkundschaft" });
  if (options.mapUserDefined !== false) {
    for (const p of proposal.paymentTypes) if (!p.target) await saveMapping(database, tenantId, "payment_type", p.paymentType.paymentTypeId, { kind: "tender", account: 1200 });
  }
  await syncDebtorIndex(database, tenantId, bbClient());
  const firstDay = new Date(clock.now() - 60 * 86_400_000).toISOString().slice(0, 10);
  await saveOrderSettings(database, tenantId, { startDate: firstDay, ...options.settings }, true);
  await database.updateTable("tenants").set({ status: "active", onboarded_at: new Date() }).where("id", "=", tenantId).execute();

  return {
    clockParams,
    lsConfig: { apiBaseUrl: ls.url, clientId: String(conn.config.clientId), clientSecret: String(conn.config.clientSecret) },
    ls,
    bb,
    tenantId,
    bbApiKey,
    lsClient,
    bbClient,
    // The job's own pool, as in production; the clients are the world's.
    deps: (id) => buildSyncDeps(db(), id, { ls: lsClient(), bb: bbClient(), clock }),
    close: async () => {
      await Promise.all([ls.close(), bb.close()]);
    },
  };
}

/** One order job through the inline driver — a backfill of the last 30 days or a poll — and no run failed. */
export async function runOrderJob(w: OrderWorld, kind: "backfill" | "poll"): Promise<InlineDriver> {
  const driver = new InlineDriver({ definitions: [ordersSync.withDeps(w.deps)], backoffMs: () => 5 });
  if (kind === "backfill") {
    const from = new Date(w.ls.clock.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    await driver.send({ name: ORDERS_BACKFILL_EVENT, data: { tenantId: w.tenantId, kind: "backfill", from } });
  } else await driver.send({ name: ORDERS_SYNC_EVENT, data: { tenantId: w.tenantId, kind: "poll" } });
  await driver.idle();
  expect([...driver.runs.values()].filter((r) => r.status === "failed").map((r) => String(r.error))).toEqual([]);
  return driver;
}

/** The world's cash payment type (mapped to the cash account 1000 by the proposed mappings). */
export async function cashTypeOf(database: Database, w: OrderWorld): Promise<LsPaymentType> {
  const mappings = await loadOrderMappings(database, w.tenantId);
  const id = [...mappings.paymentTypes].find(([, m]) => m.kind === "tender" && m.account === 1000)![0];
  return { ...PT.cash!, paymentTypeId: id };
}

/** The world's Lightspeed client, answering `sales` (one page) wherever the order flow reads sales. */
export function lsAnswering(w: OrderWorld, sales: LsSale[]) {
  const page: Page<LsSale> = { records: sales, malformed: [], cursor: { timeStamp: sales.at(-1)!.timeStamp, ids: sales.map((s) => s.saleId) } };
  return new Proxy(w.lsClient(), {
    get(target, key) {
      if (key === "getSale") return async (id: string) => sales.find((s) => s.saleId === id) ?? null;
      if (key === "readSales") return () => ({ [Symbol.asyncIterator]: async function* () { yield page; } });
      return Reflect.get(target, key, target) as unknown;
    },
  });
}

/** One orders run as the job starts it (a poll, or the merchant's resync of one sale), Lightspeed answering `sales`. */
export async function runOrdersOn(database: Database, w: OrderWorld, sales: LsSale[], options: { resync?: string; bb?: BbClient } = {}) {
  const deps = buildSyncDeps(database, w.tenantId, { ls: lsAnswering(w, sales), bb: options.bb ?? w.bbClient() });
  const request = options.resync ? { kind: "resync" as const, saleId: options.resync } : { kind: "poll" as const };
  const run = await startOrdersRun(deps, { tenantId: w.tenantId, ...request });
  if (!run.proceed) throw new Error(run.reason);
  return runOrdersPage(deps, { tenantId: w.tenantId, runId: run.runId, ...request });
}
