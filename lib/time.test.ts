import { describe, expect, it } from "vitest";
import { businessDate, businessDayRange, shopToday, zonedTimeToUtc } from "./time";

describe("business dates", () => {
  it("uses the shop's time zone, not UTC", () => {
    // 23:30 UTC on 31 Jan is 00:30 on 1 Feb in Berlin.
    expect(businessDate(new Date("2026-01-31T23:30:00Z"), "Europe/Berlin")).toBe("2026-02-01");
  });

  it("moves sales before the cut-off hour to the previous business day", () => {
    // 02:30 Berlin (winter, UTC+1) with a 04:00 cut-off belongs to the evening before.
    expect(businessDate(new Date("2026-02-01T01:30:00Z"), "Europe/Berlin", 4)).toBe("2026-01-31");
    expect(businessDate(new Date("2026-02-01T03:00:00Z"), "Europe/Berlin", 4)).toBe("2026-02-01");
  });

  it("handles the DST switch", () => {
    // 29 Mar 2026: clocks jump 02:00 → 03:00 in Berlin; the business day has 23 hours.
    const { start, end } = businessDayRange("2026-03-29", "Europe/Berlin", 0);
    expect(start.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(end.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    // 25 Oct 2026: 03:00 → 02:00; 25 hours.
    const autumn = businessDayRange("2026-10-25", "Europe/Berlin", 0);
    expect((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000).toBe(25);
    // A wall-clock time inside the spring gap resolves after the gap.
    expect(zonedTimeToUtc("2026-03-29", 2, "Europe/Berlin", 30).toISOString()).toBe("2026-03-29T01:30:00.000Z");
  });
});

describe("shopToday", () => {
  it("is the shop's calendar date, not the server's UTC one", () => {
    // 23:30 UTC on 31 Jan is already 1 Feb in Berlin.
    expect(shopToday(new Date("2026-01-31T23:30:00Z"))).toBe("2026-02-01");
    expect(shopToday(new Date("2026-07-31T21:59:00Z"))).toBe("2026-07-31");
    expect(shopToday(new Date("2026-01-31T23:30:00Z"), "UTC")).toBe("2026-01-31");
  });
});
