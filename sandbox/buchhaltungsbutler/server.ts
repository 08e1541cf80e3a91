import http from "node:http";
import type { AddressInfo } from "node:net";
import { scaledClock, systemClock, type Clock } from "@/lib/clock";
import { parseBody, readRaw } from "./body";
import { DEFAULT_LIMITS, DEFAULT_STRICTNESS, type SbLimits, type SbStrictness } from "./context";
import { decideFault, NO_FAULTS, seededRandom, type FaultConfig } from "./faults";
import { indexPage, inspectTenant, tenantPage } from "./inspect";
import { RateWindows } from "./limits";
import { createTenant, randomToken, type SbPartner, type SbTenant, type TenantSeed } from "./model";
import { SbError } from "./params";
import { matchRoute } from "./routes";

/**
 * A BuchhaltungsButler API v1 look-alike on a loopback port: `POST /api/v1/<path>`, Basic auth with API
 * client:secret, `api_key` in the body. State lives in memory; `/__sandbox/…` drives and inspects it.
 */
export interface BbSandboxOptions {
  port?: number;
  host?: string;
  /** Clock speed factor (×50: a minute of rate limit passes in 1.2 s). Ignored when `clock` is given. */
  speed?: number;
  clock?: Clock;
  tenants?: TenantSeed[];
  partners?: SbPartner[];
  strictness?: Partial<SbStrictness>;
  limits?: Partial<SbLimits>;
  faults?: Partial<FaultConfig>;
  /** Seed for the fault dice (reproducible runs). */
  seed?: number;
}

export interface RequestLogEntry {
  tenant: string | null;
  path: string;
  at: number;
  status: number;
  errorCode: number | null;
  fault: string | null;
  throttled?: boolean;
}

export interface SandboxState {
  tenants: SbTenant[];
  partners: SbPartner[];
  strict: SbStrictness;
  limits: SbLimits;
  log: RequestLogEntry[];
}

export interface FaultControl {
  get(): FaultConfig;
  set(config: Partial<FaultConfig>): void;
  reset(): void;
}

export interface BbSandbox {
  /** Base URL of the server, e.g. http://127.0.0.1:4321 */
  url: string;
  /** What the client calls BB_API_BASE_URL: `${url}/api/v1`. */
  apiBaseUrl: string;
  state: SandboxState;
  faults: FaultControl;
  clock: Clock;
  addTenant(seed: TenantSeed): SbTenant;
  tenant(apiKey: string): SbTenant;
  stats(apiKey?: string): SandboxStats;
  close(): Promise<void>;
}

export interface SandboxStats {
  requests: number;
  throttled: number;
  byPath: Record<string, number>;
  faults: Record<string, number>;
  /** The most calls of one tenant that arrived within any rolling window (must stay ≤ the limit). */
  maxInWindow: number;
  /** Per batch path, the shortest gap between two admitted calls (sandbox-clock ms). */
  minBatchGapMs: Record<string, number>;
  /** CPU used so far by the process serving the sandbox (its own when started by main.ts), for benchmarks. */
  processCpuMs: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
};

const ERROR_0 = { status: 500, code: 0, message: "error while processing the request" };
const ERROR_30 = { status: 504, code: 30, message: "a timeout occurred while processing the request" };

const NOT_FOUND_HTML = `<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>`;

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "set-cookie": "bbutler=sandbox; Path=/; HttpOnly" });
  res.end(text);
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html) });
  res.end(html);
}

function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[lo]! <= times[hi]! - windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

