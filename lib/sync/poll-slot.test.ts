import { describe, expect, it } from "vitest";
import { isPollDue, nextPollAt, pollSlot } from "./poll-slot";

const tenants = Array.from({ length: 1000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, 0) + minute * 60_000);

describe("poll slots", () => {
  it("#15.10 spreads 1,000 tenants' polls evenly over the interval, and a tenant's three flows apart", () => {
    const perMinute = [0, 0, 0, 0, 0];
    for (const t of tenants) perMinute[pollSlot(t, "orders", 5)]!++;
    // Even within ±20 % of 200 per minute, never all on one minute as the fixed */5 cron did.
    for (const n of perMinute) {
      expect(n).toBeGreaterThan(160);
      expect(n).toBeLessThan(240);
    }
    const sameMinute = tenants.filter((t) => new Set((["orders", "products", "stock"] as const).map((f) => pollSlot(t, f, 5))).size === 1);
    expect(sameMinute.length).toBeLessThan(100);
  });

  it("polls each tenant once per interval on its slot", () => {
    const t = { tenantId: tenants[7]!, flow: "orders" as const, schedule: null };
    let last: Date | null = null;
    const polled: number[] = [];
    for (let m = 0; m < 30; m++) {
      if (isPollDue({ ...t, lastPollAt: last }, at(m))) {
        polled.push(m);
        last = new Date(at(m).getTime() + 20_000);
      }
    }
    expect(polled).toHaveLength(6);
    for (let i = 1; i < polled.length; i++) expect(polled[i]! - polled[i - 1]!).toBe(5);
    expect(nextPollAt({ ...t, lastPollAt: last }, at(29)).getTime()).toBe(at(polled.at(-1)! + 5).getTime());
  });

  it("honours the merchant's own interval; a missed slot waits for the next one, a daily poll two days late is asked for once an hour, not every tick", () => {
    const t = { tenantId: tenants[3]!, flow: "stock" as const, schedule: null };
    const offSlot = Array.from({ length: 5 }, (_, m) => m).find((m) => !isPollDue({ ...t, lastPollAt: null }, at(m)))!;
    // Five minutes or an hour late: the next slot comes within the interval; nothing else is queued.
    expect(isPollDue({ ...t, lastPollAt: new Date(at(offSlot).getTime() - 60 * 60_000) }, at(offSlot))).toBe(false);
    const hourly = { ...t, schedule: "60", lastPollAt: null };
    const due = Array.from({ length: 180 }, (_, m) => m).filter((m) => isPollDue(hourly, at(m)));
    expect(due).toHaveLength(3);
    expect(due[1]! - due[0]!).toBe(60);
    // Daily, last polled three days ago (the instance was down over its slot): one catch-up per hour at most.
    const daily = { ...t, schedule: "1440", lastPollAt: new Date(at(0).getTime() - 3 * 86_400_000) };
    const catchUps = Array.from({ length: 180 }, (_, m) => m).filter((m) => isPollDue(daily, at(m)));
    expect(catchUps.length).toBeGreaterThanOrEqual(3);
    expect(catchUps.length).toBeLessThanOrEqual(4);
    const recent = { ...daily, lastPollAt: new Date(at(0).getTime() - 86_400_000) };
    expect(Array.from({ length: 180 }, (_, m) => m).filter((m) => isPollDue(recent, at(m))).length).toBeLessThanOrEqual(1);
  });
});
