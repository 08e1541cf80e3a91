import http from "node:http";
import type { AddressInfo } from "node:net";
import { scaledClock, systemClock, type Clock } from "@/lib/clock";
import {
  ACCOUNT_FIELDS, ACCOUNT_FLAT, ENTITIES, type EmptyRelations, type EntityDef, type Json, type RenderCtx, type Scope, type Spellings,
} from "./entities";
import { Faults } from "./faults";
import { generateStore, PROFILE_SIZES, type Sizes } from "./generate";
import { MALFORMED_KINDS } from "./malformed";
import type { SandboxAccount, Store } from "./model";
import { Mutator, type Mutation } from "./mutate";
import { DEFAULT_STRICTNESS, KNOWN_SCOPES, OAuthServer, type OAuthClientConfig, type OAuthStrictness } from "./oauth";
import { backofficePage, consentPage, errorPage, signLaunchUrl } from "./pages";
import { ApiError, AUTH_ERROR_CLASS, countQuery, parseListQuery, parseRelations, runQuery } from "./query";
import { bucketSpec, RateLimiter } from "./rate-limit";
import { paymentsByDay, reportRange, taxesByDay } from "./reports";
import { createRng } from "./rng";

export interface SandboxAccountOptions {
  id?: number;
  name?: string;
  /** The subscription's register limit (bucket 90 + 10, drip 1 + 0.5 per extra register). Default 3. */
  registerLimit?: number;
  sizes?: Partial<Sizes>;
  seed?: number;
  /** The account's `defaultCurrency` code (default EUR). */
  currency?: string;
}

export interface LightspeedSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Clock speed factor (×50: one real second is fifty sandbox seconds). Ignored when `clock` is given. */
  speed?: number;
  clock?: Clock;
  seed?: number;
  profile?: keyof typeof PROFILE_SIZES;
  /** Sizes of the first account's store (profile defaults otherwise). */
  sizes?: Partial<Sizes>;
  accounts?: SandboxAccountOptions[];
  clients?: OAuthClientConfig[];
  /** The app's public URL: back-office links and the default client's redirect URI. */
  appUrl?: string;
  accessTokenLifetimeSeconds?: number;
  malformedShare?: number;
  strict?: Partial<OAuthStrictness>;
  spellings?: Partial<Spellings>;
  /** Lifetime of signed launch URLs. */
  launchTtlSeconds?: number;
  /** Burst limit as a fraction of the bucket size (20/90 in Lightspeed's example). */
  burstFraction?: number;
  /** Whether editing only a customer's Contact bumps Customer.timeStamp (unverified; stricter default: no). */
  contactEditBumpsCustomer?: boolean;
  /** Base URL used in `next`/`previous` links and as the token issuer; defaults to http://host:port. */
  publicUrl?: string;
  /**
   * `GET Account/{id}.json`: "flat" (default) is the body Lightspeed's endpoint page shows; "wrapped" is the
   * `{"@attributes", "Account": {…}}` form of the list endpoint.
   */
  accountBody?: "flat" | "wrapped";
  /** Requested empty to-many relations: "mixed" (default, seeded per record), "empty-string" or "omitted". */
  emptyRelations?: EmptyRelations;
  /**
   * API 401s for token problems: "oauth" (default) is the `{error, error_description, hint}` body the docs
   * show; "envelope" is the `{httpCode, httpMessage, message, errorClass}` body of the other API errors.
   */
  authErrorBody?: "oauth" | "envelope";
}

export interface SandboxStats {
  requests: number;
  apiRequests: number;
  jwksFetches: number;
  byStatus: Record<string, number>;
  throttled: { leakyBucket: number; burst: number; storm: number };
  oauth: OAuthServer["counters"];
  faults: Faults["counts"];
  buckets: Record<string, { drips: number; requests: number; rejected: number; firstFullAt: number | null; rejectedAfterFirstBurst: number; level: number; size: number; drip: number }>;
  /** CPU used so far by the process serving the sandbox (its own when started by main.ts), for benchmarks. */
  processCpuMs: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
};

