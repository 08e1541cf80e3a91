import type { LsPaymentType } from "../lightspeed/domain";
import { CHART_DEFAULTS, type Chart, type VatCode } from "./chart-defaults";
import type { PaymentTypeTarget } from "./order-mappings";

export interface PaymentAccountInfo {
  number: number;
  name: string;
  kind: "cash" | "bank" | "other" | "unknown";
}

export interface ProposedOrderMappings {
  paymentTypes: { paymentType: LsPaymentType; target: PaymentTypeTarget | null; warning: string | null }[];
  taxRates: { rate: "19" | "7" | "0"; account: number; vat: VatCode }[];
  rounding: { account: number; vat: VatCode };
  taxFree: { account: number };
  tips: { account: number };
  giftCardLiability: { account: number };
  paymentTermsDays: number;
}

/**
 * Sensible defaults for a detected chart, for the setup wizard: cash on the cash account, cards on a card
 * clearing account (never on cash: GoBD), gift cards as a liability, on-account as an open item. A payment type
 * we cannot guess (a merchant's own "PayPal") is left unmapped so the merchant decides.
 */
export function proposeOrderMappings(chart: Chart, paymentTypes: LsPaymentType[], paymentAccounts: PaymentAccountInfo[]): ProposedOrderMappings {
  const d = CHART_DEFAULTS[chart];
  const cash = paymentAccounts.find((a) => a.kind === "cash")?.number ?? d.cash;
  const card = paymentAccounts.find((a) => a.number === d.cardClearing)?.number ?? paymentAccounts.find((a) => a.kind === "other")?.number ?? null;
  const proposals = paymentTypes
    .filter((p) => !p.archived)
    .map((p) => {
      switch (p.kind) {
        case "cash":
          return { paymentType: p, target: { kind: "tender", account: cash } as PaymentTypeTarget, warning: null };
        case "credit card":
        case "ecom":
          return card
            ? { paymentType: p, target: { kind: "tender", account: card } as PaymentTypeTarget, warning: null }
            : { paymentType: p, target: null, warning: "Create a payment account of type “other” for card takings in BuchhaltungsButler (card payments must not go to the cash account)." };
        case "gift card":
          return { paymentType: p, target: { kind: "gift_card" } as PaymentTypeTarget, warning: null };
        case "credit account":
          return { paymentType: p, target: { kind: "on_account" } as PaymentTypeTarget, warning: null };
        case "adjustment":
          return { paymentType: p, target: { kind: "ignore" } as PaymentTypeTarget, warning: null };
        default:
          return { paymentType: p, target: null, warning: `Choose the payment account for “${p.name}”.` };
      }
    });
  return {
    paymentTypes: proposals,
    taxRates: [
      { rate: "19", account: d.revenue["19_vat"], vat: "19_vat" },
      { rate: "7", account: d.revenue["7_vat"], vat: "7_vat" },
      { rate: "0", account: d.revenue["0_none"], vat: "0_none" },
    ],
    rounding: { account: d.rounding, vat: "0_none" },
    taxFree: { account: d.taxFree },
    tips: { account: d.tips },
    giftCardLiability: { account: d.giftCardLiability },
    paymentTermsDays: 14,
  };
}

/** A card type mapped to a cash account is a GoBD formal error: the wizard and the mapping screen flag it. */
export function cardOnCashWarnings(mapped: { paymentType: LsPaymentType; target: PaymentTypeTarget | null }[], paymentAccounts: PaymentAccountInfo[]): string[] {
  const cashAccounts = new Set(paymentAccounts.filter((a) => a.kind === "cash").map((a) => a.number));
  return mapped
    .filter((m) => (m.paymentType.kind === "credit card" || m.paymentType.kind === "ecom") && m.target?.kind === "tender" && cashAccounts.has(m.target.account))
    .map((m) => `“${m.paymentType.name}” is a card payment type mapped to the cash account — card takings must go to a card clearing account.`);
}
