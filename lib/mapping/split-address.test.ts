import { describe, expect, it } from "vitest";
import { countryCode } from "./country-code";
import { splitAddress } from "./split-address";

describe("splitAddress", () => {
  it.each([
    ["Hauptstraße 12a", "Hauptstraße", "12a"],
    ["Hauptstr. 1", "Hauptstr.", "1"],
    ["Am Markt 3-5", "Am Markt", "3-5"],
    ["Straße des 17. Juni 135", "Straße des 17. Juni", "135"],
    ["Schönhauser Allee 12 B", "Schönhauser Allee", "12B"],
    ["Kurfürstendamm 26/27", "Kurfürstendamm", "26/27"],
    ["12 Baker Street", "Baker Street", "12"],
    ["Postfach", "Postfach", ""],
    ["  Lindenweg   7  ", "Lindenweg", "7"],
    ["", "", ""],
  ])("%s", (line, street, houseNumber) => {
    expect(splitAddress(line)).toEqual({ street, houseNumber });
  });
});

describe("countryCode", () => {
  it("prefers Lightspeed's code, then known names, else nothing", () => {
    expect(countryCode({ countryCode: "at", country: "Germany" })).toBe("AT");
    expect(countryCode({ country: "Deutschland" })).toBe("DE");
    expect(countryCode({ country: "Netherlands" })).toBe("NL");
    expect(countryCode({ country: "Atlantis" })).toBeNull();
    expect(countryCode({})).toBeNull();
  });
});
