import { zonedDate, zonedTimeToUtc, addDays } from "@/lib/time";
import {
  ADJECTIVES, APPAREL_SIZES, BRANDS, CATEGORY_TREE, COLORS, COMPANY_FORMS, COMPANY_STEMS, DE_CITIES, FIRST_NAMES, FOREIGN,
  LAST_NAMES, SHOE_SIZES, STREETS, type CategorySeed,
} from "./catalog-data";
import { cents2, d, decStr, type SDecimal } from "./format";
import { markMalformed } from "./malformed";
import {
  Store, type CategoryRec, type CustomerRec, type ItemRec, type PaymentKind, type PaymentTypeRec, type SaleLineRec, type SalePaymentRec,
  type SaleRec,
} from "./model";
import { createRng, type Rng } from "./rng";
import { saleTotal } from "./sale-math";

export interface Sizes {
  /** Items in total, matrix children included. */
  items: number;
  /** Matrices (each with Color/Size or Size children). */
  matrices: number;
  customers: number;
  sales: number;
  /** The sales are spread over this many days up to "now". */
  days: number;
}

export const PROFILE_SIZES: Record<"test" | "e2e" | "demo", Sizes> = {
  test: { items: 240, matrices: 12, customers: 60, sales: 600, days: 14 },
  e2e: { items: 80, matrices: 5, customers: 25, sales: 120, days: 7 },
  demo: { items: 2000, matrices: 120, customers: 600, sales: 5400, days: 90 },
};

export interface GenerateOptions {
  seed: number;
  /** Clock time at generation; the newest data is just before it. */
  now: number;
  sizes: Sizes;
  /** Share (0–1) of sales that are broken in realistic ways; see malformed.ts. */
  malformedShare?: number;
  timeZone?: string;
}

const DAY = 86_400_000;
const TZ_DEFAULT = "Europe/Berlin";

/** The fixed part of the store: shops, registers, tax, payment types, attribute sets. */
function seedFixtures(store: Store, origin: number, timeZone: string) {
  const t = origin;
  store.shops.insert({ id: 1, name: "Musterladen Berlin Mitte", timeZone, taxCategoryId: 1, priceLevelId: 1, archived: false, vatNumber: "DE123456789", companyRegistrationNumber: "HRB 123456 B", timeStamp: t });
  store.shops.insert({ id: 2, name: "Musterladen Kreuzberg", timeZone, taxCategoryId: 1, priceLevelId: 1, archived: false, vatNumber: "DE123456789", companyRegistrationNumber: "HRB 123456 B", timeStamp: t });
  store.registers.insert({ id: 1, shopId: 1, name: "Kasse 1", archived: false, open: true, openTime: null, lateNight: false });
  store.registers.insert({ id: 2, shopId: 1, name: "Kasse 2", archived: false, open: false, openTime: null, lateNight: false });
  store.registers.insert({ id: 3, shopId: 2, name: "Kasse Bar (spät)", archived: false, open: true, openTime: null, lateNight: true });
  // The default roles of a new Lightspeed account; the back office launches as each of them.
  for (const [id, name] of [[1, "Admin"], [2, "Manager"], [3, "Employee"]] as const) store.employeeRoles.insert({ id, name });
  for (const [id, firstName, lastName, employeeRoleId] of [[1, "Anna", "Schmidt", 1], [2, "Jonas", "Weber", 2], [3, "Lena", "Fischer", 3], [4, "Mehmet", "Yılmaz", 3]] as const) {
    store.employees.insert({ id, firstName, lastName, employeeRoleId });
  }
  const pt = (id: number, name: string, type: PaymentKind, extra: Partial<PaymentTypeRec> = {}) =>
    store.paymentTypes.insert({ id, name, type, requireCustomer: false, internalReserved: false, archived: false, refundAsPaymentTypeId: 0, timeStamp: t, ...extra });
  pt(1, "Bar", "cash", { internalReserved: true });
  // girocard refunds are paid out in cash at this store: refundAsPaymentTypeID points at "Bar".
  pt(2, "EC-Karte", "credit card", { refundAsPaymentTypeId: 1 });
  pt(3, "Kreditkarte", "credit card");
  pt(4, "Gift Card", "gift card", { internalReserved: true });
  pt(5, "Auf Rechnung", "credit account", { internalReserved: true, requireCustomer: true });
  pt(6, "PayPal", "user defined");
  pt(7, "Scheck", "user defined", { archived: true });

  store.taxClasses.insert({ id: 1, name: "Standard", timeStamp: t });
  store.taxClasses.insert({ id: 2, name: "Lebensmittel/Bücher", timeStamp: t });
  store.taxClasses.insert({ id: 3, name: "Gutschein/steuerfrei", timeStamp: t });
  const classes = (base: number) => [
    { id: base + 1, taxClassId: 2, tax1Rate: "0.07", tax2Rate: "0", timeStamp: t },
    { id: base + 2, taxClassId: 3, tax1Rate: "0", tax2Rate: "0", timeStamp: t },
  ];
  store.taxCategories.insert({ id: 1, isTaxInclusive: true, tax1Name: "MwSt", tax1Rate: "0.19", tax2Name: "", tax2Rate: "0", classes: classes(0), timeStamp: t });
  store.taxCategories.insert({ id: 2, isTaxInclusive: false, tax1Name: "MwSt (netto, B2B)", tax1Rate: "0.19", tax2Name: "", tax2Rate: "0", classes: classes(2), timeStamp: t });

  store.attributeSets.insert({ id: 1, name: "Color/Size", attributeName1: "Color", attributeName2: "Size", attributeName3: "", system: true, archived: false });
  store.attributeSets.insert({ id: 2, name: "Size", attributeName1: "Size", attributeName2: "", attributeName3: "", system: true, archived: false });
  store.attributeSets.insert({ id: 3, name: "Color", attributeName1: "Color", attributeName2: "", attributeName3: "", system: true, archived: false });
  store.attributeSets.insert({ id: 4, name: "3 Attributes", attributeName1: "Attribute 1", attributeName2: "Attribute 2", attributeName3: "Attribute 3", system: true, archived: false });
}

