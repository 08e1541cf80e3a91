/**
 * The two charts of accounts the sandbox models, with the accounts a till integration touches (reference §4.1)
 * and enough neighbours to make account pickers and validation realistic. Not a full DATEV chart.
 *
 * - `forcedVat`: Automatikkonten; posting them with another VAT code is rejected (errors 24/16/27).
 * - `vatClass`: which VAT codes the account accepts (`output` refuses input-tax codes and vice versa).
 * - `blocked`: tax and collective accounts BB refuses for manual postings.
 */
export type Chart = "SKR03" | "SKR04";
export type DebtorMode = "off" | "selective" | "collective";
export type PaymentAccountType = "cash" | "bank/institution" | "other";

export const VAT_CODES = [
  "0_none",
  "19_vat",
  "7_vat",
  "19_pre",
  "7_pre",
  "19_both_1",
  "19_both_506",
  "19_both_6506",
  "19_both_511",
  "19_both_6511",
  "19_both_6501",
  "19_both_2",
  "7_both",
  "19_both_1_no_pre",
  "19_both_2_no_pre",
  "7_both_no_pre",
  "19_pre_app",
  "7_pre_app",
  "19_both_app_1",
  "19_both_app_506",
  "19_both_app_511",
  "19_both_app_2",
  "7_both_app",
] as const;
export type VatCode = (typeof VAT_CODES)[number];

export type VatClass = "output" | "input" | "none" | "any";

/** What a VAT code means for the ledger: rate in percent and which tax it creates. */
export function vatInfo(code: VatCode): { rate: number; kind: "none" | "output" | "input" | "reverse" } {
  if (code === "0_none") return { rate: 0, kind: "none" };
  const rate = code.startsWith("19") ? 19 : 7;
  if (code.endsWith("_vat")) return { rate, kind: "output" };
  if (code === "19_pre" || code === "7_pre" || code.endsWith("_pre_app")) return { rate, kind: "input" };
  return { rate, kind: "reverse" };
}

export interface ChartAccount {
  number: number;
  name: string;
  vatClass: VatClass;
  forcedVat?: VatCode;
  blocked?: boolean;
  /** Created through settings/add/postingaccount (not a template; cannot be a parent). */
  manual?: boolean;
  parent?: number;
}

export interface ChartSpec {
  accounts: ChartAccount[];
  /** Where output/input tax of a posting goes, per rate. */
  outputTax: Record<19 | 7, number>;
  inputTax: Record<19 | 7, number>;
  reverseChargeOutput: number;
  reverseChargeInput: number;
  /** Allowed numbers for payment accounts (Basiskonten) per type. */
  paymentRanges: Record<PaymentAccountType, [number, number][]>;
  /** Numbers (ranges) that can never be created as manual Sachkonten. */
  reservedRanges: [number, number][];
  /** The account that detects the chart (Erlöse 19 %). */
  revenue19: number;
}

const a = (number: number, name: string, vatClass: VatClass, extra: Partial<ChartAccount> = {}): ChartAccount => ({ number, name, vatClass, ...extra });

