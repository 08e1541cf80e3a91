import type { Database } from "../../../db";

/**
 * The BB receipt of an earlier sale, for linking a refund to it. The one direct read of `sync_links` in the
 * writer, kept alone so it can move into the link module as it is.
 */
export async function linkedReceiptId(database: Database, tenantId: string, saleId: string): Promise<string | null> {
  const row = await database
    .selectFrom("sync_links")
    .select("target_ids")
    .where("tenant_id", "=", tenantId)
    .where("entity", "=", "sale")
    .where("source_id", "=", saleId)
    .executeTakeFirst();
  return (row?.target_ids as { receiptId?: string } | undefined)?.receiptId ?? null;
}
