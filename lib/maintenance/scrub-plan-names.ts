import { mapStrings } from "../activity/redact-pii";
import type { Database } from "../db";
import { linksWithNamedPlans, REDACTED_NAME, replaceStoredPlans } from "../sync/links";

const withoutName = (value: unknown, name: string): unknown => mapStrings(value, (s) => s.split(name).join(REDACTED_NAME));

function debtorName(plan: unknown): string | null {
  const name = (plan as { debtor?: { name?: unknown } } | null)?.debtor?.name;
  return typeof name === "string" && name.length >= 2 ? name : null;
}

/**
 * The booking plans kept in the links name the customer (debtor name, posting texts). BuchhaltungsButler holds the
 * booking with the name (that is the evidence, GoBD); our copy loses it once the tenant's log retention has
 * passed. Amounts, accounts and debtor numbers stay, so a later reversal is still exact.
 */
export async function scrubPlanNames(database: Database, tenantId: string, retentionDays: number, options: { now?: Date; batchSize?: number } = {}): Promise<{ scrubbed: number }> {
  const before = new Date((options.now ?? new Date()).getTime() - retentionDays * 86_400_000);
  const batchSize = options.batchSize ?? 500;
  let scrubbed = 0;
  for (;;) {
    const rows = await linksWithNamedPlans(database, tenantId, before, batchSize);
    for (const row of rows) {
      const name = debtorName(row.plan);
      const plan = name ? withoutName(row.plan, name) : row.plan;
      const stripped = { ...(plan as Record<string, unknown>), debtor: { ...((plan as { debtor?: object }).debtor ?? {}), name: REDACTED_NAME } };
      const previousName = debtorName((row.previous as { plan?: unknown } | null)?.plan);
      const previous = row.previous && previousName ? withoutName(row.previous, previousName) : row.previous;
      await replaceStoredPlans(database, tenantId, row.entity, row.sourceId, { plan: stripped, previous });
      scrubbed++;
    }
    if (rows.length < batchSize) break;
  }
  return { scrubbed };
}
