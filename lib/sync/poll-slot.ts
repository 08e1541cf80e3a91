import crypto from "node:crypto";
import type { Flow } from "@/db/schema";

/** How often a flow polls when the merchant has not chosen (Settings → schedule). */
export const DEFAULT_POLL_MINUTES = 5;

/**
 * The minute within its interval at which a tenant's flow polls. Derived from the tenant and the flow, so a
 * thousand tenants spread evenly over the interval instead of all starting on the same minute, and a
 * tenant's three flows do not start together either; the same on every instance and after every restart.
 */
export function pollSlot(tenantId: string, flow: Flow, intervalMinutes: number): number {
  const h = crypto.createHash("sha256").update(`${tenantId}:${flow}`).digest();
  return h.readUInt32BE(0) % intervalMinutes;
}

export function intervalMinutesOf(schedule: string | null): number {
  const minutes = Number(schedule);
  return schedule && Number.isInteger(minutes) && minutes > 0 ? minutes : DEFAULT_POLL_MINUTES;
}

const minuteIndex = (at: Date) => Math.floor(at.getTime() / 60_000);

export interface PollTiming {
  tenantId: string;
  flow: Flow;
  /** flow_settings.schedule: minutes, or null for the default. */
  schedule: string | null;
  lastPollAt: Date | null;
}

/** How often an overdue daily poll is asked for again while it waits (a queued poll is not a started run). */
const CATCH_UP_EVERY_MINUTES = 60;

/**
 * Whether the cron tick at `tick` (ticking every minute) polls this tenant's flow: on its slot, once per
 * interval. A missed slot (an outage) costs at most one interval — except for a daily schedule, where a
 * tenant that has not polled for two days is asked for again once an hour on its own minute: not every
 * tick, or a backlog behind the concurrency ceiling would stack a poll per minute. `now` is the wall clock
 * the runs' start times are stamped with; it differs from `tick` only under a benchmark's accelerated clock.
 */
export function isPollDue(t: PollTiming, tick: Date, now: Date = tick): boolean {
  const interval = intervalMinutesOf(t.schedule);
  if (minuteIndex(tick) % interval === pollSlot(t.tenantId, t.flow, interval)) return true;
  if (interval <= CATCH_UP_EVERY_MINUTES || !t.lastPollAt) return false;
  const overdue = now.getTime() - t.lastPollAt.getTime() >= 2 * interval * 60_000;
  return overdue && minuteIndex(tick) % CATCH_UP_EVERY_MINUTES === pollSlot(t.tenantId, t.flow, CATCH_UP_EVERY_MINUTES);
}

/** The first minute after `now` at which the flow will poll (for the dashboard). */
export function nextPollAt(t: PollTiming, now: Date): Date {
  const interval = intervalMinutesOf(t.schedule);
  const start = minuteIndex(now) + 1;
  for (let m = start; m < start + interval; m++) {
    const at = new Date(m * 60_000);
    if (isPollDue(t, at, at)) return at;
  }
  return new Date(start * 60_000);
}