interface LeafCategory {
  rec: CategoryRec;
  seed: CategorySeed;
}

function seedCategories(store: Store, origin: number): LeafCategory[] {
  const leaves: LeafCategory[] = [];
  let nextId = 1;
  let counter = 1;
  const walk = (nodes: CategorySeed[], parent: CategoryRec | null, depth: number) => {
    for (const seed of nodes) {
      const rec: CategoryRec = {
        id: nextId++,
        name: seed.name,
        parentId: parent?.id ?? 0,
        nodeDepth: depth,
        fullPathName: parent ? `${parent.fullPathName}/${seed.name}` : seed.name,
        leftNode: counter++,
        rightNode: 0,
        archived: false,
        createTime: origin,
        timeStamp: origin,
      };
      store.categories.insert(rec);
      if (seed.children) walk(seed.children, rec, depth + 1);
      rec.rightNode = counter++;
      if (seed.products) leaves.push({ rec, seed });
    }
  };
  walk(CATEGORY_TREE, null, 0);
  // An archived category nobody uses any more.
  store.categories.insert({ id: nextId, name: "Saisonware 2023", parentId: 0, nodeDepth: 0, fullPathName: "Saisonware 2023", leftNode: counter++, rightNode: counter++, archived: true, createTime: origin, timeStamp: origin });
  return leaves;
}

/** EAN-13 with a valid check digit, in the German GS1 range (400–440). */
function ean13(rng: Rng, n: number): string {
  const body = `40${String(rng.int(10, 99))}${String(n).padStart(8, "0")}`.slice(0, 12);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + String((10 - (sum % 10)) % 10);
}

function priceIn(rng: Rng, [lo, hi]: [number, number]): string {
  // Shelf prices end in ,90 ,95 ,99 ,50 or ,00 like in a real shop; ,10/,30/,70 give rounding edge cases.
  const euros = Math.max(0, Math.floor(lo + rng.next() * (hi - lo)));
  const ending = rng.pick(["0.99", "0.95", "0.90", "0.50", "0.00", "0.70", "0.30", "0.10"]);
  return decStr(d(euros).plus(ending));
}

