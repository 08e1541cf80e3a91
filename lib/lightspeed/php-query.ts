/**
 * Query strings the way PHP writes and reads them, because Lightspeed signs launch URLs over a query rebuilt
 * with `ksort` + `http_build_query` (official PHP demo). `urlencode` keeps only A–Z a–z 0–9 - _ . unescaped,
 * writes a space as "+", and percent-encodes every other UTF-8 byte with upper-case hex.
 */
const UNRESERVED = /[A-Za-z0-9\-_.]/;

export function phpUrlencode(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && UNRESERVED.test(ch)) out += ch;
    else if (byte === 0x20) out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** `urldecode`: "+" is a space, %XX are bytes (invalid sequences are an error, not guessed at). */
export function phpUrldecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

/** Parses a raw query (without "?") into key/value pairs; a repeated key keeps its last value, as PHP does. */
export function parsePhpQuery(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = phpUrldecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : phpUrldecode(part.slice(eq + 1));
    out.delete(key);
    out.set(key, value);
  }
  return out;
}

/** `ksort` (byte order for non-numeric keys) + `http_build_query`. */
export function phpBuildSortedQuery(params: Map<string, string>): string {
  return [...params.entries()]
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")))
    .map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`)
    .join("&");
}
