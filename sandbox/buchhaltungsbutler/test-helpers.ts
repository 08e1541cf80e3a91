import { afterAll } from "vitest";
import { scaledClock, type Clock } from "@/lib/clock";
import type { TenantSeed } from "./model";
import { startBbSandbox, type BbSandbox, type BbSandboxOptions } from "./server";

/** Raw HTTP access to a sandbox for contract tests (no client in between). */
export interface RawAnswer {
  status: number;
  contentType: string;
  json: Record<string, unknown>;
  text: string;
}

export interface RawCaller {
  sandbox: BbSandbox;
  apiKey: string;
  auth: string;
  call(path: string, body?: Record<string, unknown>, opts?: { auth?: string | null; apiKey?: string | null; form?: boolean; raw?: string; contentType?: string }): Promise<RawAnswer>;
}

export const basic = (client: string, secret: string) => `Basic ${Buffer.from(`${client}:${secret}`).toString("base64")}`;

/** PHP-style form encoding ("a[0][b]=c"), as form-encoding clients send nested bodies. */
export function phpForm(body: Record<string, unknown>): string {
  const out: string[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v === null || v === undefined) return;
    if (typeof v === "object") for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(`${prefix}[${k}]`, x);
    else out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(v))}`);
  };
  for (const [k, v] of Object.entries(body)) {
    if (v !== null && typeof v === "object") for (const [kk, x] of Object.entries(v as Record<string, unknown>)) walk(`${k}[${kk}]`, x);
    else walk(k, v);
  }
  return out.join("&");
}

export async function rawCall(
  baseUrl: string,
  path: string,
  body: Record<string, unknown> | undefined,
  opts: { auth?: string | null; form?: boolean; raw?: string; contentType?: string } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { "content-type": opts.contentType ?? (opts.form ? "application/x-www-form-urlencoded" : "application/json") };
  if (opts.auth) headers.authorization = opts.auth;
  const res = await fetch(`${baseUrl}/api/v1/${path}`, { method: "POST", headers, body: opts.raw ?? (body === undefined ? "" : opts.form ? phpForm(body) : JSON.stringify(body)) });
  const text = await res.text();
  const contentType = res.headers.get("content-type") ?? "";
  let json: Record<string, unknown> = {};
  if (contentType.includes("json")) json = JSON.parse(text) as Record<string, unknown>;
  return { status: res.status, contentType, json, text };
}

/** A sandbox with one tenant (own credentials), closed after the file. Limits are high unless given, so contract tests do not trip them. */
export async function sandboxWithTenant(seed: Partial<TenantSeed> = {}, options: BbSandboxOptions = {}): Promise<RawCaller> {
  const clock: Clock = options.clock ?? scaledClock(1);
  const sandbox = await startBbSandbox({ clock, limits: { perWindow: 100_000, batchIntervalMs: 0, uploadsPerWindow: 100_000 }, ...options });
  afterAll(() => sandbox.close());
  const tenant = sandbox.addTenant({ name: "Test Shop GmbH", ...seed });
  const auth = basic(tenant.apiClient, tenant.apiSecret);
  return {
    sandbox,
    apiKey: tenant.apiKey,
    auth,
    call: (path, body = {}, opts = {}) => {
      const key = opts.apiKey === undefined ? tenant.apiKey : opts.apiKey;
      const full = opts.raw !== undefined ? undefined : key === null ? body : { api_key: key, ...body };
      return rawCall(sandbox.url, path, full, { auth: opts.auth === undefined ? auth : opts.auth, form: opts.form, raw: opts.raw, contentType: opts.contentType });
    },
  };
}

/** Expect the error envelope exactly: HTTP status, `success:false`, the code and a message. */
export function errorOf(a: RawAnswer): { status: number; code: unknown; message: unknown; success: unknown } {
  return { status: a.status, code: a.json.error_code, message: typeof a.json.message, success: a.json.success };
}

export const err = (status: number, code: number) => ({ status, code, message: "string", success: false });

/** A clock that only moves when told to (sleep advances it at once): deterministic window tests. */
export function manualClock(start = Date.parse("2026-03-14T09:00:00Z")): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
