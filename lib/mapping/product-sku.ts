import * as z from "zod";
import type { LsItem } from "../lightspeed/domain";

/**
 * Which Lightspeed field is the product's SKU in the register. The merchant chooses the field; when it is
 * empty on an item the register falls back, always in the same order:
 *
 *   chosen field → customSku → systemSku → "LS-<itemID>"
 *
 * systemSku is Lightspeed's own barcode number and set on every item, so the last step is a guard for broken
 * data, not a normal case. SKUs are unique per tenant, compared case-insensitively after trimming. When two
 * items claim the same SKU, the item with the lower itemID (the older one) keeps it and the other falls back
 * to its next candidate; the conflict is reported, never merged.
 */
export const SKU_FIELDS = ["customSku", "systemSku", "manufacturerSku", "ean"] as const;
export type SkuField = (typeof SKU_FIELDS)[number];
export const skuFieldSchema = z.enum(SKU_FIELDS, { error: `expected one of ${SKU_FIELDS.join(", ")}` });

export type SkuSource = SkuField | "itemId";

export interface SkuCandidate {
  sku: string;
  /** Case-insensitive comparison key. */
  key: string;
  source: SkuSource;
}

/** The longest SKU we accept from Lightspeed (its own fields are shorter; this guards broken data). */
export const MAX_SKU_LENGTH = 255;

export function skuKey(sku: string): string {
  return sku.trim().toLowerCase();
}

type SkuFields = Pick<LsItem, "itemId" | "customSku" | "systemSku" | "manufacturerSku" | "ean">;

/** The SKU candidates of an item in fallback order, empty values skipped, duplicates removed. */
export function skuCandidates(item: SkuFields, chosen: SkuField): SkuCandidate[] {
  const order: SkuSource[] = [chosen, "customSku", "systemSku"];
  const out: SkuCandidate[] = [];
  const seen = new Set<string>();
  for (const source of order) {
    const raw = source === "itemId" ? "" : (item[source] ?? "");
    const sku = raw.trim();
    if (!sku || sku.length > MAX_SKU_LENGTH) continue;
    const key = skuKey(sku);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ sku, key, source });
  }
  const last = `LS-${item.itemId}`;
  if (!seen.has(skuKey(last))) out.push({ sku: last, key: skuKey(last), source: "itemId" });
  return out;
}

export interface SkuClaimant {
  itemId: string;
  candidates: SkuCandidate[];
}

export interface SkuAssignment {
  sku: string;
  key: string;
  source: SkuSource;
  /** Better candidates this item lost to an older item: what it would like to have. */
  lost: { sku: string; key: string; heldBy: string }[];
}

/** Numeric itemID order (Lightspeed ids are integers as strings); non-numeric ids sort after, by text. */
export function compareItemIds(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? BigInt(a) : null;
  const nb = /^\d+$/.test(b) ? BigInt(b) : null;
  if (na !== null && nb !== null) return na < nb ? -1 : na > nb ? 1 : 0;
  if (na !== null) return -1;
  if (nb !== null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Assigns SKUs to a closed set of items (every item that could compete for any of the keys involved).
 * Older items (lower itemID) choose first, so the result depends only on the set, never on the order in
 * which pages arrive.
 */
export function assignSkus(claimants: SkuClaimant[]): Map<string, SkuAssignment> {
  const sorted = [...claimants].sort((a, b) => compareItemIds(a.itemId, b.itemId));
  const takenBy = new Map<string, string>();
  const result = new Map<string, SkuAssignment>();
  for (const c of sorted) {
    const lost: SkuAssignment["lost"] = [];
    let chosen: SkuCandidate | undefined;
    for (const cand of c.candidates) {
      const holder = takenBy.get(cand.key);
      if (holder === undefined) {
        chosen = cand;
        break;
      }
      lost.push({ sku: cand.sku, key: cand.key, heldBy: holder });
    }
    if (!chosen) {
      // Every candidate taken (a custom SKU literally equal to another item's "LS-<id>"): suffix until free.
      let n = 2;
      let sku = `LS-${c.itemId}-${n}`;
      while (takenBy.has(skuKey(sku))) sku = `LS-${c.itemId}-${++n}`;
      chosen = { sku, key: skuKey(sku), source: "itemId" };
    }
    takenBy.set(chosen.key, c.itemId);
    result.set(c.itemId, { sku: chosen.sku, key: chosen.key, source: chosen.source, lost });
  }
  return result;
}
