import { describe, expect, it } from "vitest";
import { businessDate, businessDayRange, shopToday, zonedParts, zonedTimeToUtc } from "./time";

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

describe("zonedParts", () => {
  it("#21.2 reads the same parts as Intl at every instant, across transitions, in whole-hour and half-hour zones", () => {
    const zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "UTC"];
    // Around the 2026 transitions of Europe, North America and Lord Howe (30-minute DST), every 7 min 13.5 s.
    const windows = ["2026-03-08T00:00:00Z", "2026-03-29T00:00:00Z", "2026-04-04T12:00:00Z", "2026-10-03T12:00:00Z", "2026-10-25T00:00:00Z", "2026-11-01T00:00:00Z"];
    for (const timeZone of zones) {
      const f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short" });
      const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
      for (const w of windows) {
        for (let t = Date.parse(w); t < Date.parse(w) + 14 * 3_600_000; t += 433_500) {
          const parts = Object.fromEntries(f.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
          const expected = { year: +parts.year!, month: +parts.month!, day: +parts.day!, hour: +parts.hour!, minute: +parts.minute!, second: +parts.second!, weekday: weekdays[parts.weekday!] };
          expect(zonedParts(new Date(t), timeZone), `${timeZone} ${new Date(t).toISOString()}`).toEqual(expected);
        }
      }
    }
  });
});
