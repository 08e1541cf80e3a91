import { describe, expect, it } from "vitest";
import { parseCron } from "./cron";

describe("cron", () => {
  it("matches steps, lists and ranges", () => {
    const c = parseCron("*/5 8-18 * * 1-5");
    expect(c.matches(new Date("2026-11-30T10:05:00Z"))).toBe(true); // Monday
    expect(c.matches(new Date("2026-11-30T10:06:00Z"))).toBe(false);
    expect(c.matches(new Date("2026-11-29T10:05:00Z"))).toBe(false); // Sunday
  });

  it("honours a TZ prefix", () => {
    const c = parseCron("TZ=Europe/Berlin 30 3 * * *");
    expect(c.next(new Date("2026-11-28T00:00:00Z")).toISOString()).toBe("2026-11-28T02:30:00.000Z");
    expect(c.next(new Date("2026-07-01T00:00:00Z")).toISOString()).toBe("2026-07-01T01:30:00.000Z");
  });

  it("rejects malformed expressions", () => {
    expect(() => parseCron("* * *")).toThrow(/5 fields/);
    expect(() => parseCron("61 * * * *")).toThrow(/out of range/);
    expect(() => parseCron("TZ=Mars/Base * * * * *")).toThrow(/unknown time zone/);
  });
});
