import * as z from "zod";
import type { Database } from "../db";
import { AppError } from "../errors/app-error";
import type { LsPaymentType } from "../lightspeed/domain";
import { CHART_DEFAULTS, type VatCode } from "./chart-defaults";
import { deleteMapping, saveMapping, type OrderMappings, type PaymentTypeTarget } from "./order-mappings";
import { cardOnCashWarnings, proposeOrderMappings, type PaymentAccountInfo } from "./propose-order-mappings";

/**
 * The order-mapping screen (wizard step 5 and Mappings) as one form: what it shows, and how a submitted form
 * becomes mappings. Payment types are encoded "tender:<account>" | "gift_card" | "on_account" | "ignore" | "".
 */
export interface OrderMappingFormValues {
  paymentTypes: Record<string, string>;
  tax: Record<"19" | "7" | "0", { account: string; vat: VatCode }>;
  termsDays: string;
  rounding: string;
  /** Revenue account for lines sold as not taxable (`tax=false`); booked with "keine USt.". */
  taxFree: string;
  tips: string;
  giftCard: string;
  /** "multi_purpose" (liability, the default) | "single_purpose" (revenue with VAT when sold). */
  giftCardKind: "multi_purpose" | "single_purpose";
  /** Single-purpose only: the voucher's rate and its revenue account. */
  giftCardVat: "19_vat" | "7_vat";
  giftCardRevenue: string;
  /** Advance-payment account (erhaltene Anzahlungen) per VAT code, for deposits on layaways and orders. */
  advance: Record<VatCode, string>;
}

const VAT_CODES = ["19_vat", "7_vat", "0_none"] as const satisfies readonly VatCode[];

export function encodeTarget(t: PaymentTypeTarget | null | undefined): string {
  if (!t) return "";
  return t.kind === "tender" ? `tender:${t.account}` : t.kind;
}

function decodeTarget(v: string): PaymentTypeTarget | null {
  if (v === "") return null;
  if (v === "gift_card" || v === "on_account" || v === "ignore") return { kind: v };
  const m = /^tender:(\d{1,9})$/.exec(v);
  if (!m) throw new AppError("INVALID_INPUT", { detail: `unknown payment target "${v}"` });
  return { kind: "tender", account: Number(m[1]) };
}

/** Saved mappings; on the first visit (nothing saved yet) the chart's proposal. */
export function formValuesFor(mappings: OrderMappings, paymentTypes: LsPaymentType[], accounts: PaymentAccountInfo[]): OrderMappingFormValues {
  // Defaults only until the merchant saved payment mappings once; after that the form shows exactly what is
  // stored, so an unmapped type reads "not mapped" instead of a suggestion that is not in effect.
  const firstVisit = mappings.paymentTypes.size === 0;
  const proposal = mappings.chart && firstVisit ? proposeOrderMappings(mappings.chart, paymentTypes, accounts) : null;
  const pt: Record<string, string> = {};
  for (const p of paymentTypes.filter((x) => !x.archived)) {
    const saved = mappings.paymentTypes.get(p.paymentTypeId);
    pt[p.paymentTypeId] = saved ? encodeTarget(saved) : encodeTarget(proposal?.paymentTypes.find((x) => x.paymentType.paymentTypeId === p.paymentTypeId)?.target);
  }
  const tax = {} as OrderMappingFormValues["tax"];
  for (const rate of ["19", "7", "0"] as const) {
    const saved = mappings.taxRates.get(rate);
    const proposed = proposal?.taxRates.find((x) => x.rate === rate);
    tax[rate] = { account: String(saved?.account ?? proposed?.account ?? ""), vat: saved?.vat ?? proposed?.vat ?? (rate === "19" ? "19_vat" : rate === "7" ? "7_vat" : "0_none") };
  }
  return {
    paymentTypes: pt,
    tax,
    termsDays: String(mappings.paymentTerms.get("default")?.days ?? proposal?.paymentTermsDays ?? 14),
    rounding: String(mappings.rounding?.account ?? proposal?.rounding.account ?? ""),
    taxFree: String(mappings.taxFree?.account ?? proposal?.taxFree.account ?? ""),
    tips: String(mappings.tips?.account ?? proposal?.tips.account ?? ""),
    giftCard: String(mappings.giftCardLiability?.account ?? proposal?.giftCardLiability.account ?? ""),
    ...giftCardKindValues(mappings),
    advance: advanceValues(mappings),
  };
}

/** The saved account per VAT code, else the chart's default: the account the sync books a deposit on today. */
function advanceValues(mappings: OrderMappings): Record<VatCode, string> {
  const out = {} as Record<VatCode, string>;
  for (const vat of VAT_CODES) {
    const account = mappings.advancePayments.get(vat)?.account ?? (mappings.chart ? CHART_DEFAULTS[mappings.chart].advancePayments[vat] : null);
    out[vat] = account === null ? "" : String(account);
  }
  return out;
}

function giftCardKindValues(mappings: OrderMappings): Pick<OrderMappingFormValues, "giftCardKind" | "giftCardVat" | "giftCardRevenue"> {
  const k = mappings.giftCardKind;
  if (k.kind === "single_purpose") return { giftCardKind: k.kind, giftCardVat: k.vat, giftCardRevenue: String(k.account) };
  // Shown pre-filled so that switching to single-purpose offers the chart's revenue account of the rate.
  const suggested = mappings.taxRates.get("19")?.account ?? (mappings.chart ? CHART_DEFAULTS[mappings.chart].revenue["19_vat"] : null);
  return { giftCardKind: "multi_purpose", giftCardVat: "19_vat", giftCardRevenue: suggested === null ? "" : String(suggested) };
}

