import type { SbLimits } from "./context";

/**
 * BB's documented limits as exact rolling windows on the sandbox clock, per tenant: all calls, each batch
 * endpoint on its own, and uploads. A call is counted when it arrives; a window holds calls with
 * `at > now − window`.
 */
export class RateWindows {
  private readonly stamps = new Map<string, number[]>();

  constructor(private readonly limits: () => SbLimits) {}

  private count(key: string, now: number, windowMs: number): number {
    const list = this.stamps.get(key);
    if (!list) return 0;
    while (list.length && list[0]! <= now - windowMs) list.shift();
    return list.length;
  }

  /** True when the call may go ahead. Throttled calls are recorded too when `countThrottled`. */
  admit(tenantKey: string, path: string, bucket: "batch" | "upload" | undefined, now: number, countThrottled: boolean): boolean {
    const l = this.limits();
    const checks: [string, number, number][] = [[`${tenantKey}|all`, l.perWindow, l.windowMs]];
    if (bucket === "batch") checks.push([`${tenantKey}|batch|${path}`, 1, l.batchIntervalMs]);
    if (bucket === "upload") checks.push([`${tenantKey}|upload`, l.uploadsPerWindow, l.windowMs]);
    const allowed = checks.every(([key, max, windowMs]) => this.count(key, now, windowMs) < max);
    if (allowed || countThrottled) {
      for (const [key] of checks) {
        const list = this.stamps.get(key) ?? [];
        list.push(now);
        this.stamps.set(key, list);
      }
    }
    return allowed;
  }
}