function seedCatalog(store: Store, rng: Rng, sizes: Sizes, origin: number, now: number, leaves: LeafCategory[]) {
  const span = Math.max(DAY, now - origin);
  // Lightspeed stores whole seconds.
  const sec = (t: number) => Math.floor(t / 1000) * 1000;
  const at = () => sec(origin + Math.floor(rng.next() * span * 0.9));
  let itemId = 1;
  let matrixBudget = sizes.matrices;
  const itemTarget = sizes.items;
  const addItemShops = (item: ItemRec) => {
    if (item.itemType === "non_inventory") return;
    let total = 0;
    const shops = rng.chance(0.8) ? [1, 2] : [rng.pick([1, 2])];
    for (const shopId of shops) {
      const qoh = rng.chance(0.03) ? -rng.int(1, 3) : rng.int(0, 40);
      total += qoh;
      store.addItemShop({ id: store.itemShops.nextId(), itemId: item.id, shopId, qoh, backorder: rng.chance(0.1) ? rng.int(1, 20) : 0, onLayaway: 0, onSpecialOrder: 0, onWorkOrder: 0, onTransferIn: rng.chance(0.05) ? rng.int(1, 5) : 0, onTransferOut: 0, reorderPoint: rng.int(0, 5), reorderLevel: rng.int(5, 20), averageCost: item.avgCost, timeStamp: Math.max(item.createTime, at()) });
    }
    store.addItemShop({ id: store.itemShops.nextId(), itemId: item.id, shopId: 0, qoh: total, backorder: 0, onLayaway: 0, onSpecialOrder: 0, onWorkOrder: 0, onTransferIn: 0, onTransferOut: 0, reorderPoint: 0, reorderLevel: 0, averageCost: item.avgCost, timeStamp: Math.max(item.createTime, at()) });
  };
  const makeItem = (leaf: LeafCategory, description: string, price: string, extra: Partial<ItemRec> = {}): ItemRec => {
    const id = itemId++;
    const createTime = at();
    const cost = decStr(cents2(d(price).times(rng.int(35, 55)).dividedBy(100)));
    const item: ItemRec = {
      id,
      systemSku: `21${String(id).padStart(10, "0")}`,
      customSku: rng.chance(0.85) ? `${leaf.rec.name.slice(0, 2).toUpperCase()}-${String(id).padStart(6, "0")}` : "",
      manufacturerSku: rng.chance(0.4) ? `MFR-${rng.int(10000, 99999)}` : "",
      upc: "",
      ean: leaf.seed.nonInventory ? "" : ean13(rng, id),
      description,
      itemType: leaf.seed.nonInventory ? "non_inventory" : "default",
      tax: true,
      discountable: !leaf.seed.nonInventory,
      archived: rng.chance(0.02),
      serialized: false,
      categoryId: leaf.rec.id,
      taxClassId: leaf.seed.taxClass,
      matrixId: 0,
      manufacturerId: rng.chance(0.5) ? rng.int(1, 6) : 0,
      defaultCost: cost,
      avgCost: cost,
      price,
      msrp: rng.chance(0.5) ? decStr(d(price).times(1.2).toDecimalPlaces(0).minus("0.01")) : "",
      attribute1: "",
      attribute2: "",
      customFields: rng.chance(0.1) ? { Material: rng.pick(["Baumwolle", "Leinen", "Wolle", "Recycling-Polyester"]) } : null,
      createTime,
      timeStamp: rng.chance(0.3) ? sec(Math.min(now - 60_000, createTime + rng.int(1, 60) * DAY)) : createTime,
      ...extra,
    };
    store.addItem(item);
    addItemShops(item);
    return item;
  };

  const matrixLeaves = leaves.filter((l) => l.seed.matrix);
  const plainLeaves = leaves.filter((l) => !l.seed.matrix || rng.chance(0.3));
  // Matrices first (their children count towards the item total), then simple items until the total is reached.
  let matrixId = 1;
  while (matrixBudget > 0 && itemId <= itemTarget - 2 && matrixLeaves.length) {
    matrixBudget--;
    const leaf = rng.pick(matrixLeaves);
    const noun = rng.pick(leaf.seed.products ?? ["Artikel"]);
    const description = `${rng.pick(BRANDS)} ${noun} ${rng.pick(ADJECTIVES)}`;
    const shoes = leaf.seed.matrix === "shoes";
    const sizeOnly = shoes && rng.chance(0.5);
    const colors = sizeOnly ? [] : pickSome(rng, COLORS, rng.int(1, 3));
    const allSizes = shoes ? SHOE_SIZES : APPAREL_SIZES;
    const start = rng.int(0, Math.max(0, allSizes.length - 3));
    const sizes = allSizes.slice(start, start + rng.int(2, 4));
    const price = priceIn(rng, leaf.seed.price ?? [10, 50]);
    const createTime = at();
    const matrix = store.matrices.insert({
      id: matrixId++,
      description,
      attributeSetId: sizeOnly ? 2 : 1,
      categoryId: leaf.rec.id,
      taxClassId: leaf.seed.taxClass,
      itemType: "default",
      tax: true,
      archived: rng.chance(0.02),
      defaultCost: decStr(cents2(d(price).times(0.45))),
      price,
      msrp: "",
      attribute1Values: sizeOnly ? sizes : colors,
      attribute2Values: sizeOnly ? [] : sizes,
      createTime,
      timeStamp: createTime,
    });
    for (const a1 of sizeOnly ? sizes : colors) {
      for (const a2 of sizeOnly ? [""] : sizes) {
        if (itemId > itemTarget) break;
        makeItem(leaf, [description, a1, a2].filter(Boolean).join(" "), price, { matrixId: matrix.id, attribute1: a1, attribute2: a2, archived: matrix.archived, createTime, timeStamp: createTime });
      }
    }
  }
  while (itemId <= itemTarget) {
    const leaf = rng.pick(plainLeaves);
    const noun = rng.pick(leaf.seed.products ?? ["Artikel"]);
    const description = leaf.seed.nonInventory ? `${noun}${noun === "Geschenkgutschein" ? ` ${rng.pick(["10", "25", "50"])} €` : ""}` : `${noun} ${rng.pick(ADJECTIVES)} ${rng.pick(BRANDS)}`;
    makeItem(leaf, description, priceIn(rng, leaf.seed.price ?? [5, 50]));
  }
}

function pickSome<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(rng.next() * pool.length), 1)[0]!);
  return out;
}

function translit(s: string): string {
  return s.toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss").replace(/ı/g, "i").replace(/ë/g, "e").replace(/[^a-z0-9]+/g, "");
}

