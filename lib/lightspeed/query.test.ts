import { describe, expect, it } from "vitest";
import { SALE_RELATIONS } from "./client";
import { buildQuery, lsInstant, predictCost } from "./query";

describe("query building", () => {
  it("percent-encodes operator values completely (a + in an offset stays a +)", () => {
    const q = buildQuery({ filters: [{ field: "timeStamp", op: ">=", value: "2026-01-01T00:00:00+00:00" }], sort: "timeStamp", limit: 100 });
    expect(q).toBe("sort=timeStamp&limit=100&timeStamp=%3E%3D%2C2026-01-01T00%3A00%3A00%2B00%3A00");
    expect(new URLSearchParams(q).get("timeStamp")).toBe(">=,2026-01-01T00:00:00+00:00");
    expect(new URLSearchParams(buildQuery({ filters: [{ field: "itemID", op: "IN", value: ["1", "2"] }] })).get("itemID")).toBe("IN,[1,2]");
    expect(new URLSearchParams(buildQuery({ filters: [{ field: "timeStamp", op: "><", value: ["a", "b"] }] })).get("timeStamp")).toBe("><,a,b");
    expect(new URLSearchParams(buildQuery({ relations: ["SaleLines", "Customer"] })).get("load_relations")).toBe('["SaleLines","Customer"]');
    expect(buildQuery({ count: true, sort: "timeStamp", limit: 5 })).toBe("count=1");
  });

  it("predicts the documented cost", () => {
    expect(predictCost("Sale", SALE_RELATIONS, true)).toBe(2.6);
    expect(predictCost("Sale", SALE_RELATIONS, false)).toBe(1.8);
    expect(predictCost("Sale", ["SalePayments.PaymentType"], false)).toBe(1.4);
    expect(predictCost("Item", ["ItemAttributes", "CustomFieldValues"], true)).toBe(1.6);
    expect(predictCost("Sale", [], true, true)).toBe(10);
  });

  it("writes instants the way Lightspeed stores them", () => {
    expect(lsInstant("2026-03-14T09:12:00.000Z")).toBe("2026-03-14T09:12:00+00:00");
  });
});
