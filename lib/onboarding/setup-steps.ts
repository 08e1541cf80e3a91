import type { Database } from "../db";
import { toUserFacing, type UserFacingError } from "../errors/app-error";
import { createLightspeedClient } from "../lightspeed";
import { loadOrderMappings } from "../mapping/order-mappings";
import { dryRunDay, type DryRunResult } from "../sync/orders/dry-run-day";
import { loadOrderSettings, type OrderSettings } from "../sync/orders/order-settings";
import { shopToday } from "../time";
import { listDebtorChoices, loadMappingContext, type MappingContext } from "./mapping-context";

/*
 * What each wizard step shows, loaded for the page (the step components only render). A failure of either API
 * is part of what a step shows, not an error page: the merchant can still go back, fix and retry.
 */

/** A value, or the error (as the merchant may see it) that kept it from loading. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; error: UserFacingError };

async function settle<T>(p: Promise<T>): Promise<Loaded<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (e: unknown) => ({ ok: false as const, error: toUserFacing(e) }),
  );
}

export interface SettingsStepData {
  settings: OrderSettings;
  today: string;
  /** BB's debtors to choose the default from; the chosen one is always among them. */
  debtors: Loaded<{ number: number; name: string }[]>;
  current: { postingAccountNumber: number; name: string } | null;
}

export async function loadSettingsStep(database: Database, tenantId: string): Promise<SettingsStepData> {
  const [{ settings }, mappings, debtors] = await Promise.all([loadOrderSettings(database, tenantId), loadOrderMappings(database, tenantId), settle(listDebtorChoices(database, tenantId))]);
  const current = mappings.defaultDebtor ?? null;
  const list = debtors.ok ? debtors.value : [];
  if (current && !list.some((d) => d.number === current.postingAccountNumber)) list.unshift({ number: current.postingAccountNumber, name: current.name });
  return { settings, today: shopToday(), debtors: debtors.ok ? { ok: true, value: list } : { ok: false, error: debtors.error }, current };
}

export function loadMappingsStep(database: Database, tenantId: string): Promise<Loaded<MappingContext>> {
  return settle(loadMappingContext(database, tenantId));
}

export interface DryRunStepData {
  day: string;
  outcome: Loaded<{ result: DryRunResult; paymentTypeNames: Record<string, string> }>;
}

/** The dry run of one business day (the asked one, else the start date, else today). Sends nothing. */
export async function loadDryRunStep(database: Database, tenantId: string, askedDate: string | undefined): Promise<DryRunStepData> {
  const { settings } = await loadOrderSettings(database, tenantId);
  const day = askedDate && /^\d{4}-\d{2}-\d{2}$/.test(askedDate) ? askedDate : (settings.startDate ?? shopToday());
  const ls = createLightspeedClient({ database, tenantId });
  const outcome = await settle(
    Promise.all([dryRunDay(database, ls, tenantId, day), ls.listPaymentTypes()]).then(([result, types]) => ({ result, paymentTypeNames: Object.fromEntries(types.map((p) => [p.paymentTypeId, p.name])) })),
  );
  return { day, outcome };
}