export function makeCustomer(store: Store, rng: Rng, id: number, createTime: number): CustomerRec {
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const isCompany = rng.chance(0.3);
  const foreign = rng.chance(0.1) ? rng.pick(FOREIGN) : null;
  const company = isCompany ? `${rng.pick(COMPANY_STEMS)} ${rng.pick(COMPANY_FORMS)}` : "";
  const hasVat = isCompany && rng.chance(0.6);
  const vatNumber = hasVat ? (foreign ? `${foreign.vatPrefix}${rng.int(10000000, 99999999)}${foreign.code === "NL" ? "B01" : ""}` : `DE${rng.int(100000000, 999999999)}`) : "";
  const withEmail = rng.chance(0.85);
  const withAddress = rng.chance(0.8);
  const [zip, city] = foreign ? [foreign.zip, foreign.city] : rng.pick(DE_CITIES);
  const house = `${rng.int(1, 140)}${rng.chance(0.2) ? rng.pick(["a", "b", "c"]) : ""}`;
  const domain = isCompany ? `${translit(company.split(" ")[0] ?? "firma")}.de` : rng.pick(["example.de", "example.com", "mail.example.org"]);
  return {
    id,
    firstName,
    lastName,
    title: rng.chance(0.1) ? "Dr." : "",
    company,
    vatNumber,
    companyRegistrationNumber: isCompany && rng.chance(0.5) ? `HRB ${rng.int(10000, 999999)}` : "",
    dob: rng.chance(0.2) ? Date.UTC(rng.int(1950, 2004), rng.int(0, 11), rng.int(1, 28), 8) : null,
    archived: rng.chance(0.02),
    // Customers with a credit account can buy "Auf Rechnung" (on account).
    creditAccountId: isCompany && rng.chance(0.5) ? store.nextCreditAccountId++ : 0,
    customerTypeId: isCompany ? 2 : 1,
    createTime,
    timeStamp: createTime,
    contact: {
      address1: withAddress ? `${foreign ? foreign.street : rng.pick(STREETS)} ${house}` : "",
      address2: withAddress && rng.chance(0.1) ? "Hinterhaus, 2. OG" : "",
      city: withAddress ? city : "",
      zip: withAddress ? zip : "",
      country: withAddress ? (foreign ? foreign.country : "Germany") : "",
      countryCode: withAddress ? (foreign ? foreign.code : "DE") : "",
      email: withEmail ? `${translit(firstName)}.${translit(lastName)}${rng.int(1, 999)}@${domain}` : "",
      email2: withEmail && rng.chance(0.1) ? `${translit(lastName)}@privat.example.de` : "",
      phone: rng.chance(0.5) ? `030 ${rng.int(1000000, 9999999)}` : "",
      mobile: rng.chance(0.3) ? `0151 ${rng.int(1000000, 99999999)}` : "",
      noEmail: !withEmail,
      noMail: true,
      noPhone: rng.chance(0.5),
      timeStamp: createTime,
    },
  };
}

/** Picks, prices and balances sales; shared by the generator and the mutation API. */
export class SaleFactory {
  private readonly sellable: ItemRec[];
  private readonly roundingItems: ItemRec[];
  private readonly customers: CustomerRec[];
  private readonly creditCustomers: CustomerRec[];
  private readonly companyCustomers: CustomerRec[];

  constructor(private readonly store: Store, private readonly rng: Rng) {
    this.sellable = [...store.items.values()].filter((i) => !i.archived);
    // Prices whose 15 % discount lands on half a cent: two such lines make Σ rounded lines differ from the total.
    this.roundingItems = this.sellable.filter((i) => i.taxClassId === 1 && i.itemType === "default" && (Math.round(Number(i.price) * 100) % 20) === 10);
    this.customers = [...store.customers.values()].filter((c) => !c.archived);
    this.creditCustomers = this.customers.filter((c) => c.creditAccountId > 0);
    this.companyCustomers = this.customers.filter((c) => c.company !== "");
  }

  private line(sale: SaleRec, item: ItemRec, qty: number, createTime: number, extra: Partial<SaleLineRec> = {}): SaleLineRec {
    const cat = this.store.taxCategories.get(sale.taxCategoryId)!;
    const rate = this.store.taxRate(cat.id, item.taxClassId);
    // A tax-exclusive (B2B) sale prices at the net price.
    const unitPrice = sale.isTaxInclusive ? item.price : decStr(cents2(d(item.price).dividedBy(d(1).plus(this.store.taxRate(1, item.taxClassId)))));
    return {
      id: this.store.nextLineId++,
      itemId: item.id,
      qty,
      unitPrice,
      normalUnitPrice: unitPrice,
      discountPercent: "0",
      discountAmount: "0",
      taxClassId: item.taxClassId,
      tax: item.tax,
      tax1Rate: rate,
      isLayaway: false,
      isSpecialOrder: false,
      isWorkorder: false,
      parentSaleLineId: 0,
      avgCost: item.avgCost,
      createTime,
      timeStamp: createTime,
      ...extra,
    };
  }

  private payment(sale: SaleRec, paymentTypeId: number, amount: string, at: number, extra: Partial<SalePaymentRec> = {}): SalePaymentRec {
    return { id: this.store.nextPaymentId++, paymentTypeId, amount, tipAmount: "0", creditAccountId: 0, registerId: sale.registerId, employeeId: sale.employeeId, createTime: at, archived: false, layawayDeposit: false, ...extra };
  }

