import { describe, expect, it } from "vitest";
import { categoryAccountName, planCategoryAccounts, type CategoryVat, type LinkedAccount } from "./plan-category-accounts";

const base = {
  parents: { "19": 8400, "7": 8300 } as Record<CategoryVat, number>,
  range: { from: 8401, to: 8405 },
  rejected: new Set<number>(),
  nameMaxLength: 40,
  namePolicy: "overwrite" as const,
};
const rates = (entries: [string, CategoryVat[]][]) => new Map(entries.map(([k, v]) => [k, new Set(v)]));

describe("category accounts plan", () => {
  it("names accounts from the path and shortens from the start to BB's limit", () => {
    expect(categoryAccountName("19", "Bekleidung/Damen", 40)).toBe("Erlöse 19 % Bekleidung/Damen");
    const long = categoryAccountName("7", "Lebensmittel/Feinkost/Öle und Essige/Italien", 40);
    expect(long).toBe("Erlöse 7 % …nkost/Öle und Essige/Italien");
    expect(long.length).toBe(40);
  });

  it("creates one account per category × VAT rate present, under the rate's parent, numbered from the range", () => {
    const actions = planCategoryAccounts({
      ...base,
      categories: [
        { categoryId: "2", fullPathName: "Bekleidung/Damen", archived: false },
        { categoryId: "5", fullPathName: "Lebensmittel", archived: false },
        { categoryId: "9", fullPathName: "Leer", archived: false },
      ],
      ratesByCategory: rates([["2", ["19"]], ["5", ["7", "19"]]]),
      links: new Map(),
      bbAccounts: new Map([[8400, "Erlöse 19 % USt"], [8401, "Schon belegt"]]),
    });
    expect(actions).toEqual([
      { kind: "create", key: "2|19", categoryId: "2", vat: "19", number: 8402, name: "Erlöse 19 % Bekleidung/Damen", parent: 8400 },
      { kind: "create", key: "5|19", categoryId: "5", vat: "19", number: 8403, name: "Erlöse 19 % Lebensmittel", parent: 8400 },
      { kind: "create", key: "5|7", categoryId: "5", vat: "7", number: 8404, name: "Erlöse 7 % Lebensmittel", parent: 8300 },
    ]);
  });

  it("renames when the category path changed, or keeps the BB name when the setting says keep", () => {
    const links = new Map<string, LinkedAccount>([["2|19", { number: 8402, name: "Erlöse 19 % Bekleidung/Damen", pending: false }]]);
    const input = {
      ...base,
      categories: [{ categoryId: "2", fullPathName: "Mode/Damen", archived: false }],
      ratesByCategory: rates([["2", ["19"]]]),
      links,
      bbAccounts: new Map([[8402, "Erlöse 19 % Bekleidung/Damen"]]),
    };
    expect(planCategoryAccounts(input)).toEqual([{ kind: "rename", key: "2|19", categoryId: "2", vat: "19", number: 8402, from: "Erlöse 19 % Bekleidung/Damen", to: "Erlöse 19 % Mode/Damen" }]);
    expect(planCategoryAccounts({ ...input, namePolicy: "keep" })).toEqual([
      { kind: "keep", key: "2|19", categoryId: "2", vat: "19", number: 8402, current: "Erlöse 19 % Bekleidung/Damen", wanted: "Erlöse 19 % Mode/Damen" },
    ]);
    // Unchanged: nothing to do.
    expect(planCategoryAccounts({ ...input, categories: [{ categoryId: "2", fullPathName: "Bekleidung/Damen", archived: false }] })).toEqual([]);
  });

  it("never deletes: an archived category keeps its account and gets no new one", () => {
    const actions = planCategoryAccounts({
      ...base,
      categories: [{ categoryId: "2", fullPathName: "Alt", archived: true }],
      ratesByCategory: rates([["2", ["19", "7"]]]),
      links: new Map([["2|19", { number: 8402, name: "Erlöse 19 % Alt", pending: false }]]),
      bbAccounts: new Map([[8402, "Erlöse 19 % Alt"]]),
    });
    expect(actions).toEqual([]);
  });

  it("re-sends a create whose outcome was unknown with the same number, adopts it when it arrived", () => {
    const input = {
      ...base,
      categories: [{ categoryId: "2", fullPathName: "Damen", archived: false }],
      ratesByCategory: rates([["2", ["19"]]]),
      links: new Map([["2|19", { number: 8403, name: "Erlöse 19 % Damen", pending: true }]]),
    };
    expect(planCategoryAccounts({ ...input, bbAccounts: new Map() })).toEqual([
      { kind: "create", key: "2|19", categoryId: "2", vat: "19", number: 8403, name: "Erlöse 19 % Damen", parent: 8400 },
    ]);
    expect(planCategoryAccounts({ ...input, bbAccounts: new Map([[8403, "Erlöse 19 % Damen"]]) })).toEqual([
      { kind: "adopt", key: "2|19", categoryId: "2", vat: "19", number: 8403, name: "Erlöse 19 % Damen" },
    ]);
  });

  it("reports a full range and skips numbers BB refused; a clashing name gets the category id", () => {
    const actions = planCategoryAccounts({
      ...base,
      range: { from: 8401, to: 8402 },
      rejected: new Set([8401]),
      categories: [
        { categoryId: "2", fullPathName: "Damen", archived: false },
        { categoryId: "3", fullPathName: "Herren", archived: false },
      ],
      ratesByCategory: rates([["2", ["19"]], ["3", ["19"]]]),
      links: new Map(),
      bbAccounts: new Map([[4711, "Erlöse 19 % Damen"]]),
    });
    expect(actions).toEqual([
      { kind: "create", key: "2|19", categoryId: "2", vat: "19", number: 8402, name: "Erlöse 19 % Damen #2", parent: 8400 },
      { kind: "range_full", key: "3|19", categoryId: "3", vat: "19", name: "Erlöse 19 % Herren" },
    ]);
  });
});