export const accountField = z.string().trim().regex(/^\d{3,9}$/, { error: "Enter an account number (digits only)." });

export const orderMappingFormSchema = z.object({
  paymentTypes: z.record(z.string().regex(/^\d+$/), z.string().max(30)),
  tax: z.object({
    "19": z.object({ account: accountField, vat: z.enum(["19_vat", "7_vat", "0_none"]) }),
    "7": z.object({ account: accountField, vat: z.enum(["19_vat", "7_vat", "0_none"]) }),
    "0": z.object({ account: accountField, vat: z.enum(["19_vat", "7_vat", "0_none"]) }),
  }),
  termsDays: z.coerce.number().int().min(0).max(365),
  rounding: accountField,
  taxFree: accountField,
  tips: accountField,
  giftCard: accountField,
  giftCardKind: z.enum(["multi_purpose", "single_purpose"]),
  giftCardVat: z.enum(["19_vat", "7_vat"]),
  // Only used for single-purpose vouchers (required then: see singlePurposeNeedsAccount).
  giftCardRevenue: z.string().trim().regex(/^(\d{3,9})?$/, { error: "Enter an account number (digits only)." }),
  advance: z.object({ "19_vat": accountField, "7_vat": accountField, "0_none": accountField }),
});

/** Kept apart from the object schema: zod refuses `.extend` on an object that carries a refinement. */
function singlePurposeNeedsAccount(v: { giftCardKind: string; giftCardRevenue: string }, ctx: z.RefinementCtx) {
  if (v.giftCardKind === "single_purpose" && v.giftCardRevenue === "") ctx.addIssue({ code: "custom", path: ["giftCardRevenue"], message: "Enter the revenue account for single-purpose vouchers." });
}

/** The flat form fields (pt.<id>, tax.<rate>.account …) as the structured values, before validation. */
function structured(form: Record<string, unknown>) {
  const field = (name: string) => (typeof form[name] === "string" ? form[name] : "");
  const pt: Record<string, string> = {};
  for (const k of Object.keys(form)) if (k.startsWith("pt.")) pt[k.slice(3)] = field(k);
  const tax = Object.fromEntries((["19", "7", "0"] as const).map((r) => [r, { account: field(`tax.${r}.account`), vat: field(`tax.${r}.vat`) }]));
  const advance = Object.fromEntries(VAT_CODES.map((v) => [v, field(`advance.${v}`)]));
  return { paymentTypes: pt, tax, termsDays: form.termsDays, rounding: form.rounding, taxFree: form.taxFree, tips: form.tips, giftCard: form.giftCard, giftCardKind: form.giftCardKind ?? "multi_purpose", giftCardVat: form.giftCardVat ?? "19_vat", giftCardRevenue: form.giftCardRevenue ?? "", advance };
}

/** Reads the flat form fields into the structured values. */
export function parseOrderMappingForm(form: Record<string, string>): z.infer<typeof orderMappingFormSchema> {
  return orderMappingFormSchema.superRefine(singlePurposeNeedsAccount).parse(structured(form));
}

/**
 * The submitted form as a schema (for the server action): issue paths come out as the form's own field names
 * (`tax.19.account`), so errors land next to the field. `__wizard` marks the wizard's copy of the form.
 */
export const orderMappingSubmitSchema = z
  .record(z.string(), z.unknown())
  .transform((form) => ({ ...structured(form), wizard: form.__wizard === "1" }))
  .pipe(orderMappingFormSchema.extend({ wizard: z.boolean() }).superRefine(singlePurposeNeedsAccount));

export async function saveOrderMappingForm(database: Database, tenantId: string, values: z.infer<typeof orderMappingFormSchema>, paymentTypes: LsPaymentType[], accounts: PaymentAccountInfo[]): Promise<{ warnings: string[] }> {
  const mapped: { paymentType: LsPaymentType; target: PaymentTypeTarget | null }[] = [];
  for (const [id, encoded] of Object.entries(values.paymentTypes)) {
    const target = decodeTarget(encoded);
    const pt = paymentTypes.find((p) => p.paymentTypeId === id);
    if (pt) mapped.push({ paymentType: pt, target });
    if (target) await saveMapping(database, tenantId, "payment_type", id, target);
    else await deleteMapping(database, tenantId, "payment_type", id);
  }
  for (const rate of ["19", "7", "0"] as const) await saveMapping(database, tenantId, "tax_rate", rate, { account: Number(values.tax[rate].account), vat: values.tax[rate].vat });
  await saveMapping(database, tenantId, "payment_terms", "default", { days: values.termsDays });
  await saveMapping(database, tenantId, "rounding", "default", { account: Number(values.rounding), vat: "0_none" });
  await saveMapping(database, tenantId, "tax_free", "default", { account: Number(values.taxFree) });
  await saveMapping(database, tenantId, "tips", "default", { account: Number(values.tips) });
  await saveMapping(database, tenantId, "gift_card_liability", "default", { account: Number(values.giftCard) });
  if (values.giftCardKind === "single_purpose") {
    if (values.giftCardRevenue === "") throw new AppError("INVALID_INPUT", { detail: "single-purpose vouchers need a revenue account" });
    await saveMapping(database, tenantId, "gift_card_kind", "default", { kind: "single_purpose", account: Number(values.giftCardRevenue), vat: values.giftCardVat });
  } else await saveMapping(database, tenantId, "gift_card_kind", "default", { kind: "multi_purpose" });
  // Saved even where it equals the chart's default, like the other accounts: what the screen showed is what is booked.
  for (const vat of VAT_CODES) await saveMapping(database, tenantId, "advance_payment", vat, { account: Number(values.advance[vat]) });
  return { warnings: cardOnCashWarnings(mapped, accounts) };
}
