import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isAppError, type AppError } from "@/lib/errors/app-error";

/**
 * The contract corpus: responses recorded against the real Lightspeed R-Series and BuchhaltungsButler APIs by
 * others (see PROVENANCE.md), one JSON file each, and a loopback server that answers with them so the
 * production clients can be replayed against what the real APIs said.
 */
export interface RecordedSource {
  repository: string;
  path: string;
  commit: string;
  kind: string;
  recordedAt?: string | null;
  fidelity?: string;
  [extra: string]: unknown;
}

export interface Recorded {
  id: string;
  source: RecordedSource;
  request: { method: string; url: string; body?: unknown };
  response: { status: number; headers: Record<string, string | string[]>; body: unknown };
  notes?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export type Api = "lightspeed" | "buchhaltungsbutler";

export function corpusIds(api: Api): string[] {
  return readdirSync(path.join(here, api))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

export function recorded(api: Api, id: string): Recorded {
  return JSON.parse(readFileSync(path.join(here, api, `${id}.json`), "utf8")) as Recorded;
}

/** The recorded body as a plain object (throws if it is not one). */
export function bodyOf(r: Recorded): Record<string, unknown> {
  const b = r.response.body;
  if (!b || typeof b !== "object" || Array.isArray(b)) throw new Error(`${r.id}: the recorded body is not an object`);
  return b as Record<string, unknown>;
}

export interface ReplayRoute {
  method?: string;
  /** Matched against the request path without the query string. */
  path: string | RegExp;
  /** One answer, or a sequence served in order (the last one repeats). */
  answer: Recorded | Recorded[];
  /** Serve the body as this exact text instead of the recorded JSON (e.g. an HTML page). */
  text?: string;
}

export interface ReplayServer {
  url: string;
  /** Method and path (with query) of each request, in order. */
  requests: { method: string; path: string; body: string }[];
  close(): Promise<void>;
}

function headerValue(v: string | string[]): string {
  return Array.isArray(v) ? v.join(", ") : v;
}

/** A loopback HTTP server answering each route with its recorded status, headers and body; anything else is 599. */
export async function replayServer(routes: ReplayRoute[]): Promise<ReplayServer> {
  const requests: ReplayServer["requests"] = [];
  const served = new Map<ReplayRoute, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const full = req.url ?? "/";
      const bare = full.split("?")[0] ?? full;
      requests.push({ method: req.method ?? "GET", path: full, body: Buffer.concat(chunks).toString("utf8") });
      const route = routes.find((r) => (r.method === undefined || r.method === req.method) && (typeof r.path === "string" ? r.path === bare : r.path.test(bare)));
      if (!route) {
        res.writeHead(599, { "content-type": "text/plain" });
        res.end(`no recorded answer for ${req.method} ${full}`);
        return;
      }
      const n = served.get(route) ?? 0;
      served.set(route, n + 1);
      const answers = Array.isArray(route.answer) ? route.answer : [route.answer];
      const answer = answers[Math.min(n, answers.length - 1)]!;
      const { status, headers, body } = answer.response;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = headerValue(v);
      const text = route.text ?? (body === null || body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body));
      res.writeHead(status, out);
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The AppError a replayed call ends in (the production client's classification is what the tests check). */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}
