import type { Database } from "../db";
import { saveMapping } from "./order-mappings";
import type { ProposedOrderMappings } from "./propose-order-mappings";

/** Saves the proposal as the tenant's mappings (the wizard's "accept defaults"); unmapped types stay unmapped. */
export async function applyProposedOrderMappings(
  database: Database,
  tenantId: string,
  proposal: ProposedOrderMappings,
  defaultDebtor: { postingAccountNumber: number; name: string } | null,
): Promise<void> {
  for (const p of proposal.paymentTypes) if (p.target) await saveMapping(database, tenantId, "payment_type", p.paymentType.paymentTypeId, p.target);
  for (const t of proposal.taxRates) await saveMapping(database, tenantId, "tax_rate", t.rate, { account: t.account, vat: t.vat });
  await saveMapping(database, tenantId, "rounding", "default", proposal.rounding);
  await saveMapping(database, tenantId, "tax_free", "default", proposal.taxFree);
  await saveMapping(database, tenantId, "tips", "default", proposal.tips);
  await saveMapping(database, tenantId, "gift_card_liability", "default", proposal.giftCardLiability);
  await saveMapping(database, tenantId, "payment_terms", "default", { days: proposal.paymentTermsDays });
  if (defaultDebtor) await saveMapping(database, tenantId, "default_debtor", "default", defaultDebtor);
}
