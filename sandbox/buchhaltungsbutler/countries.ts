/**
 * Country validation as BB documents it: ISO 3166 alpha-2 ("DK") or the German name ("Dänemark").
 * Built from the runtime's ICU data, so no list is maintained by hand.
 */
const PSEUDO = new Set(["EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK"]);

let cache: { codes: Set<string>; germanNames: Map<string, string> } | undefined;

function load() {
  if (cache) return cache;
  const en = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });
  const de = new Intl.DisplayNames(["de"], { type: "region", fallback: "code" });
  const codes = new Set<string>();
  const germanNames = new Map<string, string>();
  const A = "A".charCodeAt(0);
  for (let i = 0; i < 26; i++) {
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      if (PSEUDO.has(code)) continue;
      const name = en.of(code);
      if (!name || name === code) continue;
      codes.add(code);
      const german = de.of(code);
      if (german && german !== code) germanNames.set(german.toLowerCase(), code);
    }
  }
  cache = { codes, germanNames };
  return cache;
}

/** The ISO code for an accepted value, or null. */
export function countryCodeOf(value: string): string | null {
  const { codes, germanNames } = load();
  if (codes.has(value)) return value;
  return germanNames.get(value.trim().toLowerCase()) ?? null;
}
