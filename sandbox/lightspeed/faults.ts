import type { Rng } from "./rng";

/**
 * Runtime fault injection, per sandbox instance: random 5xx, slow responses, dropped connections, 429 storms
 * and one-shot canned responses (any status, optionally only for matching paths). Draws come from a seeded
 * RNG so a failing test replays the same faults.
 */
export interface InjectedResponse {
  status: number;
  /** Substring or /regex/ source the request path must match (default: every API request). */
  path?: string;
  /** How many requests get it (default 1). */
  times?: number;
  message?: string;
  headers?: Record<string, string>;
  /** A JSON body to send instead of the error body (e.g. a page whose `next` loops). */
  body?: unknown;
}

export interface FaultConfig {
  /** Share of API requests that fail with one of `errorStatuses`. */
  errorRate: number;
  errorStatuses: number[];
  /** Share of API requests delayed by `slowMs` (sandbox-clock milliseconds). */
  slowRate: number;
  slowMs: number;
  /** Share of API requests whose connection is destroyed without a response. */
  dropRate: number;
  /** Until this sandbox-clock time every API request gets a 429 (leaky bucket) with Retry-After. */
  storm429Until: number | null;
  inject: InjectedResponse[];
}

export const NO_FAULTS: FaultConfig = { errorRate: 0, errorStatuses: [500, 502, 503], slowRate: 0, slowMs: 0, dropRate: 0, storm429Until: null, inject: [] };

export type FaultDecision =
  | { kind: "none"; delayMs: number }
  | { kind: "drop"; delayMs: number }
  | { kind: "status"; status: number; message: string; headers: Record<string, string>; body?: unknown; delayMs: number }
  | { kind: "storm"; delayMs: number };

export class Faults {
  config: FaultConfig = structuredClone(NO_FAULTS);
  readonly counts = { errors: 0, drops: 0, slow: 0, storms: 0, injected: 0 };

  constructor(private readonly rng: Rng) {}

  set(patch: Partial<FaultConfig>): FaultConfig {
    this.config = { ...this.config, ...patch, inject: patch.inject ? patch.inject.map((i) => ({ ...i })) : this.config.inject };
    return this.config;
  }

  reset(): void {
    this.config = structuredClone(NO_FAULTS);
  }

  /** Queue a canned response for the next matching request(s). */
  injectOnce(response: InjectedResponse): void {
    this.config.inject.push({ ...response });
  }

  decide(path: string, now: number, api: boolean): FaultDecision {
    const c = this.config;
    const delayMs = api && c.slowRate > 0 && this.rng.chance(c.slowRate) ? (this.counts.slow++, c.slowMs) : 0;
    const idx = c.inject.findIndex((i) => !i.path || (i.path.startsWith("/") && i.path.endsWith("/") && i.path.length > 2 ? new RegExp(i.path.slice(1, -1)).test(path) : path.includes(i.path)));
    if (idx >= 0) {
      const hit = c.inject[idx]!;
      hit.times = (hit.times ?? 1) - 1;
      if (hit.times <= 0) c.inject.splice(idx, 1);
      this.counts.injected++;
      return { kind: "status", status: hit.status, message: hit.message ?? "", headers: hit.headers ?? {}, body: hit.body, delayMs };
    }
    if (!api) return { kind: "none", delayMs };
    if (c.storm429Until !== null && now < c.storm429Until) {
      this.counts.storms++;
      return { kind: "storm", delayMs };
    }
    if (c.dropRate > 0 && this.rng.chance(c.dropRate)) {
      this.counts.drops++;
      return { kind: "drop", delayMs };
    }
    if (c.errorRate > 0 && this.rng.chance(c.errorRate)) {
      this.counts.errors++;
      return { kind: "status", status: this.rng.pick(c.errorStatuses), message: "", headers: {}, delayMs };
    }
    return { kind: "none", delayMs };
  }
}
