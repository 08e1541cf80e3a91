import type { Database } from "../db";
import { createLightspeedClient, type LsSale } from "../lightspeed";
import { addressSource, customerSource, lineSource, productSource, type FieldMapperKind, type SourceRecord } from "./field-mapper";

export type FieldMapperSamples = Record<FieldMapperKind, { record: SourceRecord; label: string } | null>;

/**
 * A real, recent record per kind for the live preview: the newest synced sale with a customer (fetched fresh
 * from Lightspeed, so redacted log payloads never leak into the preview), its first line and that line's item.
 */
export async function loadFieldMapperSamples(database: Database, tenantId: string): Promise<FieldMapperSamples> {
  const ls = createLightspeedClient({ database, tenantId });
  const recent = await database
    .selectFrom("activity_log")
    .select("source_id")
    .where("tenant_id", "=", tenantId)
    .where("flow", "=", "orders")
    .where("entity", "=", "sale")
    .where("source_id", "is not", null)
    .orderBy("created_at", "desc")
    .limit(20)
    .execute();
  let sale: LsSale | null = null;
  let withCustomer: LsSale | null = null;
  for (const r of recent) {
    const s = await ls.getSale(r.source_id!);
    if (!s) continue;
    sale ??= s;
    if (s.customer) {
      withCustomer = s;
      break;
    }
  }
  if (!withCustomer) {
    const since = new Date(Date.now() - 14 * 86_400_000).toISOString();
    for await (const page of ls.readSales({ since, pageSize: 100 })) {
      for (const s of page.records) {
        sale ??= s;
        if (s.customer) withCustomer = s;
      }
      break;
    }
  }
  const base = withCustomer ?? sale;
  const line = base?.lines.find((l) => l.itemId) ?? base?.lines[0] ?? null;
  const item = line?.itemId ? await ls.getItem(line.itemId) : null;
  const label = (s: LsSale) => `Lightspeed sale ${s.ticketNumber || s.saleId}`;
  return {
    customer: withCustomer?.customer ? { record: customerSource(withCustomer.customer), label: `${label(withCustomer)}, customer ${withCustomer.customer.customerId}` } : null,
    address: withCustomer?.customer ? { record: addressSource(withCustomer.customer), label: `${label(withCustomer)}, customer ${withCustomer.customer.customerId}` } : null,
    line: base && line ? { record: lineSource(base, line, item?.description ?? null), label: `${label(base)}, line ${line.saleLineId}` } : null,
    product: item ? { record: productSource(item), label: `Lightspeed item ${item.itemId}` } : null,
  };
}