export async function startBbSandbox(options: BbSandboxOptions = {}): Promise<BbSandbox> {
  const clock = options.clock ?? (options.speed && options.speed !== 1 ? scaledClock(options.speed) : systemClock);
  const state: SandboxState = {
    tenants: [],
    partners: [...(options.partners ?? [])],
    strict: { ...DEFAULT_STRICTNESS, ...options.strictness },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    log: [],
  };
  let faultConfig: FaultConfig = { ...NO_FAULTS, ...options.faults };
  const random = seededRandom(options.seed ?? 1);
  const windows = new RateWindows(() => state.limits);

  const addTenant = (seed: TenantSeed): SbTenant => {
    const t = createTenant(seed);
    if (state.tenants.some((x) => x.apiKey === t.apiKey || x.apiClient === t.apiClient)) throw new Error(`tenant credentials already in use: ${t.apiClient}`);
    state.tenants.push(t);
    return t;
  };
  for (const seed of options.tenants ?? []) addTenant(seed);

  const findTenant = (key: string): SbTenant | undefined => state.tenants.find((t) => t.apiKey === key) ?? (/^\d+$/.test(key) ? state.tenants[Number(key)] : undefined);

  type Caller = { partner: SbPartner } | { own: SbTenant };

  /** 401/3 for unknown client credentials (HTTP Basic `client:secret`). */
  function authenticateClient(req: http.IncomingMessage): Caller {
    const header = req.headers.authorization ?? "";
    const m = /^Basic\s+(.+)$/i.exec(header);
    const decoded = m ? Buffer.from(m[1]!, "base64").toString("utf8") : "";
    const idx = decoded.indexOf(":");
    const client = idx >= 0 ? decoded.slice(0, idx) : "";
    const secret = idx >= 0 ? decoded.slice(idx + 1) : "";
    const partner = state.partners.find((p) => p.apiClient === client);
    if (client && partner && partner.apiSecret === secret) return { partner };
    const own = state.tenants.find((t) => t.apiClient === client);
    if (client && own && own.apiSecret === secret) return { own };
    throw new SbError(401, 3, "API credentials unknown or invalid");
  }

  /** 401/4 when the API key is unknown or not paired with the calling client (own client or activated partner). */
  function selectTenant(caller: Caller, apiKey: unknown): SbTenant {
    const invalid4 = new SbError(401, 4, "customer not found or invalid api client for customer or insufficient privileges");
    if (typeof apiKey !== "string" || apiKey === "") throw invalid4;
    const tenant =
      "partner" in caller ? state.tenants.find((t) => t.partnerKeys[caller.partner.apiClient] === apiKey) : caller.own.apiKey === apiKey ? caller.own : undefined;
    if (!tenant) throw invalid4;
    return tenant;
  }

  function log(entry: Omit<RequestLogEntry, "at">): void {
    state.log.push({ ...entry, at: clock.now() });
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const match = req.method === "POST" ? matchRoute(path) : null;
    if (!match) {
      sendHtml(res, 404, NOT_FOUND_HTML);
      return;
    }
    const parsed = await parseBody(req.headers["content-type"], await readRaw(req));
    let tenant: SbTenant | undefined;
    try {
      const caller = authenticateClient(req);
      const empty = parsed.unreadable || (Object.keys(parsed.body).length === 0 && !parsed.file);
      if (empty && match.route.emptyBody23) throw new SbError(400, 23, "no post and files content received or declined");
      tenant = selectTenant(caller, parsed.body.api_key);
      if (!tenant.active) throw new SbError(403, 11, "customer has no active status");
      if (!windows.admit(tenant.apiKey, match.key, match.route.bucket, clock.now(), state.strict.countThrottled)) {
        const kind = match.route.throttle15;
        if (kind) {
          const t = state.strict.throttle;
          const message = t.message === DEFAULT_STRICTNESS.throttle.message && kind === "upload" ? "upload is temporarily restricted" : t.message;
          log({ tenant: tenant.apiKey, path: match.key, status: t.status, errorCode: t.code, fault: null, throttled: true });
          sendJson(res, t.status, { success: false, error_code: t.code, message });
        } else {
          const t = state.strict.throttleUndocumented;
          log({ tenant: tenant.apiKey, path: match.key, status: t.status, errorCode: t.code, fault: null, throttled: true });
          sendJson(res, t.status, t.code === null ? { success: false, message: t.message } : { success: false, error_code: t.code, message: t.message });
        }
        return;
      }
    } catch (e) {
      if (!(e instanceof SbError)) throw e;
      log({ tenant: tenant?.apiKey ?? null, path: match.key, status: e.status, errorCode: e.code, fault: null });
      sendJson(res, e.status, { success: false, error_code: e.code, message: e.message });
      return;
    }

    const { fault, slow } = decideFault(faultConfig, match.key, random);
    if ((fault.kind !== "none" || slow) && faultConfig.limit !== null) faultConfig = { ...faultConfig, limit: faultConfig.limit - 1 };
    if (slow) await clock.sleep(faultConfig.slowMs);
    const before = (fault.kind === "500" || fault.kind === "drop") && !fault.afterCommit;
    if (before) {
      log({ tenant: tenant.apiKey, path: match.key, status: fault.kind === "500" ? 500 : 0, errorCode: fault.kind === "500" ? 0 : null, fault: `${fault.kind}-before` });
      if (fault.kind === "drop") req.socket.destroy();
      else sendJson(res, ERROR_0.status, { success: false, error_code: ERROR_0.code, message: ERROR_0.message });
      return;
    }

    if (fault.kind === "late") {
      log({ tenant: tenant.apiKey, path: match.key, status: ERROR_30.status, errorCode: ERROR_30.code, fault: "late-commit" });
      sendJson(res, ERROR_30.status, { success: false, error_code: ERROR_30.code, message: ERROR_30.message });
      const request = { tenant, body: parsed.body, pathId: match.id, file: parsed.file, clock, strict: state.strict, limits: state.limits };
      // The backend still runs the request, later; what it answers reaches nobody.
      void clock.sleep(faultConfig.lateCommitMs).then(() => {
        try {
          match.route.handler(request);
        } catch (e) {
          if (!(e instanceof SbError)) console.error("[bb-sandbox] late handler crashed:", e);
        }
      });
      return;
    }

    let status = 200;
    let payload: Record<string, unknown>;
    try {
      payload = match.route.handler({ tenant, body: parsed.body, pathId: match.id, file: parsed.file, clock, strict: state.strict, limits: state.limits });
    } catch (e) {
      if (!(e instanceof SbError)) {
        console.error("[bb-sandbox] handler crashed:", e);
        status = 500;
        payload = { success: false, error_code: 0, message: ERROR_0.message };
      } else {
        status = e.status;
        payload = { success: false, error_code: e.code, message: e.message };
      }
    }
    if (fault.kind !== "none") {
      log({ tenant: tenant.apiKey, path: match.key, status: fault.kind === "drop" ? 0 : fault.kind === "500" ? 500 : 504, errorCode: null, fault: `${fault.kind}-after` });
      if (fault.kind === "drop") req.socket.destroy();
      else if (fault.kind === "500") sendJson(res, ERROR_0.status, { success: false, error_code: ERROR_0.code, message: ERROR_0.message });
      else sendJson(res, ERROR_30.status, { success: false, error_code: ERROR_30.code, message: ERROR_30.message });
      return;
    }
    log({ tenant: tenant.apiKey, path: match.key, status, errorCode: typeof payload.error_code === "number" ? payload.error_code : null, fault: null });
    sendJson(res, status, payload);
  }

  const stats = (apiKey?: string): SandboxStats => {
    const entries = state.log.filter((e) => apiKey === undefined || e.tenant === apiKey);
    const admitted = entries.filter((e) => !e.throttled && e.tenant !== null);
    const byTenant = new Map<string, number[]>();
    const byBatchPath = new Map<string, number[]>();
    for (const e of admitted) {
      const list = byTenant.get(e.tenant!) ?? [];
      list.push(e.at);
      byTenant.set(e.tenant!, list);
      if (matchRoute(e.path.replace("/:id", "/1"))?.route.bucket === "batch") {
        const k = `${e.tenant}|${e.path}`;
        const l = byBatchPath.get(k) ?? [];
        l.push(e.at);
        byBatchPath.set(k, l);
      }
    }
    const minBatchGapMs: Record<string, number> = {};
    for (const [k, times] of byBatchPath) {
      const path = k.split("|")[1]!;
      for (let i = 1; i < times.length; i++) minBatchGapMs[path] = Math.min(minBatchGapMs[path] ?? Infinity, times[i]! - times[i - 1]!);
    }
    const byPath: Record<string, number> = {};
    const faults: Record<string, number> = {};
    for (const e of entries) {
      byPath[e.path] = (byPath[e.path] ?? 0) + 1;
      if (e.fault) faults[e.fault] = (faults[e.fault] ?? 0) + 1;
    }
    return {
      requests: entries.length,
      throttled: entries.filter((e) => e.throttled).length,
      byPath,
      faults,
      maxInWindow: Math.max(0, ...[...byTenant.values()].map((times) => maxInWindow(times, state.limits.windowMs))),
      minBatchGapMs,
      processCpuMs: cpuMs(),
    };
  };

  async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const raw = await readRaw(req);
    if (raw.length === 0) return {};
    const v: unknown = JSON.parse(raw.toString("utf8"));
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("expected a JSON object");
    return v as Record<string, unknown>;
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split("/").filter(Boolean).slice(1).map(decodeURIComponent);
    const method = req.method ?? "GET";
    try {
      if (parts.length === 0) return sendHtml(res, 200, indexPage(state.tenants));
      const [section, key, action] = parts;
      if (section === "health") return sendJson(res, 200, { ok: true, tenants: state.tenants.length, now: clock.now() });
      if (section === "faults") {
        if (method === "POST") faultConfig = { ...faultConfig, ...(await readJson(req)) } as FaultConfig;
        if (method === "DELETE") faultConfig = { ...NO_FAULTS };
        return sendJson(res, 200, faultConfig);
      }
      if (section === "strictness") {
        if (method === "POST") state.strict = { ...state.strict, ...(await readJson(req)) } as SbStrictness;
        return sendJson(res, 200, state.strict);
      }
      if (section === "limits") {
        if (method === "POST") state.limits = { ...state.limits, ...(await readJson(req)) } as SbLimits;
        return sendJson(res, 200, state.limits);
      }
      if (section === "stats") {
        if (method === "DELETE") state.log.length = 0;
        return sendJson(res, 200, stats(url.searchParams.get("tenant") ?? undefined));
      }
      if (section === "partners" && method === "POST") {
        const body = await readJson(req);
        const partner: SbPartner = { apiClient: String(body.apiClient ?? `partner-${randomToken(4)}`), apiSecret: String(body.apiSecret ?? randomToken(16)), name: String(body.name ?? "Partner") };
        state.partners.push(partner);
        return sendJson(res, 201, partner);
      }
      if (section === "tenants" && !key) {
        if (method === "POST") {
          const t = addTenant((await readJson(req)) as unknown as TenantSeed);
          return sendJson(res, 201, { name: t.name, apiClient: t.apiClient, apiSecret: t.apiSecret, apiKey: t.apiKey, partnerKeys: t.partnerKeys });
        }
        return sendJson(
          res,
          200,
          state.tenants.map((t) => ({ name: t.name, apiClient: t.apiClient, apiKey: t.apiKey, chart: t.chart, debtorMode: t.debtorMode, active: t.active })),
        );
      }
      if (section === "tenants" && key) {
        const tenant = findTenant(key);
        if (!tenant) return sendJson(res, 404, { error: `no tenant ${key}` });
        if (!action) return sendJson(res, 200, inspectTenant(tenant));
        if (action === "page") return sendHtml(res, 200, tenantPage(tenant));
        if (action === "settings" && method === "POST") {
          const body = await readJson(req);
          if (body.debtorMode !== undefined) tenant.debtorMode = body.debtorMode as SbTenant["debtorMode"];
          if (body.creditorMode !== undefined) tenant.creditorMode = body.creditorMode as SbTenant["creditorMode"];
          if (body.active !== undefined) tenant.active = Boolean(body.active);
          if (body.fixedUntil !== undefined) tenant.fixedUntil = body.fixedUntil === null ? null : String(body.fixedUntil);
          if (body.uploadQuota !== undefined) tenant.uploadQuota = body.uploadQuota === null ? null : Number(body.uploadQuota);
          return sendJson(res, 200, inspectTenant(tenant));
        }
        if (action === "fix" && method === "POST") {
          const body = await readJson(req);
          tenant.fixedUntil = body.until === null || body.until === undefined ? null : String(body.until);
          return sendJson(res, 200, { fixedUntil: tenant.fixedUntil });
        }
        if (action === "partners" && method === "POST") {
          const body = await readJson(req);
          const client = String(body.partnerClient ?? "");
          if (!state.partners.some((p) => p.apiClient === client)) return sendJson(res, 400, { error: `unknown partner ${client}` });
          tenant.partnerKeys[client] = String(body.apiKey ?? randomToken(16));
          return sendJson(res, 200, { apiKey: tenant.partnerKeys[client] });
        }
      }
      return sendJson(res, 404, { error: "unknown sandbox admin route" });
    } catch (e) {
      return sendJson(res, 400, { error: e instanceof Error ? e.message : String(e) });
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const path = url.pathname;
    const work = path.startsWith("/api/v1/")
      ? handleApi(req, res, path.slice("/api/v1/".length).replace(/\/+$/, ""))
      : path === "/__sandbox" || path.startsWith("/__sandbox/")
        ? handleAdmin(req, res, url)
        : Promise.resolve(sendHtml(res, 404, NOT_FOUND_HTML));
    work.catch((e: unknown) => {
      console.error("[bb-sandbox]", e);
      if (!res.headersSent) sendJson(res, ERROR_0.status, { success: false, error_code: ERROR_0.code, message: ERROR_0.message });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;

  return {
    url,
    apiBaseUrl: `${url}/api/v1`,
    state,
    clock,
    addTenant,
    tenant: (apiKey) => {
      const t = findTenant(apiKey);
      if (!t) throw new Error(`no sandbox tenant with key ${apiKey}`);
      return t;
    },
    faults: {
      get: () => faultConfig,
      set: (c) => {
        faultConfig = { ...faultConfig, ...c };
      },
      reset: () => {
        faultConfig = { ...NO_FAULTS };
      },
    },
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
