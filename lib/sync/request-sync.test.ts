import { describe, expect, it } from "vitest";
import { ORDERS_BACKFILL_EVENT, ORDERS_RESYNC_EVENT, ORDERS_SYNC_EVENT, PRODUCTS_SYNC_EVENT, STOCK_SYNC_EVENT, type JobSender } from "../jobs/events";
import { requestSync } from "./request-sync";

const tenantId = "00000000-0000-4000-8000-0000000000aa";

function recorder() {
  const sent: { name: string; data: unknown }[] = [];
  const jobs: JobSender = {
    async send(name, data) {
      for (const d of Array.isArray(data) ? data : [data]) sent.push({ name, data: d });
      return { ids: [] };
    },
  };
  return { jobs, sent };
}

describe("requestSync", () => {
  it("sends the event of each flow and kind", async () => {
    const { jobs, sent } = recorder();
    await requestSync(jobs, tenantId, { flow: "orders", kind: "manual" });
    await requestSync(jobs, tenantId, { flow: "orders", kind: "backfill", from: "2026-01-01" });
    await requestSync(jobs, tenantId, { flow: "orders", kind: "resync", saleId: "17" });
    await requestSync(jobs, tenantId, { flow: "products", kind: "backfill", from: "2026-01-01" });
    await requestSync(jobs, tenantId, { flow: "stock", kind: "resync", period: "2026-03" });
    expect(sent).toEqual([
      { name: ORDERS_SYNC_EVENT, data: { tenantId, kind: "manual" } },
      { name: ORDERS_BACKFILL_EVENT, data: { tenantId, kind: "backfill", from: "2026-01-01" } },
      { name: ORDERS_RESYNC_EVENT, data: { tenantId, kind: "resync", saleId: "17" } },
      { name: PRODUCTS_SYNC_EVENT, data: { tenantId, kind: "backfill" } },
      { name: STOCK_SYNC_EVENT, data: { tenantId, kind: "resync", period: "2026-03" } },
    ]);
  });

  it("retries failed sales one by one and anything else with a manual run of its flow", async () => {
    const { jobs, sent } = recorder();
    await requestSync(jobs, tenantId, { flow: "orders", kind: "retry", entity: "sale", sourceIds: ["1", "2"] });
    await requestSync(jobs, tenantId, { flow: "orders", kind: "retry", entity: "day", sourceIds: ["2026-03-01"] });
    await requestSync(jobs, tenantId, { flow: "stock", kind: "retry", entity: "valuation", sourceIds: ["2026-03"] });
    await requestSync(jobs, tenantId, { flow: "unknown", kind: "retry", entity: null, sourceIds: [] });
    expect(sent).toEqual([
      { name: ORDERS_RESYNC_EVENT, data: { tenantId, kind: "resync", saleId: "1" } },
      { name: ORDERS_RESYNC_EVENT, data: { tenantId, kind: "resync", saleId: "2" } },
      { name: ORDERS_SYNC_EVENT, data: { tenantId, kind: "manual" } },
      { name: STOCK_SYNC_EVENT, data: { tenantId, kind: "manual" } },
    ]);
  });

  it("lets a sender send only listed events with data of their shape (checked by tsc)", async () => {
    const { jobs } = recorder();
    // @ts-expect-error: not an event of the app
    await jobs.send("orders/sync.requestd", { tenantId });
    // @ts-expect-error: products have no "resync"
    await jobs.send(PRODUCTS_SYNC_EVENT, { tenantId, kind: "resync" });
    // @ts-expect-error: the tenant is required
    await jobs.send(STOCK_SYNC_EVENT, { kind: "poll" });
  });
});
