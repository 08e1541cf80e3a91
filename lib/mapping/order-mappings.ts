import * as z from "zod";
import type { Database } from "../db";
import { toJson } from "../db";
import { AppError } from "../errors/app-error";
import type { Chart, VatCode } from "./chart-defaults";

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
  tips: accountTargetSchema,
  gift_card_liability: accountTargetSchema,
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
  tips: { account: number } | null;
  giftCardLiability: { account: number } | null;
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
    tips: null,
    giftCardLiability: null,
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
      case "tips":
        m.tips = v;
        break;
      case "gift_card_liability":
        m.giftCardLiability = v;
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
