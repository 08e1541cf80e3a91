import type { UpdatePolicy } from "../../mapping/product-field-updates";

/**
 * Categories → BB revenue accounts, as a pure plan. One account per category × VAT rate that the category's
 * products carry (19 % and 7 %: the rates with an automatic revenue account to inherit from), created under
 * the mapped revenue parent of that rate so BB's tax automation carries over, numbered from a configurable
 * range, named from the category path. Renames follow the category unless the name is set to "keep".
 * Accounts are never deleted: an archived category keeps its account.
 */
export type CategoryVat = "19" | "7";

export interface CategoryInfo {
  categoryId: string;
  fullPathName: string;
  archived: boolean;
}

export interface LinkedAccount {
  number: number;
  /** The name we last gave it (or found). */
  name: string;
  /** Still being created (outcome of the last attempt unknown). */
  pending: boolean;
}

export type CategoryAccountAction =
  | { kind: "create"; key: string; categoryId: string; vat: CategoryVat; number: number; name: string; parent: number }
  | { kind: "adopt"; key: string; categoryId: string; vat: CategoryVat; number: number; name: string }
  | { kind: "rename"; key: string; categoryId: string; vat: CategoryVat; number: number; from: string; to: string }
  | { kind: "keep"; key: string; categoryId: string; vat: CategoryVat; number: number; current: string; wanted: string }
  | { kind: "range_full"; key: string; categoryId: string; vat: CategoryVat; name: string };

export function accountKey(categoryId: string, vat: CategoryVat): string {
  return `${categoryId}|${vat}`;
}

/**
 * "Erlöse 19 % Bekleidung/Damen", shortened to BB's limit by dropping the start of the path (the most
 * specific part is what tells accounts apart): "Erlöse 19 % …/Damen/Kleider".
 */
export function categoryAccountName(vat: CategoryVat, fullPathName: string, maxLength: number): string {
  const prefix = `Erlöse ${vat} % `;
  const path = fullPathName.trim().replace(/\s+/g, " ");
  if (prefix.length + path.length <= maxLength) return prefix + path;
  const room = maxLength - prefix.length - 1;
  if (room <= 0) return (prefix + path).slice(0, maxLength);
  return `${prefix}…${path.slice(path.length - room)}`;
}

export function planCategoryAccounts(input: {
  categories: CategoryInfo[];
  /** VAT rates present per category (from the register's products). */
  ratesByCategory: Map<string, Set<CategoryVat>>;
  links: Map<string, LinkedAccount>;
  /** Every posting account number in BB with its name. */
  bbAccounts: Map<number, string>;
  parents: Record<CategoryVat, number>;
  range: { from: number; to: number };
  /** Numbers BB refused before (blocked by its settings): never proposed again. */
  rejected: Set<number>;
  nameMaxLength: number;
  namePolicy: UpdatePolicy;
}): CategoryAccountAction[] {
  const actions: CategoryAccountAction[] = [];
  const used = new Set<number>([...input.bbAccounts.keys(), ...[...input.links.values()].map((l) => l.number), ...input.rejected]);
  const namesInUse = new Map<string, number>([...input.bbAccounts.entries()].map(([n, name]) => [name.trim().toLowerCase(), n]));
  let next = input.range.from;
  const allocate = (): number | null => {
    while (next <= input.range.to && used.has(next)) next++;
    if (next > input.range.to) return null;
    used.add(next);
    return next;
  };
  const sorted = [...input.categories].sort((a, b) => Number(a.categoryId) - Number(b.categoryId) || a.categoryId.localeCompare(b.categoryId));
  for (const c of sorted) {
    const rates = [...(input.ratesByCategory.get(c.categoryId) ?? [])].sort((a, b) => Number(b) - Number(a));
    for (const vat of rates) {
      const key = accountKey(c.categoryId, vat);
      const base = categoryAccountName(vat, c.fullPathName, input.nameMaxLength);
      const link = input.links.get(key);
      // BB rejects a name that exists already; another account's name gets our category id appended.
      const unique = (name: string, own: number | null) => {
        const holder = namesInUse.get(name.toLowerCase());
        if (holder === undefined || holder === own) return name;
        const suffix = ` #${c.categoryId}`;
        return name.length + suffix.length <= input.nameMaxLength ? name + suffix : categoryAccountName(vat, c.fullPathName, input.nameMaxLength - suffix.length) + suffix;
      };
      if (link) {
        const inBb = input.bbAccounts.get(link.number);
        if (inBb === undefined) {
          if (link.pending || !c.archived) {
            // Created by us but not (yet) in BB: create it with the number we chose.
            const name = unique(base, null);
            namesInUse.set(name.toLowerCase(), link.number);
            actions.push({ kind: "create", key, categoryId: c.categoryId, vat, number: link.number, name, parent: input.parents[vat] });
          }
          continue;
        }
        if (link.pending && inBb.trim().toLowerCase() !== link.name.trim().toLowerCase()) {
          // The number we had chosen was taken by someone else meanwhile: choose another one.
          const number = allocate();
          const name = unique(base, null);
          if (number === null) actions.push({ kind: "range_full", key, categoryId: c.categoryId, vat, name });
          else {
            namesInUse.set(name.toLowerCase(), number);
            actions.push({ kind: "create", key, categoryId: c.categoryId, vat, number, name, parent: input.parents[vat] });
          }
          continue;
        }
        if (link.pending) actions.push({ kind: "adopt", key, categoryId: c.categoryId, vat, number: link.number, name: inBb });
        const wanted = unique(base, link.number);
        if (inBb === wanted) continue;
        if (input.namePolicy === "keep") {
          actions.push({ kind: "keep", key, categoryId: c.categoryId, vat, number: link.number, current: inBb, wanted });
          continue;
        }
        namesInUse.delete(inBb.toLowerCase());
        namesInUse.set(wanted.toLowerCase(), link.number);
        actions.push({ kind: "rename", key, categoryId: c.categoryId, vat, number: link.number, from: inBb, to: wanted });
        continue;
      }
      if (c.archived) continue;
      const number = allocate();
      const name = unique(base, null);
      if (number === null) {
        actions.push({ kind: "range_full", key, categoryId: c.categoryId, vat, name });
        continue;
      }
      namesInUse.set(name.toLowerCase(), number);
      actions.push({ kind: "create", key, categoryId: c.categoryId, vat, number, name, parent: input.parents[vat] });
    }
  }
  return actions;
}
