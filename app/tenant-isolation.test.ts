import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { saveBbCredentials } from "@/lib/buchhaltungsbutler";
import { AppError } from "@/lib/errors/app-error";
import { resetEnvCache } from "@/lib/env";
import { saveLightspeedTokens } from "@/lib/lightspeed";
import { saveMapping } from "@/lib/mapping/order-mappings";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { startBbSandbox, type BbSandbox } from "@/sandbox/buchhaltungsbutler/server";

/**
 * Every route handler and server action, found on the file system (so a new one cannot be forgotten), is called
 * as tenant A with tenant B's ids and must leave B's data untouched and send no job for B; called without a
 * session it must be refused. Public routes are listed with the reason they are public.
 */

type Ctx = { tenantId: string; userId: string; tenantName: string; tenantStatus: string; role: "admin" | "viewer" } | null;
let current: Ctx = null;
const sent: { name: string; data: { tenantId?: string } }[] = [];

class RedirectSignal extends Error {
  constructor(readonly url: string) {
    super(`redirect ${url}`);
  }
}

vi.mock("@/lib/auth/session", () => ({
  getTenantContext: async () => current,
  requireTenant: async () => {
    if (!current) throw new AppError("UNAUTHENTICATED");
    return current;
  },
}));
vi.mock("@/lib/auth", () => ({ signOut: vi.fn(async () => undefined), signIn: vi.fn(async () => undefined), auth: vi.fn(async () => null), handlers: {} }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new RedirectSignal(url);
  },
  notFound: () => {
    throw new RedirectSignal("404");
  },
}));
vi.mock("@/inngest/jobs", () => ({
  jobs: {
    send: vi.fn(async (name: string, data: unknown) => {
      sent.push(...([data].flat() as { tenantId?: string }[]).map((d) => ({ name, data: d })));
      return { ids: [] };
    }),
  },
}));

const database = testDb();
const ROOT = path.resolve(__dirname, "..");
const MARKER = `B-SECRET-${randomUUID()}`;

/** Routes anyone may call, and why. */
const PUBLIC: Record<string, string> = {
  "app/api/health/route.ts#GET": "liveness probe; says only whether the database answers",
  "app/api/auth/[...nextauth]/route.ts#GET": "Auth.js sign-in and OAuth callback; creates the session",
  "app/api/auth/[...nextauth]/route.ts#POST": "Auth.js sign-out and CSRF-protected sign-in",
  "app/install/route.ts#GET": "the install URL from the Lightspeed listing: starts OAuth",
  "app/launch/route.ts#GET": "Custom Menu Button launch: verified by its RS256 signature, opens a session only for an installed account",
  "app/launch/switch/route.ts#POST": "answers our own 'switch account?' page: same origin only, and only with the launch session that page parked in this browser",
};

/**
 * Handlers a viewer (a cashier launching from the register) may call, and why. Every other server action must
 * refuse them with FORBIDDEN; the log export with 403.
 */
const VIEWER_OK: Record<string, string> = {
  "app/actions.ts#signOutAction": "ends the viewer's own session",
  "app/api/status/route.ts#GET": "the read-only status the dashboard polls",
};

/** Non-public handlers that may run without a session because they touch no tenant's data. */
const NO_SESSION_OK: Record<string, string> = {
  "app/actions.ts#signOutAction": "signing out without a session only clears the cookie",
};

interface BIds {
  tenantId: string;
  notificationId: string;
  activityId: number;
  saleId: string;
}

type Case = { call: (b: BIds) => Promise<unknown> };

async function importApp<T>(rel: string): Promise<T> {
  return (await import(path.join(ROOT, rel))) as T;
}

function form(values: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) for (const x of [v].flat()) f.append(k, x);
  return f;
}