const SKR03: ChartSpec = {
  revenue19: 8400,
  outputTax: { 19: 1776, 7: 1771 },
  inputTax: { 19: 1576, 7: 1571 },
  reverseChargeOutput: 1787,
  reverseChargeInput: 1577,
  paymentRanges: {
    cash: [[1000, 1020]],
    "bank/institution": [
      [1200, 1200],
      [1250, 1288],
    ],
    other: [
      [1371, 1371],
      [1730, 1730],
      [1792, 1792],
    ],
  },
  reservedRanges: [
    [1000, 1020],
    [1200, 1288],
    [1400, 1410],
    [1570, 1589],
    [1600, 1610],
    [1766, 1789],
  ],
  accounts: [
    a(1360, "Geldtransit", "any"),
    a(1370, "Durchlaufende Posten", "any"),
    a(1400, "Forderungen aus Lieferungen und Leistungen", "none", { blocked: true }),
    a(1571, "Abziehbare Vorsteuer 7 %", "none", { blocked: true }),
    a(1576, "Abziehbare Vorsteuer 19 %", "none", { blocked: true }),
    a(1577, "Abziehbare Vorsteuer nach § 13b UStG 19 %", "none", { blocked: true }),
    a(1590, "Durchlaufende Posten / Interimskonto", "any"),
    a(1600, "Verbindlichkeiten aus Lieferungen und Leistungen", "none", { blocked: true }),
    a(1710, "Erhaltene Anzahlungen auf Bestellungen (Verbindlichkeiten)", "none"),
    a(1711, "Erhaltene, versteuerte Anzahlungen 7 % USt (Verbindlichkeiten)", "output", { forcedVat: "7_vat" }),
    a(1718, "Erhaltene, versteuerte Anzahlungen 19 % USt (Verbindlichkeiten)", "output", { forcedVat: "19_vat" }),
    a(1740, "Verbindlichkeiten aus Lohn und Gehalt", "none"),
    a(1766, "Umsatzsteuer nicht fällig 19 %", "none", { blocked: true }),
    a(1771, "Umsatzsteuer 7 %", "none", { blocked: true }),
    a(1776, "Umsatzsteuer 19 %", "none", { blocked: true }),
    a(1780, "Umsatzsteuer-Vorauszahlungen", "none"),
    a(1787, "Umsatzsteuer nach § 13b UStG 19 %", "none", { blocked: true }),
    a(1796, "Ausgegebene Geschenkgutscheine", "none"),
    a(1800, "Privatentnahmen allgemein", "none"),
    a(1890, "Privateinlagen", "none"),
    a(2650, "Sonstige Zinsen und ähnliche Erträge", "none"),
    a(3300, "Wareneingang 7 % Vorsteuer", "input", { forcedVat: "7_pre" }),
    a(3400, "Wareneingang 19 % Vorsteuer", "input", { forcedVat: "19_pre" }),
    a(3960, "Bestandsveränderungen Waren", "none"),
    a(3980, "Bestand Waren", "none"),
    a(4120, "Gehälter", "none"),
    a(4210, "Miete", "input"),
    a(4900, "Sonstige betriebliche Aufwendungen", "input"),
    a(4930, "Bürobedarf", "input"),
    a(4970, "Nebenkosten des Geldverkehrs", "input"),
    a(8100, "Steuerfreie Umsätze § 4 Nr. 8 ff. UStG", "output", { forcedVat: "0_none" }),
    a(8120, "Steuerfreie Umsätze § 4 Nr. 1a UStG", "output", { forcedVat: "0_none" }),
    a(8125, "Steuerfreie innergemeinschaftliche Lieferungen § 4 Nr. 1b UStG", "output", { forcedVat: "0_none" }),
    a(8200, "Erlöse", "output"),
    a(8300, "Erlöse 7 % USt", "output", { forcedVat: "7_vat" }),
    a(8400, "Erlöse 19 % USt", "output", { forcedVat: "19_vat" }),
    a(8736, "Gewährte Skonti 19 % USt", "output", { forcedVat: "19_vat" }),
    a(8900, "Unentgeltliche Wertabgaben", "output"),
    a(9000, "Saldenvorträge, Sachkonten", "none"),
  ],
};

