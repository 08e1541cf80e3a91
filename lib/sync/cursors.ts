import { toJson, type Database } from "../db";

/** A flow's position in a Lightspeed collection. Advanced only after a whole page has been handled. */
export async function getCursor<T extends object>(database: Database, tenantId: string, entity: string): Promise<T | null> {
  const row = await database.selectFrom("sync_cursors").select("cursor").where("tenant_id", "=", tenantId).where("entity", "=", entity).executeTakeFirst();
  return (row?.cursor as T | undefined) ?? null;
}

export async function setCursor(database: Database, tenantId: string, entity: string, cursor: object): Promise<void> {
  await database
    .insertInto("sync_cursors")
    .values({ tenant_id: tenantId, entity, cursor: toJson(cursor), updated_at: new Date() })
    .onConflict((oc) => oc.columns(["tenant_id", "entity"]).doUpdateSet({ cursor: toJson(cursor), updated_at: new Date() }))
    .execute();
}
