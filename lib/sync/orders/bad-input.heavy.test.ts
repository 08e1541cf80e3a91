import { afterAll, describe, expect, it } from "vitest";
import { ORDERS_BACKFILL_EVENT } from "@/inngest/events";
import { ordersSync } from "@/inngest/functions/orders-sync";
import { InlineDriver } from "@/inngest/inline-driver";
import { testDb } from "@/scripts/test/db";
import { startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";

const database = testDb();
let world: OrderWorld | undefined;
afterAll(async () => world?.close());

/** What the merchant must be told for each kind of broken sale (the words that say what is wrong). */
const EXPECTED_WORDS: Record<string, RegExp> = {
  "missing-field": /calcTotal|total/i,
  "wrong-type": /unitQuantity|completed/i,
  "exponent-amount": /calcTotal/i,
  "bad-timestamp": /completeTime/i,
  "lines-dont-sum": /lines add up to/,
  "absurd-amount": /larger than the limit|implausible/,
  "unknown-payment-type": /payment type .* is not mapped/,
  "broken-email": /e-mail address .* is not valid/,
  "long-unicode-name": /characters long/,
};

describe.skipIf(process.env.HEAVY === "0")("bad input", () => {
  it("fails each of 1,000 malformed sales alone with a log entry and an inbox item, and posts every valid sale", async () => {
    world = await startOrderWorld(database, { speed: 400, ls: { sizes: { sales: 3000, days: 20, items: 150, customers: 120 }, malformedShare: 1 / 3 } });
    const store = world.ls.store;
    const completed = [...store.sales.values()].filter((s) => s.completed);
    const malformed = completed.filter((s) => s.malformed);
    expect(malformed.length).toBeGreaterThanOrEqual(900);

    const driver = new InlineDriver({ definitions: [ordersSync.withDeps(world.deps)], backoffMs: () => 5 });
    const from = new Date(world.ls.clock.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await driver.send({ name: ORDERS_BACKFILL_EVENT, data: { tenantId: world.tenantId, kind: "backfill", from } });
    await driver.idle();
    expect([...driver.runs.values()].filter((r) => r.status !== "completed").map((r) => String(r.error))).toEqual([]);

    const links = new Map(
      (await database.selectFrom("sync_links").select(["source_id", "status", "last_error"]).where("tenant_id", "=", world.tenantId).where("entity", "=", "sale").execute()).map((l) => [l.source_id, l]),
    );
    const logs = await database.selectFrom("activity_log").select(["source_id", "result", "message", "error_code"]).where("tenant_id", "=", world.tenantId).where("result", "=", "failed").execute();
    const failedLog = new Map(logs.map((l) => [l.source_id, l]));
    const inbox = new Set((await database.selectFrom("notifications").select("source_id").where("tenant_id", "=", world.tenantId).where("resolved_at", "is", null).execute()).map((n) => n.source_id));

    for (const s of malformed) {
      const id = String(s.id);
      const mark = s.malformed!;
      // A sale voided in Lightspeed is never booked, so its parsed-but-invalid content is never looked at.
      if (s.voided && mark.layer === "sync") {
        expect(["skipped", "failed"]).toContain(links.get(id)?.status);
        continue;
      }
      expect(links.get(id)?.status, `sale ${id} (${mark.kind}) should have failed`).toBe("failed");
      const log = failedLog.get(id);
      expect(log, `sale ${id} (${mark.kind}) needs a log entry`).toBeDefined();
      expect(log!.message, `message for ${mark.kind}`).toMatch(EXPECTED_WORDS[mark.kind]!);
      expect(inbox.has(id), `sale ${id} (${mark.kind}) needs an inbox item`).toBe(true);
    }
    // Every valid sale is posted (or, when voided in Lightspeed before the sync saw it, deliberately skipped).
    const valid = completed.filter((s) => !s.malformed);
    const notPosted = valid.filter((s) => {
      const status = links.get(String(s.id))?.status;
      return s.voided ? status !== "skipped" && status !== "voided" && status !== "done" : status !== "done";
    });
    expect(notPosted.map((s) => ({ id: s.id, status: links.get(String(s.id))?.status, error: links.get(String(s.id))?.last_error }))).toEqual([]);
  }, 900_000);
});
