import * as z from "zod";
import type { Database } from "../db";
import { toJson } from "../db";
import { AppError } from "../errors/app-error";
import { CHART_DEFAULTS, type Chart, type VatCode } from "./chart-defaults";

/**
 * What the merchant mapped for the order flow. Stored one row per mapping in `mappings` (kind, source key,
 * target jsonb) and validated with these schemas on every read and write.
 */
const account = z.number().int().min(1).max(999999999);
const vat = z.enum(["19_vat", "7_vat", "0_none"]);

export const paymentTypeTargetSchema = z.discriminatedUnion("kind", [
  /** Money that arrives on a BB payment account (cash drawer, card clearing, bank). */
  z.object({ kind: z.literal("tender"), account, label: z.string().optional() }),
  /** A gift card / voucher: redemptions reduce the liability, sales increase it. */
  z.object({ kind: z.literal("gift_card") }),
  /** Charged to the customer's account: the receipt stays an open item. */
  z.object({ kind: z.literal("on_account") }),
  /** Deliberately not booked (e.g. an internal adjustment type); the sale fails loudly if it carries money. */
  z.object({ kind: z.literal("ignore") }),
]);
export type PaymentTypeTarget = z.infer<typeof paymentTypeTargetSchema>;

/**
 * How the shop's gift cards are taxed. Multi-purpose (Mehrzweck, §3 (15) UStG): a liability when sold, revenue when
 * redeemed. Single-purpose (Einzweck, §3 (14) UStG: place and rate known when sold): selling it is the supply, so
 * revenue with VAT at the voucher's rate then, and nothing again when it pays for goods.
 */
export const giftCardKindTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("multi_purpose") }),
  z.object({ kind: z.literal("single_purpose"), account, vat: z.enum(["19_vat", "7_vat"]) }),
]);
export type GiftCardKind = z.infer<typeof giftCardKindTargetSchema>;

export const taxTargetSchema = z.object({ account, vat });
export type TaxTarget = z.infer<typeof taxTargetSchema>;

export const accountTargetSchema = z.object({ account });
export const accountVatTargetSchema = z.object({ account, vat });
export const debtorTargetSchema = z.object({ postingAccountNumber: account, name: z.string().min(1).max(200) });
export const paymentTermsTargetSchema = z.object({ days: z.number().int().min(0).max(365) });

export const MAPPING_KINDS = {
  payment_type: paymentTypeTargetSchema,
  /** Source key: the VAT rate in percent as a string, "19" | "7" | "0". */
  tax_rate: taxTargetSchema,
  /** Source key: "<Lightspeed categoryID>|<VAT percent>" (e.g. "12|19"); used when "categories → revenue accounts" is on. */
  category: accountTargetSchema,
  /** Source key: "default". */
  rounding: accountVatTargetSchema,
  /** Source key: "default". Lines sold as not taxable; always "keine USt.", the account carries the VAT-return line. */
  tax_free: accountTargetSchema,
  tips: accountTargetSchema,
  gift_card_liability: accountTargetSchema,
  /** Source key: "default". Absent = multi-purpose (what the sync did before the setting existed). */
  gift_card_kind: giftCardKindTargetSchema,
  /** Source key: the VAT code ("19_vat" | "7_vat" | "0_none"); without one the chart's default applies. */
  advance_payment: accountTargetSchema,
  default_debtor: debtorTargetSchema,
  /** Source key: a Lightspeed paymentTypeID, or "default". */
  payment_terms: paymentTermsTargetSchema,
} as const;
export type MappingKind = keyof typeof MAPPING_KINDS;

export interface OrderMappings {
  chart: Chart | null;
  paymentTypes: Map<string, PaymentTypeTarget>;
  taxRates: Map<string, TaxTarget>;
  categories: Map<string, { account: number }>;
  rounding: { account: number; vat: VatCode } | null;
  taxFree: { account: number } | null;
  tips: { account: number } | null;
  giftCardLiability: { account: number } | null;
  giftCardKind: GiftCardKind;
  /** Advance-payment account per VAT code, where the merchant chose one (see advancePaymentAccount). */
  advancePayments: Map<string, { account: number }>;
  defaultDebtor: { postingAccountNumber: number; name: string } | null;
  paymentTerms: Map<string, { days: number }>;
}