  private blank(id: number, registerId: number, createTime: number): SaleRec {
    const register = this.store.registers.get(registerId)!;
    const shop = this.store.shops.get(register.shopId)!;
    return {
      id, shopId: shop.id, registerId, employeeId: this.rng.int(1, this.store.employees.size || 1), customerId: 0, taxCategoryId: shop.taxCategoryId,
      isTaxInclusive: true, completed: true, voided: false, archived: false, createTime, completeTime: createTime, updateTime: createTime,
      timeStamp: createTime, transactionDiscountPercent: "0", change: "0", referenceNumber: "", lines: [], payments: [], malformed: null,
    };
  }

  private addGoods(sale: SaleRec, at: number, count: number = this.rng.weighted([[1, 35], [2, 30], [3, 18], [4, 10], [5, 7]] as const)) {
    const rng = this.rng;
    for (let i = 0; i < count; i++) {
      const item = rng.pick(this.sellable);
      const qty = rng.weighted([[1, 80], [2, 15], [3, 5]] as const);
      const line = this.line(sale, item, qty, at);
      if (item.discountable && rng.chance(0.1)) {
        if (rng.chance(0.6)) line.discountPercent = rng.pick(["0.1", "0.15", "0.2", "0.3"]);
        else line.discountAmount = decStr(d(rng.pick(["1", "2.5", "5"])).times(qty));
        // Never discount below zero.
        if (d(line.discountAmount).greaterThan(d(line.unitPrice).times(qty))) line.discountAmount = "0";
      }
      sale.lines.push(line);
    }
    if (rng.chance(0.05)) sale.transactionDiscountPercent = rng.pick(["0.05", "0.1"]);
  }

  private tender(sale: SaleRec, amount: string, at: number): void {
    const rng = this.rng;
    const amt = d(amount);
    const kind = rng.weighted([["cash", 50], ["ec", 28], ["credit", 12], ["split", 6], ["paypal", 1.5]] as const);
    if (amt.isZero()) return;
    if (kind === "split" && amt.greaterThan(10)) {
      const cash = amt.dividedBy(2).toDecimalPlaces(0, 1);
      sale.payments.push(this.payment(sale, 1, decStr(cash), at));
      sale.payments.push(this.payment(sale, rng.pick([2, 3]), decStr(amt.minus(cash)), at));
      return;
    }
    if (kind === "cash" || kind === "split") {
      sale.payments.push(this.payment(sale, 1, decStr(amt), at));
      if (amt.greaterThan(0) && rng.chance(0.4)) {
        const note = [5, 10, 20, 50, 100, 200].find((n) => amt.lessThanOrEqualTo(n));
        if (note !== undefined) sale.change = decStr(d(note).minus(amt));
      }
      return;
    }
    if (kind === "paypal") {
      sale.payments.push(this.payment(sale, 6, decStr(amt), at));
      return;
    }
    const type = kind === "ec" ? 2 : 3;
    // Tips are given on card payments: the amount includes the tip.
    const tip = amt.greaterThan(0) && rng.chance(0.12) ? d(rng.pick(["0.5", "1", "2", "3.5"])) : d(0);
    sale.payments.push(this.payment(sale, type, decStr(amt.plus(tip)), at, { tipAmount: decStr(tip) }));
  }