export interface LightspeedSandbox {
  url: string;
  close(): Promise<void>;
  /** The first account's store. */
  store: Store;
  accounts: SandboxAccount[];
  account(id?: number): SandboxAccount;
  faults: Faults;
  mutate(m: Mutation, accountId?: number): ReturnType<Mutator["apply"]>;
  clock: Clock;
  oauth: OAuthServer;
  limiter: RateLimiter;
  clients: OAuthClientConfig[];
  stats(): SandboxStats;
  /** A token pair without the consent screen (tests, demo). */
  issueTokens(opts?: { accountId?: number; clientId?: string; scopes?: string[]; sub?: string }): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }>;
  /** Rebuilds every account's data from a seed (keeps tokens). */
  reseed(seed?: number, sizes?: Partial<Sizes>): void;
  /** Signed Custom Menu Button URL for a register (what the back-office button opens). */
  launchUrl(opts?: { accountId?: number; registerId?: number; saleId?: number; employeeId?: number }): string;
}

export const DEFAULT_CLIENT_ID = "butlerbridge-sandbox";
export const DEFAULT_CLIENT_SECRET = "sandbox-secret-not-for-production";
export const DEFAULT_SCOPES = ["employee:inventory_read", "employee:register_read", "employee:customers_read", "employee:reports", "employee:product_cost"];

const SCOPE_GROUPS: Record<Exclude<Scope, "any">, string[]> = {
  inventory: ["employee:inventory", "employee:inventory_read", "employee:all", "employee:admin", "employee:admin_inventory"],
  register: ["employee:register", "employee:register_read", "employee:all", "employee:admin"],
  customers: ["employee:customers", "employee:customers_read", "employee:all", "employee:admin"],
  reports: ["employee:reports", "employee:all", "employee:admin"],
  product_cost: ["employee:product_cost", "employee:all", "employee:admin"],
};

const HTTP_MESSAGES: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict",
  422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
};

function apiErrorBody(status: number, message: string, errorClass = "Exception"): Json {
  return { httpCode: String(status), httpMessage: HTTP_MESSAGES[status] ?? "Error", message, errorClass };
}

/**
 * A token the API refuses, in the shape the docs show for it (league/oauth2-server's access_denied): the
 * specific reason is only in `hint`, and there is no `message`, so a client must not look for one.
 */
function oauthDeniedBody(reason: string): Json {
  return { error: "access_denied", error_description: "The resource owner or authorization server denied the request.", hint: reason };
}

