import { describe, expect, it } from "vitest";
import { formatInvoiceNumber, saleBookingTime, saleBusinessDate } from "./sale-references";

const at = (iso: string) => ({ completeTime: iso, timeStamp: iso });

describe("sale references", () => {
  it("formats the invoice number from the pattern", () => {
    expect(formatInvoiceNumber("LS-{shopID}-{ticketNumber}", { shopId: "1", ticketNumber: "220000000277", saleId: "277", registerId: "5" })).toBe("LS-1-220000000277");
    expect(formatInvoiceNumber("{registerID}/{saleID}", { shopId: "1", ticketNumber: "", saleId: "277", registerId: null })).toBe("0/277");
    expect(() => formatInvoiceNumber("X".repeat(50) + "{ticketNumber}", { shopId: "1", ticketNumber: "220000000277", saleId: "1", registerId: null })).toThrow(/longer than the 60 characters/);
  });

  it("dates a sale after midnight to the previous business day with a cut-off, and sorts it last", () => {
    // 00:30 Berlin on 15 March (UTC+1).
    const late = at("2026-03-14T23:30:00.000Z");
    expect(saleBusinessDate(late, "Europe/Berlin", 0)).toBe("2026-03-15");
    expect(saleBusinessDate(late, "Europe/Berlin", 4)).toBe("2026-03-14");
    expect(saleBookingTime(late, "Europe/Berlin", 4)).toBe("23:59:59");
    expect(saleBookingTime(at("2026-03-14T09:05:07.000Z"), "Europe/Berlin", 4)).toBe("10:05:07");
  });

  it("uses the shop's zone across the DST switch", () => {
    // 29 March 2026, 01:30 UTC = 03:30 CEST (after the switch).
    expect(saleBusinessDate(at("2026-03-29T01:30:00.000Z"), "Europe/Berlin", 4)).toBe("2026-03-28");
    expect(saleBusinessDate(at("2026-03-29T02:30:00.000Z"), "Europe/Berlin", 4)).toBe("2026-03-29");
    // 25 October 2026, 01:30 UTC = 02:30 CET (after falling back).
    expect(saleBusinessDate(at("2026-10-25T01:30:00.000Z"), "Europe/Berlin", 4)).toBe("2026-10-24");
  });
});