  /** A completed everyday sale; `kind` forces a scenario. */
  build(id: number, registerId: number, at: number, kind: SaleKind, customerId?: number): SaleRec {
    const rng = this.rng;
    const sale = this.blank(id, registerId, at);
    const chosen = customerId === undefined ? undefined : this.store.customers.get(customerId);
    const withCustomer = rng.chance(0.35) && this.customers.length > 0;
    if (withCustomer) sale.customerId = rng.pick(this.customers).id;
    switch (kind) {
      case "b2b": {
        if (this.companyCustomers.length) sale.customerId = rng.pick(this.companyCustomers).id;
        sale.taxCategoryId = 2;
        sale.isTaxInclusive = false;
        this.addGoods(sale, at);
        this.tender(sale, decStr(d(saleTotal(sale))), at);
        break;
      }
      case "rounding": {
        const item = this.roundingItems.length ? rng.pick(this.roundingItems) : rng.pick(this.sellable);
        for (let i = 0; i < 2; i++) sale.lines.push(this.line(sale, item, 1, at, { discountPercent: "0.15" }));
        this.tender(sale, decStr(d(saleTotal(sale))), at);
        break;
      }
      case "giftcard-sale": {
        if (rng.chance(0.5)) this.addGoods(sale, at, rng.int(1, 2));
        const value = d(rng.pick(["25", "50", "100"]));
        const card = this.store.nextCreditAccountId++;
        this.store.giftCards.set(card, { creditAccountId: card, balance: decStr(value) });
        // Buying a card is a negative payment on the gift-card type (money into the card's account) ...
        sale.payments.push(this.payment(sale, 4, decStr(value.negated()), at, { creditAccountId: card }));
        // ... balanced by what the customer hands over for goods and card together.
        this.tender(sale, decStr(d(saleTotal(sale)).plus(value)), at);
        break;
      }
      case "giftcard-redeem": {
        this.addGoods(sale, at);
        const total = d(saleTotal(sale));
        const card = [...this.store.giftCards.values()].find((g) => d(g.balance).greaterThan(0));
        if (!card || total.lessThanOrEqualTo(0)) {
          this.tender(sale, decStr(total), at);
          break;
        }
        const use = total.lessThan(card.balance) ? total : d(card.balance);
        card.balance = decStr(d(card.balance).minus(use));
        sale.payments.push(this.payment(sale, 4, decStr(use), at, { creditAccountId: card.creditAccountId }));
        this.tender(sale, decStr(total.minus(use)), at);
        break;
      }
      case "on-account": {
        const customer = chosen && chosen.creditAccountId > 0 ? chosen : this.creditCustomers.length ? rng.pick(this.creditCustomers) : undefined;
        if (!customer) return this.build(id, registerId, at, "normal", customerId);
        sale.customerId = customer.id;
        this.addGoods(sale, at);
        sale.payments.push(this.payment(sale, 5, decStr(d(saleTotal(sale))), at, { creditAccountId: customer.creditAccountId }));
        break;
      }
      case "account-payment": {
        // The customer settles what they owe on account: no lines (total "0"), a negative payment on "Auf
        // Rechnung" (money into their credit account) balanced by the cash they hand over.
        const owing = this.creditCustomers.filter((c) => accountBalance(this.store, c.creditAccountId).greaterThan(0));
        const customer = chosen && chosen.creditAccountId > 0 ? chosen : owing.length ? rng.pick(owing) : undefined;
        const owed = customer ? accountBalance(this.store, customer.creditAccountId) : d(0);
        if (!customer || !owed.greaterThan(0)) return this.build(id, registerId, at, "normal", customerId);
        sale.customerId = customer.id;
        sale.payments.push(this.payment(sale, 5, decStr(owed.negated()), at, { creditAccountId: customer.creditAccountId }));
        sale.payments.push(this.payment(sale, 1, decStr(owed), at));
        break;
      }
      default: {
        this.addGoods(sale, at);
        this.tender(sale, decStr(d(saleTotal(sale))), at);
      }
    }
    return sale;
  }

  /** A refund of some lines of `original`: negative quantities pointing back at the original lines. */
  refund(id: number, original: SaleRec, at: number, registerId = original.registerId): SaleRec {
    const rng = this.rng;
    const sale = this.blank(id, registerId, at);
    sale.customerId = original.customerId;
    sale.taxCategoryId = original.taxCategoryId;
    sale.isTaxInclusive = original.isTaxInclusive;
    sale.transactionDiscountPercent = original.transactionDiscountPercent;
    const lines = original.lines.filter((l) => l.qty > 0);
    const chosen = lines.length > 1 && rng.chance(0.5) ? lines.slice(0, rng.int(1, lines.length - 1)) : lines;
    for (const l of chosen) {
      const qty = l.qty > 1 && rng.chance(0.3) ? -1 : -l.qty;
      const amount = l.discountPercent === "0" && l.discountAmount !== "0" ? decStr(d(l.discountAmount).dividedBy(l.qty).times(-qty)) : l.discountAmount;
      sale.lines.push({ ...l, id: this.store.nextLineId++, qty, discountAmount: amount, parentSaleLineId: l.id, createTime: at, timeStamp: at });
    }
    const total = d(saleTotal(sale));
    const first = original.payments.find((p) => d(p.amount).greaterThan(0));
    const type = first ? this.store.paymentTypes.get(first.paymentTypeId) : undefined;
    let refundType = type ? type.refundAsPaymentTypeId || type.id : 1;
    // Money never goes back onto a gift card or an account in this store's policy: those refunds are paid in cash.
    const refundKind = this.store.paymentTypes.get(refundType)?.type;
    if (refundKind === "gift card" || refundKind === "credit account") refundType = 1;
    if (!total.isZero()) sale.payments.push(this.payment(sale, refundType, decStr(total), at));
    return sale;
  }

  /** An open layaway / special order / work order: reserves stock until completed. */
  reservation(id: number, registerId: number, at: number, kind: "layaway" | "special" | "workorder", opts: { items?: ItemRec[]; openingDeposit?: boolean } = {}): SaleRec {
    const sale = this.blank(id, registerId, at);
    sale.completed = false;
    sale.completeTime = null;
    if (this.customers.length) sale.customerId = this.rng.pick(this.customers).id;
    if (opts.items?.length) for (const item of opts.items) sale.lines.push(this.line(sale, item, 1, at));
    else this.addGoods(sale, at, this.rng.int(1, 2));
    for (const l of sale.lines) {
      l.isLayaway = kind === "layaway";
      l.isSpecialOrder = kind === "special";
      l.isWorkorder = kind === "workorder";
    }
    const total = d(saleTotal(sale));
    if (kind === "layaway" && total.greaterThan(5) && opts.openingDeposit !== false) {
      // A deposit when the layaway is opened.
      sale.payments.push(this.payment(sale, 1, decStr(cents2(total.times(0.2))), at, { layawayDeposit: true }));
    }
    return sale;
  }