export function emptyOrderMappings(): OrderMappings {
  return {
    chart: null,
    paymentTypes: new Map(),
    taxRates: new Map(),
    categories: new Map(),
    rounding: null,
    taxFree: null,
    tips: null,
    giftCardLiability: null,
    giftCardKind: { kind: "multi_purpose" },
    advancePayments: new Map(),
    defaultDebtor: null,
    paymentTerms: new Map(),
  };
}

export async function loadOrderMappings(database: Database, tenantId: string): Promise<OrderMappings> {
  const rows = await database.selectFrom("mappings").select(["kind", "source_key", "target"]).where("tenant_id", "=", tenantId).execute();
  const m = emptyOrderMappings();
  for (const row of rows) {
    const schema = MAPPING_KINDS[row.kind as MappingKind];
    if (!schema) continue;
    const parsed = schema.safeParse(row.target);
    if (!parsed.success) {
      throw new AppError("MAPPING_MISSING", {
        detail: `the stored ${row.kind} mapping for "${row.source_key}" is invalid: ${z.prettifyError(parsed.error)}`,
        fixHint: "Open Mappings and save this mapping again.",
      });
    }
    const v = parsed.data as never;
    switch (row.kind as MappingKind) {
      case "payment_type":
        m.paymentTypes.set(row.source_key, v);
        break;
      case "tax_rate":
        m.taxRates.set(row.source_key, v);
        break;
      case "category":
        m.categories.set(row.source_key, v);
        break;
      case "rounding":
        m.rounding = v;
        break;
      case "tax_free":
        m.taxFree = v;
        break;
      case "tips":
        m.tips = v;
        break;
      case "gift_card_liability":
        m.giftCardLiability = v;
        break;
      case "gift_card_kind":
        m.giftCardKind = v;
        break;
      case "advance_payment":
        m.advancePayments.set(row.source_key, v);
        break;
      case "default_debtor":
        m.defaultDebtor = v;
        break;
      case "payment_terms":
        m.paymentTerms.set(row.source_key, v);
        break;
    }
  }
  const chart = await database
    .selectFrom("connections")
    .select("meta")
    .where("tenant_id", "=", tenantId)
    .where("provider", "=", "buchhaltungsbutler")
    .executeTakeFirst();
  const detected = ((chart?.meta as { check?: { chart?: string } } | undefined)?.check?.chart ?? null) as string | null;
  m.chart = detected === "SKR03" || detected === "SKR04" ? detected : null;
  // Tenants set up before tax-free lines had their own mapping: the chart's exempt-revenue account until the
  // merchant saves another (their lines went to the rounding account before, which no VAT-return line sees).
  if (!m.taxFree && m.chart) m.taxFree = { account: CHART_DEFAULTS[m.chart].taxFree };
  return m;
}

export async function saveMapping<K extends MappingKind>(
  database: Database,
  tenantId: string,
  kind: K,
  sourceKey: string,
  target: z.input<(typeof MAPPING_KINDS)[K]>,
): Promise<void> {
  const parsed = MAPPING_KINDS[kind].safeParse(target);
  if (!parsed.success) throw new AppError("INVALID_INPUT", { detail: `${kind} "${sourceKey}": ${z.prettifyError(parsed.error)}` });
  await database
    .insertInto("mappings")
    .values({ tenant_id: tenantId, kind, source_key: sourceKey, target: toJson(parsed.data), updated_at: new Date() })
    .onConflict((oc) => oc.columns(["tenant_id", "kind", "source_key"]).doUpdateSet({ target: toJson(parsed.data), updated_at: new Date() }))
    .execute();
}

export async function deleteMapping(database: Database, tenantId: string, kind: MappingKind, sourceKey: string): Promise<void> {
  await database.deleteFrom("mappings").where("tenant_id", "=", tenantId).where("kind", "=", kind).where("source_key", "=", sourceKey).execute();
}
