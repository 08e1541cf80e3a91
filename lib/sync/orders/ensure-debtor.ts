import { findDebtorByCustomerNumber, findDebtorByEmail, refreshDebtorIndexIfStale, syncDebtorIndex, type BbClient, type BbDebtor } from "../../buchhaltungsbutler";
import { getLink, saveLink } from "../links";
import type { Database } from "../../db";
import { AppError } from "../../errors/app-error";
import type { OrderMappings } from "../../mapping/order-mappings";
import type { DebtorChoice, DebtorFields } from "./choose-debtor";
import { LATE_COMMIT_WATCH_MS } from "./repair-late-commits";

export interface ResolvedDebtor {
  number: number;
  name: string;
  action: "default" | "matched" | "updated" | "created";
}

function debtorPayload(f: DebtorFields) {
  return {
    name: f.name,
    customerNumber: f.customerNumber,
    ...(f.email ? { email: f.email } : {}),
    ...(f.contactPersonName ? { contactPersonName: f.contactPersonName } : {}),
    ...(f.street ? { street: f.street } : {}),
    ...(f.additionalAddressLine ? { additionalAddressLine: f.additionalAddressLine } : {}),
    ...(f.zip ? { zip: f.zip } : {}),
    ...(f.city ? { city: f.city } : {}),
    ...(f.country ? { country: f.country } : {}),
    ...(f.salesTaxId ? { salesTaxId: f.salesTaxId } : {}),
  };
}

/** Fields we map that differ from what BB has (only those we would send). */
function changedFields(f: DebtorFields, existing: BbDebtor): string[] {
  const current: Record<string, string | null> = {
    name: existing.name,
    contactPersonName: existing.contactPersonName,
    street: existing.street,
    zip: existing.zip,
    city: existing.city,
    country: existing.country,
    salesTaxId: existing.salesTaxId,
  };
  const wanted: Record<string, string | undefined> = debtorPayload(f);
  return Object.keys(current).filter((k) => wanted[k] !== undefined && (wanted[k] ?? "") !== (current[k] ?? ""));
}

const refreshedBy = new WeakMap<BbClient, Promise<boolean>>();

function refreshOncePerRun(database: Database, tenantId: string, client: BbClient): Promise<boolean> {
  let pending = refreshedBy.get(client);
  if (!pending) {
    pending = refreshDebtorIndexIfStale(database, tenantId, client);
    refreshedBy.set(client, pending);
  }
  return pending;
}

/**
 * The debtor a sale is booked to. The e-mail lookup uses our debtor index (BB has no debtor search), so it
 * costs no API call; a new customer is created once (the client reads back by customer number after a timeout).
 */
export async function ensureDebtor(
  database: Database,
  client: BbClient,
  tenantId: string,
  choice: DebtorChoice,
  mappings: OrderMappings,
  options: { updateExisting: boolean; now?: () => number },
): Promise<ResolvedDebtor> {
  const now = options.now ?? Date.now;
  if (choice.kind === "default") {
    if (!mappings.defaultDebtor) {
      throw new AppError("MAPPING_MISSING", {
        detail: "this sale has no customer with an e-mail address, and no default debtor is set",
        fixHint: "Choose a default debtor (e.g. “Laufkundschaft”) under Mappings → Default debtor.",
        context: { dedupeKey: "mapping:default_debtor" },
      });
    }
    return { number: mappings.defaultDebtor.postingAccountNumber, name: mappings.defaultDebtor.name, action: "default" };
  }
  // A customer without e-mail (their account moves) is known to BB only by their customer number.
  const lookup = async () => (choice.email ? await findDebtorByEmail(database, tenantId, choice.email) : null) ?? (await findDebtorByCustomerNumber(database, tenantId, choice.fields.customerNumber));
  let found = await lookup();
  // Not in our index: the merchant may have added the customer in BB since it was filled. Page BB again (once
  // per run and client, and only when the index is not fresh) before creating a second debtor for them.
  if (!found && (await refreshOncePerRun(database, tenantId, client))) found = await lookup();
  if (found) {
    const number = found.postingAccountNumber;
    if (options.updateExisting && changedFields(choice.fields, found).length > 0) {
      await client.updateDebtor({ postingAccountNumber: number, ...debtorPayload(choice.fields) });
      return { number, name: choice.fields.name, action: "updated" };
    }
    return { number, name: found.name, action: "matched" };
  }
  // Exactly once: an earlier attempt that got as far as asking BB may have created the debtor without our index
  // learning of it (answer lost, process killed). Then BB is paged again before anything is created.
  const key = choice.fields.customerNumber;
  const intent = await getLink(database, tenantId, "customer", key);
  if (intent?.step === "creating") {
    await syncDebtorIndex(database, tenantId, client);
    const again = await lookup();
    if (again) {
      await saveLink(database, tenantId, "customer", key, { step: "created", status: "done", targetIds: { debtorNumber: again.postingAccountNumber } });
      return { number: again.postingAccountNumber, name: again.name, action: "matched" };
    }
    // BB may still commit the last create after its answer was lost (a late commit), and a debtor cannot be
    // deleted through the API: a second create now could leave the customer twice for good.
    const since = intent.target_ids.creatingSince;
    if (since !== undefined && now() - since < LATE_COMMIT_WATCH_MS) {
      throw new AppError("UPSTREAM_UNAVAILABLE", {
        detail: `the debtor for customer ${key} was sent to BuchhaltungsButler without an answer and is not there yet; it is looked up again before it is created a second time`,
        retryAfterSeconds: Math.ceil((since + LATE_COMMIT_WATCH_MS - now()) / 1000),
      });
    }
  }
  await saveLink(database, tenantId, "customer", key, { step: "creating", status: "pending", targetIds: { creatingSince: now() } });
  // One attempt: a lost answer that the read-back cannot confirm fails the sale, whose retry looks again first.
  const created = await client.addDebtor(debtorPayload(choice.fields), { attempts: 1 });
  await saveLink(database, tenantId, "customer", key, { step: "created", status: "done", targetIds: { debtorNumber: created.postingAccountNumber } });
  return { number: created.postingAccountNumber, name: choice.fields.name, action: "created" };
}