async function readBody(req: http.IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError(413, "Request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function makeAccounts(opts: LightspeedSandboxOptions, now: number, seed: number, sizesOverride?: Partial<Sizes>): SandboxAccount[] {
  const base = PROFILE_SIZES[opts.profile ?? "test"];
  const list = opts.accounts?.length ? opts.accounts : [{}];
  return list.map((a, i) => {
    const sizes: Sizes = { ...base, ...(i === 0 ? opts.sizes : { items: 30, matrices: 2, customers: 10, sales: 40, days: 5 }), ...a.sizes, ...sizesOverride };
    return {
      id: a.id ?? 100_000 + i * 1_111,
      name: a.name ?? (i === 0 ? "Musterladen Berlin GmbH" : `Zweitladen ${i} GmbH`),
      registerLimit: a.registerLimit ?? 3,
      currency: a.currency ?? "EUR",
      store: generateStore({ seed: (a.seed ?? seed) + i * 7919, now, sizes, malformedShare: opts.malformedShare ?? 0 }),
    };
  });
}

export async function startLightspeedSandbox(opts: LightspeedSandboxOptions = {}): Promise<LightspeedSandbox> {
  const clock = opts.clock ?? (opts.speed && opts.speed !== 1 ? scaledClock(opts.speed) : systemClock);
  const seed = opts.seed ?? 42;
  const appUrl = (opts.appUrl ?? "http://localhost:3000").replace(/\/$/, "");
  const clients = opts.clients ?? [{ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, redirectUri: `${appUrl}/api/auth/callback/lightspeed` }];
  const spellings: Spellings = { saleUpdateTime: "updateTime", workOrder: "onWorkorder", ...opts.spellings };
  let accounts = makeAccounts(opts, clock.now(), seed);
  let publicUrl = opts.publicUrl?.replace(/\/$/, "") ?? "";
  const strict: OAuthStrictness = { ...DEFAULT_STRICTNESS, ...opts.strict };
  const oauth = new OAuthServer({ issuer: () => publicUrl, clients, strict, accessTokenLifetimeSeconds: opts.accessTokenLifetimeSeconds ?? 3600, now: () => clock.now() });
  const limiter = new RateLimiter();
  const faults = new Faults(createRng(seed).fork("faults"));
  const mutator = new Mutator(createRng(seed).fork("mutations"), () => clock.now(), { contactEditBumpsCustomer: opts.contactEditBumpsCustomer ?? false });
  const counters = { requests: 0, apiRequests: 0, jwksFetches: 0, byStatus: {} as Record<string, number>, throttled: { leakyBucket: 0, burst: 0, storm: 0 } };

  const account = (id?: number) => {
    const a = id === undefined ? accounts[0] : accounts.find((x) => x.id === id);
    if (!a) throw new ApiError(404, `Account ${id} does not exist`);
    return a;
  };
  const ctxFor = (a: SandboxAccount): RenderCtx => ({ account: a, store: a.store, spellings, emptyRelations: opts.emptyRelations ?? "mixed", seed });

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, type = "application/json") => {
    counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
    const text = type === "application/json" ? JSON.stringify(body) : String(body);
    res.writeHead(status, { "Content-Type": `${type}; charset=utf-8`, "Content-Length": Buffer.byteLength(text), "Cf-Ray": `sandbox-${counters.requests}`, ...headers });
    res.end(text);
  };
  const redirect = (res: http.ServerResponse, location: string) => {
    counters.byStatus[302] = (counters.byStatus[302] ?? 0) + 1;
    res.writeHead(302, { Location: location, "Content-Length": 0 });
    res.end();
  };

  const launchUrl: LightspeedSandbox["launchUrl"] = (o = {}) => {
    const a = account(o.accountId);
    const register = o.registerId ? a.store.registers.get(o.registerId) : a.store.registers.get(1);
    if (!register) throw new ApiError(404, `Register ${o.registerId} does not exist`);
    const sale = o.saleId ? a.store.sales.get(o.saleId) : undefined;
    return signLaunchUrl(`${appUrl}/launch`, {
      accountID: String(a.id), shopID: String(register.shopId), registerID: String(register.id), employeeID: String(o.employeeId ?? 1), systemUserID: String(o.employeeId ?? 1),
      customerID: String(sale?.customerId ?? 0), saleID: String(sale?.id ?? 0), type: "sale",
      returnURL: `${publicUrl}/__sandbox/backoffice?account=${a.id}&register=${register.id}&screen=register sale`,
    }, clock.now(), opts.launchTtlSeconds ?? 60);
  };

  /* ------------------------------------------------ API --------------------------------------------------- */

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    counters.apiRequests++;
    const decision = faults.decide(url.pathname, clock.now(), true);
    if (decision.delayMs > 0) await clock.sleep(decision.delayMs);
    if (decision.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (decision.kind === "status") {
      const body = decision.body ?? apiErrorBody(decision.status, decision.message || (decision.status >= 500 ? "The server encountered an internal error. Please try again later." : HTTP_MESSAGES[decision.status] ?? "Error"));
      send(res, decision.status, body, decision.status === 429 ? { "Retry-After": "1", "X-LS-API-RateLimit-Type": "api-leaky-bucket", ...decision.headers } : decision.headers);
      return;
    }
    const { grant } = await oauth.verifyAccess(req.headers.authorization);
    const a = accounts.find((x) => x.id === grant.accountId);
    if (!a) throw new ApiError(401, "Access token could not be verified", AUTH_ERROR_CLASS);
    const spec = bucketSpec(a.registerLimit, opts.burstFraction);
    const bucketKey = `${a.id}:${grant.clientId}`;
    const baseHeaders = { "X-LS-Acct-Id": String(a.id), "X-LS-Oauth-Client-Id": grant.clientId };

    if (!url.pathname.endsWith(".json") && !(req.headers.accept ?? "").includes("application/json")) {
      throw new ApiError(406, "The sandbox only speaks JSON: add .json to the path or send Accept: application/json");
    }
    const path = url.pathname.replace(/\.json$/, "");
    const m = /^\/API\/V3\/Account(?:\/(\d+)(?:\/(.+))?)?$/.exec(path);
    if (!m) throw new ApiError(404, `No such endpoint: ${url.pathname}`);
    const [, acctId, rest] = m;

    // Work out what is asked and what it costs; a request the server cannot parse still costs one drip.
    let cost = 1;
    let plan: (() => { status: number; body: Json }) | null = null;
    let failure: ApiError | null = null;
    let scopes: Scope[] = ["any"];
    try {
      if (req.method !== "GET") throw new ApiError(405, `${req.method} is not allowed here (the sandbox serves reads only; see README)`);
      if (acctId && Number(acctId) !== a.id) throw new ApiError(403, `This access token is not valid for account ${acctId}`);
      if (!acctId) {
        plan = () => ({ status: 200, body: { "@attributes": { count: "1" }, Account: ACCOUNT_FIELDS(a) } });
      } else if (!rest) {
        plan = () => ({ status: 200, body: (opts.accountBody ?? "flat") === "flat" ? ACCOUNT_FLAT(a) : { "@attributes": { count: "1" }, Account: ACCOUNT_FIELDS(a) } });
      } else if (rest === "Reports/Accounting/PaymentsByDay" || rest === "Reports/Accounting/TaxesByDay") {
        scopes = ["reports"];
        const range = reportRange(url.searchParams);
        const limitRaw = url.searchParams.get("limit");
        const limit = limitRaw === null ? 100 : Number(limitRaw);
        if (!Number.isInteger(limit) || limit < 0 || limit > 100) throw new ApiError(400, `limit must be a whole number from 0 to 100 (got "${limitRaw}")`);
        const afterRaw = url.searchParams.get("after");
        let offset = 0;
        if (afterRaw) {
          try {
            offset = Number((JSON.parse(Buffer.from(afterRaw, "base64").toString("utf8")) as unknown[])[0]);
          } catch {
            offset = Number.NaN;
          }
          if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, "Invalid pagination cursor: use the next/previous URLs exactly as returned");
        }
        plan = () => {
          const isPayments = rest.endsWith("PaymentsByDay");
          const rows: Json[] = (isPayments ? paymentsByDay(a, range.start, range.end) : taxesByDay(a, range.start, range.end)) as unknown as Json[];
          const page = rows.slice(offset, offset + limit);
          const nextParams = new URLSearchParams(url.searchParams);
          nextParams.set("limit", String(limit));
          nextParams.set("after", Buffer.from(JSON.stringify([offset + limit, 0])).toString("base64"));
          const next = offset + limit < rows.length ? `${publicUrl}${url.pathname}?${nextParams}` : "";
          const prevParams = new URLSearchParams(url.searchParams);
          prevParams.delete("after");
          const previous = offset > 0 ? `${publicUrl}${url.pathname}?${prevParams}` : "";
          const key = isPayments ? "Payments" : "Taxes";
          const body: Json = { "@attributes": { next, previous } };
          if (page.length) body[key] = page.length === 1 ? page[0] : page;
          return { status: 200, body };
        };
      } else {
        const em = /^([A-Za-z]+)(?:\/(\d+))?$/.exec(rest);
        const def = em ? (ENTITIES[em[1]!] as EntityDef<{ id: number }> | undefined) : undefined;
        if (!em || !def) throw new ApiError(404, `No such endpoint: ${url.pathname}`);
        scopes = def.scopes;
        const single = em[2] !== undefined;
        const ctx = ctxFor(a);
        const table = def.table(a.store);
        if (single) {
          const { tree, cost: relCost } = parseRelations(url.searchParams.get("load_relations"), def.relations, false);
          cost += relCost;
          const id = Number(em[2]);
          plan = () => {
            const rec = table.get(id);
            if (!rec) throw new ApiError(404, `${def.name} ${id} could not be found`, "MerchantOS\\Exception\\NotFound");
            return { status: 200, body: { "@attributes": { count: "1" }, [def.name]: def.render(ctx, rec, tree) } };
          };
        } else {
          const q = parseListQuery(def, url.searchParams, true);
          if (q.count) {
            cost = 10;
            plan = () => ({ status: 200, body: { "@attributes": { count: String(countQuery(ctx, def, table, q)) } } });
          } else {
            cost += q.extraCost;
            plan = () => {
              const page = runQuery(ctx, def, table, q);
              const link = (cursorParam: "after" | "before", cursor: string | null) => {
                if (!cursor) return "";
                const p = new URLSearchParams(url.searchParams);
                p.delete("after");
                p.delete("before");
                if (!p.has("sort")) p.set("sort", def.idField);
                if (!p.has("limit")) p.set("limit", String(q.limit));
                p.set(cursorParam, cursor);
                return `${publicUrl}${url.pathname}?${p}`;
              };
              const body: Json = { "@attributes": { next: link("after", page.nextAfter), previous: link("before", page.prevBefore) } };
              const items = page.records.map((r) => def.render(ctx, r, q.rels));
              if (items.length) body[def.name] = items.length === 1 ? items[0] : items;
              return { status: 200, body };
            };
          }
        }
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      failure = e;
      cost = 1;
    }
    cost = Math.round(cost * 1000) / 1000;
    if (decision.kind === "storm") counters.throttled.storm++;
    const limited = limiter.take(bucketKey, spec, cost, clock.now(), decision.kind === "storm");
    if (!limited.ok) {
      if (limited.type === "api-burst-limiter") counters.throttled.burst++;
      else if (decision.kind !== "storm") counters.throttled.leakyBucket++;
      // A storm answers with an ordinary short Retry-After and keeps throttling past it, like an overloaded API.
      const retryAfter = limited.retryAfter;
      send(res, 429, apiErrorBody(429, limited.type === "api-burst-limiter" ? "Too Many Requests: burst rate limit exceeded" : "Too Many Requests: rate limit exceeded", "RateLimited"), {
        ...baseHeaders, ...limited.headers, "X-LS-API-RateLimit-Type": limited.type, "Retry-After": String(Math.max(1, retryAfter)),
      });
      return;
    }
    const headers = { ...baseHeaders, ...limited.headers };
    if (failure) {
      send(res, failure.status, apiErrorBody(failure.status, failure.message, failure.errorClass), headers);
      return;
    }
    for (const scope of scopes) {
      if (scope === "any") continue;
      if (!SCOPE_GROUPS[scope].some((s) => grant.scopes.includes(s))) {
        send(res, 403, apiErrorBody(403, `The access token does not include a scope that allows this (needs one of: ${SCOPE_GROUPS[scope].join(", ")})`, "MerchantOS\\Exception\\Forbidden"), headers);
        return;
      }
    }
    try {
      const out = plan!();
      send(res, out.status, out.body, headers);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      send(res, e.status, apiErrorBody(e.status, e.message, e.errorClass), headers);
    }
  }

  /* ------------------------------------------------ OAuth ------------------------------------------------- */

  async function handleAuth(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const decision = faults.decide(url.pathname, clock.now(), false);
    if (decision.kind === "status") {
      send(res, decision.status, { error: "server_error", error_description: decision.message || "Injected fault", message: decision.message || "Injected fault" }, decision.headers);
      return;
    }
    if (url.pathname === "/auth/oauth/token" && req.method === "POST") {
      const out = await oauth.token(req.headers["content-type"], await readBody(req), req.headers.authorization);
      send(res, out.status, out.body, { "Cache-Control": "no-store", ...out.headers });
      return;
    }
    if (url.pathname === "/auth/oauth/revoke" && req.method === "POST") {
      const out = await oauth.revoke(req.headers["content-type"], await readBody(req), req.headers.authorization);
      send(res, out.status, out.body, out.headers);
      return;
    }
    if (url.pathname === "/auth/oauth/authorize" && (req.method === "GET" || req.method === "POST")) {
      const params = req.method === "GET" ? url.searchParams : new URLSearchParams(await readBody(req));
      const client = oauth.client(params.get("client_id"));
      if (!client) {
        send(res, 400, errorPage("Unknown application", `No OAuth client "${params.get("client_id") ?? ""}" is registered.`), {}, "text/html");
        return;
      }
      const redirectParam = params.get("redirect_uri");
      if (redirectParam !== null && redirectParam !== client.redirectUri && strict.requireRedirectUriMatch) {
        send(res, 400, errorPage("Invalid redirect URI", `The redirect_uri "${redirectParam}" does not match the one registered for this client.`), {}, "text/html");
        return;
      }
      const state = params.get("state");
      const back = (p: Record<string, string>) => {
        const target = new URL(client.redirectUri);
        for (const [k, v] of Object.entries(p)) target.searchParams.set(k, v);
        if (state !== null) target.searchParams.set("state", state);
        redirect(res, target.toString());
      };
      if (params.get("response_type") !== "code") return back({ error: "unsupported_response_type", error_description: "response_type must be code" });
      const challenge = params.get("code_challenge");
      const method = params.get("code_challenge_method");
      if (challenge !== null && method !== "S256") return back({ error: "invalid_request", error_description: "code_challenge_method must be S256" });
      if (challenge !== null && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back({ error: "invalid_request", error_description: "code_challenge must be a base64url SHA-256" });
      if (challenge === null && client.requirePkce) return back({ error: "invalid_request", error_description: "PKCE is required for this client" });
      const scopes = (params.get("scope") ?? "").split(/[\s+]+/).filter(Boolean);
      const unknown = scopes.filter((s) => !KNOWN_SCOPES.includes(s));
      if (scopes.length === 0 || unknown.length) return back({ error: "invalid_scope", error_description: unknown.length ? `Unknown scope: ${unknown.join(", ")}` : "scope is required" });
      if (req.method === "GET") {
        const hidden: Record<string, string> = { client_id: client.clientId, response_type: "code", scope: scopes.join(" ") };
        for (const k of ["state", "code_challenge", "code_challenge_method", "redirect_uri"]) {
          const v = params.get(k);
          if (v !== null) hidden[k] = v;
        }
        send(res, 200, consentPage({ clientName: "Butlerbridge", accounts, scopes, hidden }), {}, "text/html");
        return;
      }
      if (params.get("decision") !== "allow") return back({ error: "access_denied", error_description: "The resource owner denied the request." });
      const chosen = accounts.find((x) => String(x.id) === params.get("account_id"));
      if (!chosen) {
        send(res, 400, errorPage("Choose an account", "Pick the account to connect."), {}, "text/html");
        return;
      }
      const code = oauth.issueCode({ clientId: client.clientId, accountId: chosen.id, sub: "1", scopes, challenge, redirectUri: redirectParam });
      back({ code });
      return;
    }
    throw new ApiError(404, `No such endpoint: ${url.pathname}`);
  }

  /* ------------------------------------------------ Control ----------------------------------------------- */

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const p = url.pathname.slice("/__sandbox".length);
    const json = async (): Promise<Record<string, unknown>> => {
      const raw = await readBody(req);
      if (!raw) return {};
      try {
        return JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw new ApiError(400, "Send a JSON body");
      }
    };
    const num = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : Number(v));
    if (p === "/health") return send(res, 200, { ok: true, accounts: accounts.map((a) => a.id), now: new Date(clock.now()).toISOString() });
    if (p === "/clock") return send(res, 200, { now: clock.now(), iso: new Date(clock.now()).toISOString() });
    if (p === "/stats") return send(res, 200, sandbox.stats());
    if (p === "/store") {
      const a = account(num(url.searchParams.get("account")));
      const s = a.store;
      const malformed = [...s.sales.values()].filter((x) => x.malformed).map((x) => ({ saleId: x.id, ...x.malformed }));
      return send(res, 200, {
        accountId: a.id, name: a.name, registerLimit: a.registerLimit,
        counts: { items: s.items.size, matrices: s.matrices.size, itemShops: s.itemShops.size, customers: s.customers.size, sales: s.sales.size, categories: s.categories.size },
        latestSaleId: s.sales.nextId() - 1, malformed, malformedKinds: MALFORMED_KINDS,
      });
    }
    if (p === "/faults") {
      if (req.method === "GET") return send(res, 200, { config: faults.config, counts: faults.counts });
      if (req.method === "DELETE") {
        faults.reset();
        return send(res, 200, { config: faults.config });
      }
      if (req.method === "POST") {
        const body = await json();
        if (typeof body.storm429Seconds === "number") body.storm429Until = clock.now() + body.storm429Seconds * 1000;
        delete body.storm429Seconds;
        return send(res, 200, { config: faults.set(body) });
      }
    }
    if (p === "/mutate" && req.method === "POST") {
      const body = await json();
      const result = sandbox.mutate(body as unknown as Mutation, num(body.accountId));
      return send(res, 200, result);
    }
    if (p === "/seed" && req.method === "POST") {
      const body = await json();
      sandbox.reseed(num(body.seed), (body.sizes ?? undefined) as Partial<Sizes> | undefined);
      return send(res, 200, { ok: true });
    }
    if (p === "/tokens" && req.method === "POST") {
      const body = await json();
      return send(res, 200, await sandbox.issueTokens({ accountId: num(body.accountId), clientId: body.clientId as string | undefined, scopes: body.scopes as string[] | undefined, sub: body.sub as string | undefined }));
    }
    if (p === "/tokens/revoke" && req.method === "POST") {
      const body = await json();
      return send(res, 200, { revoked: oauth.revokeAll(num(body.accountId)) });
    }
    if (p === "/backoffice" && req.method === "GET") {
      const a = account(num(url.searchParams.get("account")));
      const installed = [...oauth.grants.values()].some((g) => g.accountId === a.id && !g.revoked);
      const latest = a.store.sales.nextId() - 1;
      return send(res, 200, backofficePage({ account: a, accounts, appUrl, installed, latestSaleId: latest > 0 ? latest : null }), {}, "text/html");
    }
    if (p === "/backoffice/launch" && req.method === "GET") {
      const sale = num(url.searchParams.get("sale"));
      const employee = num(url.searchParams.get("employee"));
      return redirect(res, launchUrl({ accountId: num(url.searchParams.get("account")), registerId: num(url.searchParams.get("register")), saleId: sale || undefined, employeeId: employee || undefined }));
    }
    throw new ApiError(404, `No such sandbox control endpoint: ${url.pathname}`);
  }

  const server = http.createServer((req, res) => {
    counters.requests++;
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const route = url.pathname.startsWith("/API/") ? handleApi : url.pathname.startsWith("/auth/") ? handleAuth : url.pathname.startsWith("/__sandbox") ? handleControl : null;
    const run = async () => {
      if (url.pathname === "/.well-known/jwks" && req.method === "GET") {
        counters.jwksFetches++;
        return send(res, 200, oauth.jwks(), { "Cache-Control": "public, max-age=300" });
      }
      if (!route) throw new ApiError(404, `No such endpoint: ${url.pathname}`);
      await route(req, res, url);
    };
    run().catch((e: unknown) => {
      if (res.headersSent) return;
      if (e instanceof ApiError) send(res, e.status, e.status === 401 && e.errorClass === AUTH_ERROR_CLASS && (opts.authErrorBody ?? "oauth") === "oauth" ? oauthDeniedBody(e.message) : apiErrorBody(e.status, e.message, e.errorClass));
      else {
        console.error("[lightspeed-sandbox]", e);
        send(res, 500, apiErrorBody(500, "Internal sandbox error"));
      }
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${opts.host ?? "127.0.0.1"}:${addr.port}`;
  if (!publicUrl) publicUrl = url;

  const sandbox: LightspeedSandbox = {
    url,
    get store() {
      return accounts[0]!.store;
    },
    get accounts() {
      return accounts;
    },
    account,
    faults,
    clock,
    oauth,
    limiter,
    clients,
    mutate: (m, accountId) => mutator.apply(account(accountId), m),
    stats: () => {
      const buckets: SandboxStats["buckets"] = {};
      for (const [key, v] of limiter.charged) {
        const acct = accounts.find((x) => key.startsWith(`${x.id}:`));
        const st = limiter.state(key, bucketSpec(acct?.registerLimit ?? 1, opts.burstFraction), clock.now());
        buckets[key] = { ...v, ...st };
      }
      return { ...counters, oauth: { ...oauth.counters }, faults: { ...faults.counts }, buckets, processCpuMs: cpuMs() };
    },
    issueTokens: (o = {}) => oauth.issueDirect(o.clientId ?? clients[0]!.clientId, account(o.accountId).id, o.scopes ?? DEFAULT_SCOPES, o.sub ?? "1"),
    reseed: (s, sizes) => {
      accounts = makeAccounts(opts, clock.now(), s ?? seed, sizes);
      mutator.forget();
    },
    launchUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sandbox;
}