const SKR04: ChartSpec = {
  revenue19: 4400,
  outputTax: { 19: 3806, 7: 3801 },
  inputTax: { 19: 1406, 7: 1401 },
  reverseChargeOutput: 3837,
  reverseChargeInput: 1407,
  paymentRanges: {
    cash: [[1600, 1620]],
    "bank/institution": [
      [1800, 1800],
      [1850, 1888],
    ],
    other: [
      [1486, 1486],
      [3610, 3610],
      [3630, 3630],
    ],
  },
  reservedRanges: [
    [1200, 1210],
    [1400, 1409],
    [1600, 1620],
    [1800, 1888],
    [3300, 3310],
    [3800, 3849],
  ],
  accounts: [
    a(1140, "Bestand Waren", "none"),
    a(1200, "Forderungen aus Lieferungen und Leistungen", "none", { blocked: true }),
    a(1370, "Durchlaufende Posten / Interimskonto", "any"),
    a(1401, "Abziehbare Vorsteuer 7 %", "none", { blocked: true }),
    a(1406, "Abziehbare Vorsteuer 19 %", "none", { blocked: true }),
    a(1407, "Abziehbare Vorsteuer nach § 13b UStG 19 %", "none", { blocked: true }),
    a(1460, "Geldtransit", "any"),
    a(2100, "Privatentnahmen allgemein", "none"),
    a(2180, "Privateinlagen", "none"),
    a(3250, "Erhaltene Anzahlungen auf Bestellungen (Verbindlichkeiten)", "none"),
    a(3260, "Erhaltene, versteuerte Anzahlungen 7 % USt (Verbindlichkeiten)", "output", { forcedVat: "7_vat" }),
    a(3272, "Erhaltene, versteuerte Anzahlungen 19 % USt (Verbindlichkeiten)", "output", { forcedVat: "19_vat" }),
    a(3300, "Verbindlichkeiten aus Lieferungen und Leistungen", "none", { blocked: true }),
    a(3720, "Verbindlichkeiten aus Lohn und Gehalt", "none"),
    a(3786, "Ausgegebene Geschenkgutscheine", "none"),
    a(3801, "Umsatzsteuer 7 %", "none", { blocked: true }),
    a(3806, "Umsatzsteuer 19 %", "none", { blocked: true }),
    a(3816, "Umsatzsteuer nicht fällig 19 %", "none", { blocked: true }),
    a(3820, "Umsatzsteuer-Vorauszahlungen", "none"),
    a(3837, "Umsatzsteuer nach § 13b UStG 19 %", "none", { blocked: true }),
    a(4100, "Steuerfreie Umsätze § 4 Nr. 8 ff. UStG", "output", { forcedVat: "0_none" }),
    a(4120, "Steuerfreie Umsätze § 4 Nr. 1a UStG", "output", { forcedVat: "0_none" }),
    a(4125, "Steuerfreie innergemeinschaftliche Lieferungen § 4 Nr. 1b UStG", "output", { forcedVat: "0_none" }),
    a(4200, "Erlöse", "output"),
    a(4300, "Erlöse 7 % USt", "output", { forcedVat: "7_vat" }),
    a(4400, "Erlöse 19 % USt", "output", { forcedVat: "19_vat" }),
    a(4736, "Gewährte Skonti 19 % USt", "output", { forcedVat: "19_vat" }),
    a(4620, "Unentgeltliche Entnahme von Gegenständen", "output"),
    a(5300, "Wareneingang 7 % Vorsteuer", "input", { forcedVat: "7_pre" }),
    a(5400, "Wareneingang 19 % Vorsteuer", "input", { forcedVat: "19_pre" }),
    a(5880, "Bestandsveränderungen Waren", "none"),
    a(6020, "Gehälter", "none"),
    a(6300, "Sonstige betriebliche Aufwendungen", "input"),
    a(6310, "Miete", "input"),
    a(6815, "Bürobedarf", "input"),
    a(6855, "Nebenkosten des Geldverkehrs", "input"),
    a(7100, "Sonstige Zinsen und ähnliche Erträge", "none"),
    a(9000, "Saldenvorträge, Sachkonten", "none"),
  ],
};

export const CHARTS: Record<Chart, ChartSpec> = { SKR03, SKR04 };

/** Person accounts (DATEV, 4-digit Sachkonten): debtors 10000–69999, creditors 70000–99999; 10000/70000 are the collective ones. */
export const DEBTOR_RANGE = { from: 10000, to: 69999, collective: 10000 } as const;
export const CREDITOR_RANGE = { from: 70000, to: 99999, collective: 70000 } as const;

export function inRanges(n: number, ranges: [number, number][]): boolean {
  return ranges.some(([lo, hi]) => n >= lo && n <= hi);
}
