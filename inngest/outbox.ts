import * as z from "zod";
import { toJson, type Database } from "@/lib/db";
import type { JobEvent } from "./define";
import type { InlineOutbox } from "./inline-driver";

const storedData = z.record(z.string(), z.unknown());

/** The inline driver's outbox in the app's database (one process owns a database in dev and the demo). */
export function databaseOutbox(database: Database): InlineOutbox {
  return {
    async add(event: JobEvent<unknown>) {
      await database
        .insertInto("inline_job_events")
        .values({ id: event.id!, name: event.name, data: toJson(event.data ?? {}) })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
    },
    async remove(eventId: string) {
      await database.deleteFrom("inline_job_events").where("id", "=", eventId).execute();
    },
    async pending() {
      const rows = await database.selectFrom("inline_job_events").select(["id", "name", "data"]).orderBy("created_at").orderBy("id").execute();
      return rows.map((r) => ({ id: r.id, name: r.name, data: storedData.parse(r.data) }));
    },
  };
}
