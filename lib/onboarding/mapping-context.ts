import { createBbClient } from "../buchhaltungsbutler";
import { getConnectionStatus } from "../connections/get-connection-status";
import type { Database } from "../db";
import { createLightspeedClient, type LsPaymentType } from "../lightspeed";
import { formValuesFor, type OrderMappingFormValues } from "../mapping/order-mapping-form";
import { loadOrderMappings, type OrderMappings } from "../mapping/order-mappings";
import type { PaymentAccountInfo } from "../mapping/propose-order-mappings";

export interface MappingContext {
  paymentTypes: LsPaymentType[];
  accounts: PaymentAccountInfo[];
  mappings: OrderMappings;
  values: OrderMappingFormValues;
}

/** What the payment/tax mapping form needs: Lightspeed's payment types (live), BB's payment accounts (from the check). */
export async function loadMappingContext(database: Database, tenantId: string): Promise<MappingContext> {
  const [status, mappings, paymentTypes] = await Promise.all([
    getConnectionStatus(database, tenantId),
    loadOrderMappings(database, tenantId),
    createLightspeedClient({ database, tenantId }).listPaymentTypes(),
  ]);
  const accounts = status.buchhaltungsbutler.paymentAccounts.map((a) => ({ number: a.number, name: a.name, kind: (a.kind ?? "unknown") as PaymentAccountInfo["kind"] }));
  // Reserved types (cash, gift card, on account) are Lightspeed's built-ins and carry most of the money: keep them.
  const active = paymentTypes.filter((p) => !p.archived);
  return { paymentTypes: active, accounts, mappings, values: formValuesFor(mappings, active, accounts) };
}

/** Debtors in BB a default debtor can be chosen from (first pages; a shop has few collective debtors). */
export async function listDebtorChoices(database: Database, tenantId: string, max = 300): Promise<{ number: number; name: string }[]> {
  const out: { number: number; name: string }[] = [];
  for await (const page of createBbClient({ database, tenantId }).listDebtors()) {
    for (const d of page) out.push({ number: d.postingAccountNumber, name: d.name });
    if (out.length >= max) break;
  }
  return out.sort((a, b) => a.number - b.number);
}

/** "Create Laufkundschaft in BB": a collective walk-in debtor, created once and chosen as the default. */
export async function createWalkInDebtor(database: Database, tenantId: string, name = "Laufkundschaft"): Promise<{ number: number; name: string }> {
  const existing = (await listDebtorChoices(database, tenantId)).find((d) => d.name.trim().toLowerCase() === name.toLowerCase());
  if (existing) return existing;
  const created = await createBbClient({ database, tenantId }).addDebtor({ name });
  return { number: created.postingAccountNumber, name };
}