  /** A further instalment on an open reservation: a payment dated when it is taken, the sale stays open. */
  deposit(sale: SaleRec, amount: string, paymentTypeId: number, at: number): SalePaymentRec {
    const payment = this.payment(sale, paymentTypeId, decStr(d(amount)), at, { layawayDeposit: true });
    sale.payments.push(payment);
    sale.updateTime = at;
    sale.timeStamp = at;
    return payment;
  }

  /** Completes an open reservation: the rest is paid, stock is released from the reservation and sold. */
  complete(sale: SaleRec, at: number): void {
    const total = d(saleTotal(sale));
    const paid = sale.payments.reduce((s, p) => s.plus(p.amount), d(0));
    sale.completed = true;
    sale.completeTime = at;
    sale.updateTime = at;
    sale.timeStamp = at;
    this.tender(sale, decStr(total.minus(paid)), at);
  }
}

export type SaleKind = "normal" | "b2b" | "rounding" | "giftcard-sale" | "giftcard-redeem" | "on-account" | "account-payment";

/**
 * What a customer owes on their credit account: the sum of "credit account" payments of completed, not voided
 * sales (positive = charged to the account, negative = paid into it).
 */
export function accountBalance(store: Store, creditAccountId: number): SDecimal {
  let owed = d(0);
  for (const sale of store.sales.values()) {
    if (!sale.completed || sale.voided || sale.archived) continue;
    for (const p of sale.payments) {
      if (p.archived || p.creditAccountId !== creditAccountId) continue;
      if (store.paymentTypes.get(p.paymentTypeId)?.type === "credit account") owed = owed.plus(d(p.amount));
    }
  }
  return owed;
}

/** Adjusts ItemShop reservations for an open reservation sale (+1) or its completion/cancel (−1). */
export function reserveStock(store: Store, sale: SaleRec, sign: 1 | -1, at: number): void {
  for (const l of sale.lines) {
    for (const row of store.itemShopsByItem.get(l.itemId) ?? []) {
      if (row.shopId !== sale.shopId && row.shopId !== 0) continue;
      if (l.isLayaway) row.onLayaway += sign * l.qty;
      if (l.isSpecialOrder) row.onSpecialOrder += sign * l.qty;
      if (l.isWorkorder) row.onWorkOrder += sign * l.qty;
      row.timeStamp = at;
    }
  }
  store.itemShops.changed();
}

/** Sells (or returns) stock for a completed sale; bumps ItemShop.timeStamp but never Item.timeStamp. */
export function moveStock(store: Store, sale: SaleRec, at: number): void {
  for (const l of sale.lines) {
    for (const row of store.itemShopsByItem.get(l.itemId) ?? []) {
      if (row.shopId !== sale.shopId && row.shopId !== 0) continue;
      row.qoh -= l.qty;
      row.timeStamp = at;
    }
  }
  store.itemShops.changed();
}

/**
 * Money paid on a reservation before it is completed: a special order often takes a deposit when it is placed,
 * and a layaway or special order is paid off in a further instalment now and then, each dated when it was paid.
 */
function payInstalments(factory: SaleFactory, sale: SaleRec, rng: Rng, until: number): void {
  const special = sale.lines.some((l) => l.isSpecialOrder);
  const layaway = sale.lines.some((l) => l.isLayaway);
  const total = d(saleTotal(sale));
  if (!total.greaterThan(10)) return;
  if (special && rng.chance(0.5)) factory.deposit(sale, decStr(cents2(total.times(0.3))), rng.chance(0.7) ? 1 : 2, sale.createTime);
  if ((special || layaway) && until - sale.createTime > 3 * 3_600_000 && rng.chance(0.4)) {
    const paid = sale.payments.reduce((a, p) => a.plus(p.amount), d(0));
    const amount = cents2(total.times(0.25));
    const at = sale.createTime + Math.floor(rng.int(3_600, Math.floor((until - sale.createTime) / 1000) - 3_600)) * 1000;
    if (paid.plus(amount).lessThan(total)) factory.deposit(sale, decStr(amount), rng.chance(0.7) ? 1 : 2, at);
  }
}

/** Local opening hours as minutes after midnight; the late-night register runs until 02:00. */
function saleMinute(rng: Rng, lateNight: boolean): number {
  if (lateNight && rng.chance(0.25)) return 24 * 60 + rng.int(30, 120);
  return rng.int(9 * 60, 20 * 60 - 1);
}

