/**
 * ISO 3166 alpha-2 for a Lightspeed address. BuchhaltungsButler accepts the ISO code (or the German name) and
 * rejects anything else, so an unknown country is left out rather than sent.
 */
const NAMES: Record<string, string> = {
  germany: "DE", deutschland: "DE", austria: "AT", österreich: "AT", oesterreich: "AT", switzerland: "CH", schweiz: "CH",
  netherlands: "NL", niederlande: "NL", holland: "NL", belgium: "BE", belgien: "BE", france: "FR", frankreich: "FR",
  italy: "IT", italien: "IT", spain: "ES", spanien: "ES", poland: "PL", polen: "PL", denmark: "DK", dänemark: "DK",
  luxembourg: "LU", luxemburg: "LU", "czech republic": "CZ", czechia: "CZ", tschechien: "CZ", sweden: "SE", schweden: "SE",
  "united kingdom": "GB", "great britain": "GB", großbritannien: "GB", "united states": "US", usa: "US", portugal: "PT",
  ireland: "IE", irland: "IE", finland: "FI", finnland: "FI", norway: "NO", norwegen: "NO", hungary: "HU", ungarn: "HU",
  greece: "GR", griechenland: "GR", croatia: "HR", kroatien: "HR", slovenia: "SI", slowenien: "SI", slovakia: "SK", slowakei: "SK",
};

export function countryCode(address: { country?: string; countryCode?: string }): string | null {
  const code = address.countryCode?.trim().toUpperCase();
  if (code && /^[A-Z]{2}$/.test(code)) return code;
  const name = address.country?.trim().toLowerCase();
  if (!name) return null;
  if (/^[a-z]{2}$/.test(name)) return name.toUpperCase();
  return NAMES[name] ?? null;
}
