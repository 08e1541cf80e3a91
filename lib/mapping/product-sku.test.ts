import { describe, expect, it } from "vitest";
import { assignSkus, compareItemIds, skuCandidates, type SkuClaimant } from "./product-sku";

const item = (itemId: string, f: Partial<Record<"customSku" | "systemSku" | "manufacturerSku" | "ean", string>> = {}) => ({
  itemId,
  customSku: f.customSku ?? "",
  systemSku: f.systemSku ?? "",
  manufacturerSku: f.manufacturerSku ?? "",
  ean: f.ean ?? "",
});

describe("SKU fallback", () => {
  it("uses the chosen field first, then customSku, systemSku and LS-<itemID>", () => {
    const c = skuCandidates(item("7", { customSku: "C-1", systemSku: "210000000007", manufacturerSku: "M-9", ean: "4006381333931" }), "ean");
    expect(c.map((x) => [x.sku, x.source])).toEqual([
      ["4006381333931", "ean"],
      ["C-1", "customSku"],
      ["210000000007", "systemSku"],
      ["LS-7", "itemId"],
    ]);
  });

  it("skips empty and blank fields and trims", () => {
    const c = skuCandidates(item("8", { customSku: "   ", systemSku: " 210000000008 ", manufacturerSku: "" }), "manufacturerSku");
    expect(c.map((x) => x.sku)).toEqual(["210000000008", "LS-8"]);
    expect(c[0]!.source).toBe("systemSku");
  });

  it("falls back to LS-<itemID> when nothing is set", () => {
    expect(skuCandidates(item("9"), "customSku").map((x) => x.sku)).toEqual(["LS-9"]);
  });

  it("does not repeat a value that two fields share, and compares case-insensitively", () => {
    const c = skuCandidates(item("10", { customSku: "abc", manufacturerSku: "ABC", systemSku: "S" }), "manufacturerSku");
    expect(c.map((x) => x.sku)).toEqual(["ABC", "S", "LS-10"]);
  });
});

describe("SKU uniqueness", () => {
  const claim = (itemId: string, skus: string[]): SkuClaimant => ({
    itemId,
    candidates: skus.map((s, i) => ({ sku: s, key: s.toLowerCase(), source: i === skus.length - 1 ? "itemId" : "customSku" })),
  });

  it("gives a duplicate SKU to the older item and moves the newer one to its next candidate, in any input order", () => {
    const a = claim("12", ["DUP", "SYS12", "LS-12"]);
    const b = claim("5", ["dup", "SYS5", "LS-5"]);
    for (const order of [[a, b], [b, a]]) {
      const r = assignSkus(order);
      expect(r.get("5")).toMatchObject({ sku: "dup", lost: [] });
      expect(r.get("12")).toMatchObject({ sku: "SYS12", lost: [{ sku: "DUP", key: "dup", heldBy: "5" }] });
    }
  });

  it("orders item ids numerically, not as text", () => {
    expect(compareItemIds("9", "10")).toBeLessThan(0);
    const r = assignSkus([claim("10", ["X", "LS-10"]), claim("9", ["X", "LS-9"])]);
    expect(r.get("9")!.sku).toBe("X");
    expect(r.get("10")!.sku).toBe("LS-10");
  });

  it("suffixes when even LS-<itemID> is taken by another item's custom SKU", () => {
    const r = assignSkus([claim("1", ["LS-2", "LS-1"]), claim("2", ["LS-2"])]);
    expect(r.get("1")!.sku).toBe("LS-2");
    expect(r.get("2")!.sku).toBe("LS-2-2");
  });
});
