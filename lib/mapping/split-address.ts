/**
 * Splits a German-style address line into street and house number: "Hauptstraße 12a" → ("Hauptstraße", "12a"),
 * "Am Markt 3-5" → ("Am Markt", "3-5"), "Straße des 17. Juni 135" → ("Straße des 17. Juni", "135").
 * A number-first line ("12 Baker Street") is split the other way round. No number → all street.
 */
export function splitAddress(line: string): { street: string; houseNumber: string } {
  const s = line.trim().replace(/\s+/g, " ");
  if (!s) return { street: "", houseNumber: "" };
  const trailing = /^(.*?[^\d\s,.-].*?)[\s,]+(\d+\s?[a-zA-Z]?(?:\s?[-/]\s?\d+\s?[a-zA-Z]?)?)$/.exec(s);
  if (trailing) return { street: trailing[1]!.replace(/[\s,]+$/, ""), houseNumber: trailing[2]!.replace(/\s+/g, "") };
  const leading = /^(\d+\s?[a-zA-Z]?(?:[-/]\d+[a-zA-Z]?)?)[\s,]+(.+)$/.exec(s);
  if (leading) return { street: leading[2]!, houseNumber: leading[1]!.replace(/\s+/g, "") };
  return { street: s, houseNumber: "" };
}