type Fn = (...args: unknown[]) => Promise<unknown>;
const action = (file: string, name: string, args: (b: BIds) => unknown[]): [string, Case] => [
  `${file}#${name}`,
  { call: async (b) => ((await importApp<Record<string, Fn>>(file))[name]!)(...args(b)) },
];
const get = (file: string, query = ""): [string, Case] => [
  `${file}#GET`,
  {
    call: async () => {
      const mod = await importApp<{ GET: (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> }>(file);
      return mod.GET(new NextRequest(`http://localhost/x${query}`), { params: Promise.resolve({}) });
    },
  },
];

/**
 * The job endpoint as an attacker calls it: unsigned, asking for the function that lists every tenant. With the
 * inline driver (this test's mode) it must not exist; Inngest mode is covered in app/api/inngest/route.test.ts.
 */
const jobCall = (method: "GET" | "POST" | "PUT"): [string, Case] => [
  `app/api/inngest/route.ts#${method}`,
  {
    call: async () => {
      const mod = await importApp<Record<typeof method, (req: NextRequest, ctx: unknown) => Promise<Response>>>("app/api/inngest/route.ts");
      const req = new NextRequest("http://localhost/api/inngest?fnId=butlerbridge-log-retention-sweep&stepId=step", {
        method,
        ...(method === "GET" ? {} : { body: JSON.stringify({ event: { name: "inngest/scheduled.timer", data: {} }, events: [], steps: {}, ctx: { run_id: "r1", attempt: 0, stack: { stack: [] } }, version: 2 }), headers: { "content-type": "application/json" } }),
      });
      return mod[method](req, { params: Promise.resolve({}) });
    },
  },
];
const JOB_ENDPOINT = new Set(["GET", "POST", "PUT"].map((m) => `app/api/inngest/route.ts#${m}`));

const CASES: Record<string, Case> = Object.fromEntries([
  action("app/actions.ts", "signOutAction", () => []),
  action("app/actions.ts", "syncNowAction", () => ["orders"]),
  action("app/activity/actions.ts", "resyncEntryAction", (b) => [{ ok: false }, form({ id: String(b.activityId) })]),
  action("app/mappings/actions.ts", "saveFieldRulesAction", () => [{ ok: false }, form({ kind: "customer", rules: "[]" })]),
  action("app/mappings/actions.ts", "saveDefaultDebtorAction", () => [form({ defaultDebtor: "10001|Laufkundschaft" })]),
  action("app/mappings/actions.ts", "saveCategoryAccountsAction", () => [{ ok: false }, form({ "cat.7|19": "8401" })]),
  action("app/mappings/actions.ts", "saveProductNamesAction", () => [{ ok: false }, form({ "attr.1|1": "Farbe" })]),
  action("app/notifications/actions.ts", "markAllReadAction", () => []),
  action("app/notifications/actions.ts", "dismissAction", (b) => [form({ id: b.notificationId })]),
  action("app/notifications/actions.ts", "retryAllAction", (b) => [{ ok: false }, form({ id: b.notificationId })]),
  action("app/settings/actions.ts", "saveSettingsAction", () => [
    { ok: false },
    form({ "orders.enabled": "on", "orders.schedule": "", "products.schedule": "", "stock.schedule": "", logRetentionDays: "30", notificationEmail: "", postingMode: "per_sale", cutoffHour: "4", editsAfterSync: "ignore" }),
  ]),
  action("app/settings/actions.ts", "testEmailAction", () => [{ ok: false }]),
  action("app/settings/actions.ts", "eraseCustomerAction", (b) => [{ ok: false }, form({ customer: b.saleId })]),
  action("app/stock/actions.ts", "saveStockSettingsAction", () => [{ ok: false }, form({ availableFormula: "on_hand", managedInBb: "on", valuationFrequency: "month", firstValuation: "baseline", stockAccount: "", stockChangeAccount: "" })]),
  action("app/setup/actions.ts", "connectBbAction", () => [{ ok: false }, form({ mode: "own", apiClient: "iso-client", apiSecret: "iso-secret-0001", apiKey: "iso-key-a-0001" })]),
  action("app/setup/actions.ts", "testBbAction", () => []),
  action("app/setup/actions.ts", "disconnectBbAction", () => []),
  action("app/setup/actions.ts", "completeStepAction", () => [form({ step: "1" })]),
  action("app/setup/actions.ts", "saveFlowsAction", () => [form({ flows: ["orders"] })]),
  action("app/setup/actions.ts", "saveSettingsStepAction", () => [form({ postingMode: "per_sale", startDate: "2026-01-01", cutoffHour: "0" })]),
  action("app/setup/actions.ts", "createWalkInDebtorAction", () => []),
  action("app/setup/actions.ts", "saveOrderMappingsAction", () => [{ ok: false }, form({})]),
  action("app/setup/actions.ts", "confirmDryRunAction", () => [form({ date: "2026-11-27" })]),
  action("app/setup/actions.ts", "goLiveAction", () => []),
  // Destructive for A, so last.
  action("app/setup/actions.ts", "uninstallAction", () => []),
  get("app/api/status/route.ts"),
  get("app/api/activity/export/route.ts", "?q="),
  ...(["GET", "POST", "PUT"] as const).map((m) => jobCall(m)),
]);

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every exported handler on the file system: HTTP methods of route files, functions of "use server" files. */
async function discover(): Promise<string[]> {
  const found: string[] = [];
  for (const file of walk(path.join(ROOT, "app"))) {
    const rel = path.relative(ROOT, file).split(path.sep).join("/");
    const src = fs.readFileSync(file, "utf8");
    if (/\/route\.tsx?$/.test(rel)) {
      for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE"]) if (new RegExp(`export (const|async function|function) \\{?[^;]*\\b${m}\\b|export const \\{[^}]*\\b${m}\\b`).test(src)) found.push(`${rel}#${m}`);
    } else if (/^\s*["']use server["']/.test(src)) {
      for (const m of src.matchAll(/export async function (\w+)/g)) found.push(`${rel}#${m[1]}`);
    }
  }
  return found.sort();
}

let bb: BbSandbox;
let a: string;
let b: BIds;

async function snapshotOf(tenantId: string): Promise<string> {
  const tables = ["connections", "flow_settings", "sync_cursors", "mappings", "sync_links", "sync_runs", "activity_log", "notifications", "audit_log"];
  const out: Record<string, unknown> = {};
  out.tenant = (await sql`select * from tenants where id = ${tenantId}`.execute(database)).rows;
  for (const t of tables) out[t] = (await sql`select * from ${sql.table(t)} where tenant_id = ${tenantId} order by 1`.execute(database)).rows;
  return JSON.stringify(out);
}

beforeAll(async () => {
  bb = await startBbSandbox();
  bb.addTenant({ name: "A GmbH", apiClient: "iso-client", apiSecret: "iso-secret-0001", apiKey: "iso-key-a-0001", chart: "SKR03", debtorMode: "selective", paymentAccounts: [{ number: 1000, name: "Kasse", type: "cash" }] });
  process.env.BB_API_BASE_URL = bb.apiBaseUrl;
  resetEnvCache();

  a = await createTestTenant(database, { name: "A GmbH" });
  const bId = await createTestTenant(database, { name: "B GmbH", settings: { logRetentionDays: 60, redactPii: false } });
  await saveLightspeedTokens(database, bId, { accessToken: "b-access", refreshToken: "b-refresh", expiresAt: new Date(Date.now() + 3_600_000), scopes: [], accountId: "b-acct" });
  await saveBbCredentials(database, bId, { mode: "own", apiKey: "b-key-0001", apiClient: "b-client", apiSecret: "b-secret-0001" });
  await saveMapping(database, bId, "default_debtor", "default", { postingAccountNumber: 10009, name: "B Laufkundschaft" });
  await database.insertInto("flow_settings").values({ tenant_id: bId, flow: "orders", enabled: true, settings: "{}", updated_at: new Date() }).execute();
  const act = await database
    .insertInto("activity_log")
    .values({ tenant_id: bId, flow: "orders", entity: "sale", source_id: "777", reference: "777", result: "failed", message: MARKER, error_code: "MAPPING_MISSING" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await database.insertInto("sync_links").values({ tenant_id: bId, entity: "sale", source_id: "777", status: "failed", last_error: JSON.stringify({ code: "MAPPING_MISSING", dedupeKey: "mapping:payment_type:7" }), target_ids: "{}", updated_at: new Date() }).execute();
  const n = await database
    .insertInto("notifications")
    .values({ tenant_id: bId, severity: "error", code: "MAPPING_MISSING", title: MARKER, body: MARKER, dedupe_key: "mapping:payment_type:7", flow: "orders", entity: "sale", source_id: "777", updated_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  b = { tenantId: bId, notificationId: n.id, activityId: Number(act.id), saleId: "777" };
});

afterAll(async () => {
  await bb?.close();
});

describe("tenant isolation", () => {
  /** What a handler returned or threw: both are outcomes the isolation checks inspect. */
  const settle = async (call: () => Promise<unknown>): Promise<unknown> => {
    try {
      return await call();
    } catch (e) {
      return e;
    }
  };

  it("has a case for every route handler and server action", async () => {
    const found = await discover();
    const covered = new Set([...Object.keys(CASES), ...Object.keys(PUBLIC)]);
    expect(found.filter((f) => !covered.has(f))).toEqual([]);
    expect([...covered].filter((c) => !found.includes(c))).toEqual([]);
  });

  it("refuses every non-public handler without a session, changing nothing", async () => {
    current = null;
    const before = [await snapshotOf(a), await snapshotOf(b.tenantId)];
    for (const [name, c] of Object.entries(CASES)) {
      const outcome = await settle(() => c.call(b));
      if (NO_SESSION_OK[name]) continue;
      if (JOB_ENDPOINT.has(name)) expect(outcome instanceof Response && outcome.status, `${name} must not exist with the inline driver`).toBe(404);
      else if (outcome instanceof Response) expect(outcome.status, name).toBe(401);
      else expect(outcome instanceof AppError && outcome.code === "UNAUTHENTICATED", `${name} must refuse without a session (got ${String(outcome)})`).toBe(true);
    }
    expect([await snapshotOf(a), await snapshotOf(b.tenantId)]).toEqual(before);
    expect(sent).toEqual([]);
  });

  it("refuses a viewer every server action and the log export, changing nothing", async () => {
    current = { tenantId: a, userId: "viewer-a", tenantName: "A GmbH", tenantStatus: "active", role: "viewer" };
    const before = [await snapshotOf(a), await snapshotOf(b.tenantId)];
    const sentBefore = sent.length;
    const found = await discover();
    for (const name of found) {
      if (PUBLIC[name] || VIEWER_OK[name] || JOB_ENDPOINT.has(name)) continue;
      const c = CASES[name];
      expect(c, `${name} has no case`).toBeDefined();
      const outcome = await settle(() => c!.call(b));
      if (outcome instanceof Response) expect(outcome.status, `${name} must refuse a viewer`).toBe(403);
      else expect(outcome instanceof AppError && outcome.code === "FORBIDDEN", `${name} must refuse a viewer (got ${String(outcome)})`).toBe(true);
    }
    expect([await snapshotOf(a), await snapshotOf(b.tenantId)]).toEqual(before);
    expect(sent.length).toBe(sentBefore);
  });

  it("lets tenant A reach nothing of tenant B through any handler", async () => {
    current = { tenantId: a, userId: "user-a", tenantName: "A GmbH", tenantStatus: "active", role: "admin" };
    const before = await snapshotOf(b.tenantId);
    for (const [name, c] of Object.entries(CASES)) {
      const outcome = await settle(() => c.call(b));
      if (outcome instanceof Response) {
        const text = await outcome.text();
        expect(text, `${name} leaked B's data`).not.toContain(MARKER);
        expect(outcome.status, name).toBeLessThan(500);
      } else if (outcome instanceof Error && !(outcome instanceof RedirectSignal) && !(outcome instanceof AppError)) {
        throw new Error(`${name} failed unexpectedly: ${outcome.stack}`);
      } else if (outcome && typeof outcome === "object") {
        expect(JSON.stringify(outcome), `${name} leaked B's data`).not.toContain(MARKER);
      }
      expect(await snapshotOf(b.tenantId), `${name} changed tenant B's data`).toEqual(before);
    }
    expect(sent.filter((e) => e.data.tenantId === b.tenantId)).toEqual([]);
    expect(sent.every((e) => e.data.tenantId === a)).toBe(true);
    expect(sent.length).toBeGreaterThan(0);
  });
});
