import { describe, expect, it } from "vitest";
import { applyFieldUpdates, fieldUpdatesSchema } from "./product-field-updates";

describe("create vs update per field", () => {
  const groups = { description: ["description"], prices: ["net", "gross"] } as const;
  const existing = { id: "1", description: "Handgepflegte Beschreibung", net: 100, gross: 119 };
  const incoming = { id: "1", description: "T-Shirt Basic", net: 200, gross: 238 };

  it("writes everything on create", () => {
    const r = applyFieldUpdates(null, incoming, { description: "keep" }, groups);
    expect(r.merged).toEqual(incoming);
    expect(r.kept).toEqual([]);
  });

  it("overwrites by default", () => {
    expect(applyFieldUpdates(existing, incoming, {}, groups).merged).toEqual(incoming);
  });

  it("keeps a field set to keep and reports it only when the incoming value differs", () => {
    const r = applyFieldUpdates(existing, incoming, { description: "keep" }, groups);
    expect(r.merged).toEqual({ id: "1", description: "Handgepflegte Beschreibung", net: 200, gross: 238 });
    expect(r.kept).toEqual(["description"]);
    const same = applyFieldUpdates(existing, { ...incoming, description: existing.description }, { description: "keep" }, groups);
    expect(same.kept).toEqual([]);
  });

  it("keeps a whole group together", () => {
    const r = applyFieldUpdates(existing, incoming, { prices: "keep" }, groups);
    expect(r.merged).toMatchObject({ net: 100, gross: 119, description: "T-Shirt Basic" });
  });

  it("rejects unknown fields and policies with a clear message", () => {
    expect(fieldUpdatesSchema.safeParse({ colour: "keep" }).success).toBe(false);
    expect(fieldUpdatesSchema.safeParse({ description: "sometimes" }).success).toBe(false);
    expect(fieldUpdatesSchema.parse(undefined)).toEqual({});
  });
});