export function generateStore(options: GenerateOptions): Store {
  const rng = createRng(options.seed);
  const tz = options.timeZone ?? TZ_DEFAULT;
  const store = new Store();
  const { sizes, now } = options;
  const origin = Math.floor((now - (sizes.days + 365) * DAY) / 1000) * 1000;
  seedFixtures(store, origin, tz);
  const leaves = seedCategories(store, origin);
  seedCatalog(store, rng.fork("catalog"), sizes, origin, now - sizes.days * DAY, leaves);
  const crng = rng.fork("customers");
  for (let i = 1; i <= sizes.customers; i++) {
    const c = makeCustomer(store, crng, i, Math.floor((origin + crng.next() * (now - origin) * 0.8) / 1000) * 1000);
    if (crng.chance(0.15)) c.timeStamp = Math.min(Math.floor(now / 1000) * 1000 - 60_000, c.timeStamp + crng.int(1, 100) * DAY);
    store.customers.insert(c);
  }
  generateSales(store, rng.fork("sales"), sizes, now, tz);
  if (options.malformedShare && options.malformedShare > 0) {
    const mrng = rng.fork("malformed");
    const all = [...store.sales.values()].filter((s) => s.completed);
    const n = Math.min(all.length, Math.round(all.length * options.malformedShare));
    const picked = pickSome(mrng, all, n);
    picked.sort((a, b) => a.id - b.id);
    picked.forEach((s, i) => markMalformed(s, i));
  }
  return store;
}

function generateSales(store: Store, rng: Rng, sizes: Sizes, now: number, tz: string) {
  const factory = new SaleFactory(store, rng);
  const registers = [...store.registers.values()];
  const firstDay = zonedDate(new Date(now - sizes.days * DAY), tz);
  const dayStart = new Map<string, number>();
  const midnight = (date: string) => {
    let t = dayStart.get(date);
    if (t === undefined) {
      t = zonedTimeToUtc(date, 0, tz).getTime();
      dayStart.set(date, t);
    }
    return t;
  };
  // Sale ids follow creation time, as in Lightspeed; refunds, voids and layaway completions happen later.
  const plan: { at: number; registerId: number }[] = [];
  for (let i = 0; i < sizes.sales; i++) {
    const day = Math.floor((i * sizes.days) / Math.max(1, sizes.sales));
    const register = rng.pick(registers);
    const at = midnight(addDays(firstDay, day)) + saleMinute(rng, register.lateNight) * 60_000 + rng.int(0, 59) * 1000;
    plan.push({ at: Math.floor(Math.min(at, now - 1000) / 1000) * 1000, registerId: register.id });
  }
  plan.sort((a, b) => a.at - b.at);
  const completed: SaleRec[] = [];
  const openReservations: SaleRec[] = [];
  plan.forEach(({ at, registerId }, index) => {
    const id = index + 1;
    const roll = rng.next();
    let sale: SaleRec;
    if (index % 97 === 5) sale = factory.build(id, registerId, at, "rounding");
    else if (roll < 0.03 && completed.length > 10) {
      const original = completed[completed.length - 1 - rng.int(0, Math.min(completed.length - 1, 200))]!;
      sale = factory.refund(id, original, at, registerId);
    } else if (roll < 0.045) {
      const kind = rng.weighted([["layaway", 3], ["special", 2], ["workorder", 1]] as const);
      sale = factory.reservation(id, registerId, at, kind);
    } else if (roll < 0.05) {
      // A sale that was started and parked, never completed (no payments).
      sale = factory.build(id, registerId, at, "normal");
      sale.completed = false;
      sale.completeTime = null;
      sale.payments = [];
    } else {
      const b2b = store.registers.get(registerId)!.shopId === 2 && rng.chance(0.1);
      const kind: SaleKind = b2b ? "b2b" : rng.weighted([["normal", 90], ["giftcard-sale", 2], ["giftcard-redeem", 2.5], ["on-account", 2.5]] as const);
      sale = factory.build(id, registerId, at, kind);
    }
    if (sale.completed) completed.push(sale);
    else if (sale.payments.length || sale.lines.some((l) => l.isLayaway || l.isSpecialOrder || l.isWorkorder)) openReservations.push(sale);
    store.addSale(sale);
  });
  // Reservations: most are completed within days; the rest stay open and hold stock. Instalments come from
  // their own stream, so the rest of the store is the same with or without them.
  const instalments = rng.fork("instalments");
  for (const sale of openReservations) {
    const later = sale.createTime + rng.int(1, 10) * DAY + rng.int(0, 8) * 3_600_000 + rng.int(0, 3599) * 1000;
    const completes = later < now - 60_000 && rng.chance(0.7);
    payInstalments(factory, sale, instalments, completes ? later : Math.floor((now - 60_000) / 1000) * 1000);
    if (completes) factory.complete(sale, later);
    else reserveStock(store, sale, 1, sale.createTime);
  }
  // Voids after completion: voided later the same day or up to three days after, bumping timeStamp and updatetime.
  for (const sale of completed) {
    if (sale.lines.some((l) => l.parentSaleLineId) || !rng.chance(0.01)) continue;
    const at = Math.floor(Math.min(now - 30_000, (sale.completeTime ?? sale.createTime) + rng.int(1, 72) * 3_600_000) / 1000) * 1000;
    if (at <= (sale.completeTime ?? 0)) continue;
    sale.voided = true;
    sale.updateTime = at;
    sale.timeStamp = at;
  }
  store.sales.changed();
}
