import type { SbPartner, TenantSeed } from "./model";

/**
 * What `npm run demo` and the e2e suite get: our partner client (the app's BB_PARTNER_CLIENT/SECRET) and one
 * merchant that activated it, with the accounts and debtors a small Berlin shop would have.
 */
export const DEMO_PARTNER: SbPartner = { apiClient: "butlerbridge-partner", apiSecret: "sandbox-partner-secret-0001", name: "Butlerbridge" };

/** Cash, bank and card clearing accounts of a small SKR03 shop; the demo, tests and benchmarks all book to these. */
export const SHOP_PAYMENT_ACCOUNTS: TenantSeed["paymentAccounts"] = [
  { number: 1000, name: "Kasse", type: "cash", revisionSafe: true },
  { number: 1200, name: "Bank", type: "bank/institution" },
  { number: 1792, name: "EC/Kreditkarte Lightspeed", type: "other" },
];

export const DEMO_TENANT: TenantSeed = {
  name: "Musterladen Berlin GmbH",
  apiClient: "musterladen-client",
  apiSecret: "musterladen-secret-0001",
  apiKey: "musterladen-own-api-key-0001",
  partners: { [DEMO_PARTNER.apiClient]: "musterladen-partner-key-0001" },
  chart: "SKR03",
  debtorMode: "selective",
  paymentAccounts: SHOP_PAYMENT_ACCOUNTS,
  debtors: [
    { number: 10001, name: "Laufkundschaft" },
    { number: 10002, name: "Café Sonnenschein GmbH", contactPersonName: "Anna Schmidt", email: "buchhaltung@cafe-sonnenschein.example", street: "Kastanienallee 12", zip: "10435", city: "Berlin", country: "DE", customerNumber: "LS-9001" },
    { number: 10003, name: "Max Mustermann", email: "max.mustermann@example.com", street: "Musterstraße 1", zip: "10115", city: "Berlin", country: "DE" },
    { number: 10004, name: "Erika Musterfrau", email: "erika@example.org", zip: "80331", city: "München", country: "DE" },
  ],
  costLocations: [{ code: "SHOP1", name: "Laden Prenzlauer Berg" }],
};

/** A second, inactive tenant and an SKR04 one, so setup screens can be tried against every outcome. */
export const EXTRA_TENANTS: TenantSeed[] = [
  {
    name: "Buchladen Hamburg KG (SKR04, Debitoren aus)",
    apiClient: "buchladen-client",
    apiSecret: "buchladen-secret-0001",
    apiKey: "buchladen-own-api-key-0001",
    partners: { [DEMO_PARTNER.apiClient]: "buchladen-partner-key-0001" },
    chart: "SKR04",
    debtorMode: "off",
  },
  {
    name: "Gekündigt GmbH (inaktiv)",
    apiClient: "inactive-client",
    apiSecret: "inactive-secret-0001",
    apiKey: "inactive-own-api-key-0001",
    partners: { [DEMO_PARTNER.apiClient]: "inactive-partner-key-0001" },
    active: false,
  },
];

/**
 * Last year's closing sale of the demo shop, booked through the API like any client would: the books are
 * not empty, and the connection check can confirm debtor posting on an existing outbound receipt.
 */
export async function seedDemoHistory(apiBaseUrl: string): Promise<void> {
  const auth = `Basic ${Buffer.from(`${DEMO_TENANT.apiClient}:${DEMO_TENANT.apiSecret}`).toString("base64")}`;
  const call = async (path: string, body: Record<string, unknown>) => {
    const res = await fetch(`${apiBaseUrl}/${path}`, { method: "POST", headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify({ api_key: DEMO_TENANT.apiKey, ...body }) });
    const json = (await res.json()) as Record<string, unknown>;
    if (json.success !== true) throw new Error(`demo history: ${path} failed: ${JSON.stringify(json)}`);
    return json;
  };
  const receipt = await call("receipts/add", { type: "invoice outbound", counterparty: "Café Sonnenschein GmbH", invoice_number: "RE-2025-0417", date: "2025-12-30", amount: 59.5, currency: "EUR", creditor_debtor: 10002 });
  await call("postings/add/receipt", { receipt_id_by_customer: Number(receipt.id_by_customer), debtor: 10002, postingaccounts: [8400], postingtexts: ["RE-2025-0417 Geschenkkorb"], vats: ["19_vat"], amounts: ["59.50"] });
}
