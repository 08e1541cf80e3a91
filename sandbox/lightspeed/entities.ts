import { bool, fk, isoOrEmpty, isoSeconds } from "./format";
import { applyMalformed } from "./malformed";
import type {
  CategoryRec, ChildRow, CustomerRec, EmployeeRec, ItemMatrixRec, ItemRec, ItemShopRec, SaleLineRec, SalePaymentRec, SaleRec, SandboxAccount, Store,
} from "./model";
import { saleMath } from "./sale-math";

/**
 * The API shapes. Every scalar is a string, a missing foreign key is "0", a to-many relation is
 * `{Element: object | object[]}` (an object when it has one element) and "" when empty; a to-one relation that
 * does not exist is left out. Relations are only rendered when asked for with load_relations.
 */
export type Json = Record<string, unknown>;
export type RelTree = Map<string, RelTree>;

export interface RelSchema {
  [name: string]: { kind: "one" | "many"; children?: RelSchema; explicitOnly?: boolean };
}

export interface Spellings {
  /** Sale's last-modified field: the JSON samples say "updateTime", the field table "updatetime". */
  saleUpdateTime: "updateTime" | "updatetime";
  /** ItemShop's work-order reservation: "onWorkorder" (JSON sample) or "onWorkOrder" (field table). */
  workOrder: "onWorkorder" | "onWorkOrder";
}

/**
 * How a requested to-many relation with no elements is sent. Recorded real sales show both: `""` and the key
 * left out altogether. "mixed" picks one per record from the seed, so a client must cope with either.
 */
export type EmptyRelations = "mixed" | "empty-string" | "omitted";

export interface RenderCtx {
  account: SandboxAccount;
  store: Store;
  spellings: Spellings;
  emptyRelations?: EmptyRelations;
  seed?: number;
}

/** A collection the way Lightspeed nests it: one element → the object itself, none → "". */
export function many(element: string, items: Json[]): Json | "" {
  if (items.length === 0) return "";
  return { [element]: items.length === 1 ? items[0] : items };
}

/** FNV-1a over the seed and a record key: the same record gets the same form on every read. */
function seededCoin(seed: number, key: string): boolean {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return (h & 1) === 1;
}

/** Puts a requested to-many relation on `out`; an empty one as "" or not at all (see EmptyRelations). */
export function putMany(ctx: RenderCtx, out: Json, key: string, element: string, items: Json[], recordKey: string): void {
  if (items.length > 0) {
    out[key] = many(element, items);
    return;
  }
  const mode = ctx.emptyRelations ?? "mixed";
  const omit = mode === "omitted" || (mode === "mixed" && seededCoin(ctx.seed ?? 0, `${recordKey}/${key}`));
  if (!omit) out[key] = "";
}

export type Scope = "any" | "inventory" | "register" | "customers" | "reports" | "product_cost";

export interface EntityDef<R extends { id: number }> {
  /** Path segment and JSON key, e.g. "Sale". */
  name: string;
  idField: string;
  table: (s: Store) => import("./model").Table<R>;
  sortable: string[];
  relations: RelSchema;
  /** Every listed group must be granted (one scope of the group suffices); "any" = any valid token. */
  scopes: Scope[];
  render(ctx: RenderCtx, r: R, rels: RelTree): Json;
  /** Fast field reads for filters on big tables; undefined → fall back to the rendered record. */
  field?: (r: R, name: string) => string | undefined;
  /** Fields a filter may name even while the account has no such record yet (a new merchant's empty sales). */
  fieldNames?: string[];
  archived?: (r: R) => boolean;
  /** Records the list endpoint serves (e.g. only sale lines of existing sales). */
  filterable?: string[];
}

const has = (rels: RelTree, name: string) => rels.get(name);

/* ----------------------------------------------------------------------------------------------------------- */

export function renderItemPrices(price: string, msrp: string): Json {
  return {
    ItemPrice: [
      { amount: price, useTypeID: "1", useType: "Default" },
      { amount: msrp || "0", useTypeID: "2", useType: "MSRP" },
      { amount: "0", useTypeID: "3", useType: "Online" },
    ],
  };
}

export function renderCategory(_ctx: RenderCtx, c: CategoryRec, rels: RelTree = new Map()): Json {
  const out: Json = {
    categoryID: String(c.id), name: c.name, nodeDepth: String(c.nodeDepth), fullPathName: c.fullPathName, leftNode: String(c.leftNode),
    rightNode: String(c.rightNode), parentID: fk(c.parentId), createTime: isoSeconds(c.createTime), timeStamp: isoSeconds(c.timeStamp), archived: bool(c.archived),
  };
  if (has(rels, "Parent") && c.parentId) {
    const p = _ctx.store.categories.get(c.parentId);
    if (p) out.Parent = renderCategory(_ctx, p);
  }
  return out;
}

function renderTaxClass(ctx: RenderCtx, id: number): Json | undefined {
  const t = ctx.store.taxClasses.get(id);
  return t ? { taxClassID: String(t.id), name: t.name, classType: "item", labor: "false", timeStamp: isoSeconds(t.timeStamp) } : undefined;
}

function renderAttributeSet(ctx: RenderCtx, id: number): Json | undefined {
  const a = ctx.store.attributeSets.get(id);
  return a
    ? { itemAttributeSetID: String(a.id), name: a.name, attributeName1: a.attributeName1, attributeName2: a.attributeName2, attributeName3: a.attributeName3, system: bool(a.system), archived: bool(a.archived) }
    : undefined;
}

export function renderItemShop(ctx: RenderCtx, s: ItemShopRec): Json {
  return {
    itemShopID: String(s.id), qoh: String(s.qoh), sellable: String(Math.max(0, s.qoh)), backorder: String(s.backorder), componentQoh: "0", componentBackorder: "0",
    reorderPoint: String(s.reorderPoint), reorderLevel: String(s.reorderLevel), timeStamp: isoSeconds(s.timeStamp), itemID: String(s.itemId), shopID: String(s.shopId),
    onLayaway: String(s.onLayaway), onSpecialOrder: String(s.onSpecialOrder), [ctx.spellings.workOrder]: String(s.onWorkOrder),
    onTransferOut: String(s.onTransferOut), onTransferIn: String(s.onTransferIn),
    ...(s.shopId === 0 ? { averageCost: s.averageCost, totalValueAvgCost: String(Number(s.averageCost) * Math.max(0, s.qoh)), totalValueFifo: String(Number(s.averageCost) * Math.max(0, s.qoh)) } : {}),
  };
}

export function renderItem(ctx: RenderCtx, i: ItemRec, rels: RelTree = new Map()): Json {
  const out: Json = {
    itemID: String(i.id), systemSku: i.systemSku, defaultCost: i.defaultCost, avgCost: i.avgCost, discountable: bool(i.discountable), tax: bool(i.tax),
    archived: bool(i.archived), itemType: i.itemType, serialized: bool(i.serialized), description: i.description, modelYear: "0", upc: i.upc, ean: i.ean,
    customSku: i.customSku, manufacturerSku: i.manufacturerSku, createTime: isoSeconds(i.createTime), timeStamp: isoSeconds(i.timeStamp), publishToEcom: "false",
    categoryID: fk(i.categoryId), taxClassID: fk(i.taxClassId), departmentID: "0", itemMatrixID: fk(i.matrixId), manufacturerID: fk(i.manufacturerId),
    seasonID: "0", defaultVendorID: "0",
  };
  if (has(rels, "Category")) {
    const c = ctx.store.categories.get(i.categoryId);
    if (c) out.Category = renderCategory(ctx, c);
  }
  if (has(rels, "TaxClass")) {
    const t = renderTaxClass(ctx, i.taxClassId);
    if (t) out.TaxClass = t;
  }
  const attrRels = has(rels, "ItemAttributes");
  if (attrRels && i.matrixId) {
    const matrix = ctx.store.matrices.get(i.matrixId);
    const setId = matrix?.attributeSetId ?? 0;
    const attrs: Json = { attribute1: i.attribute1, attribute2: i.attribute2, attribute3: "", itemAttributeSetID: fk(setId) };
    if (has(attrRels, "ItemAttributeSet")) {
      const set = renderAttributeSet(ctx, setId);
      if (set) attrs.ItemAttributeSet = set;
    }
    out.ItemAttributes = attrs;
  }
  if (has(rels, "ItemShops")) putMany(ctx, out, "ItemShops", "ItemShop", (ctx.store.itemShopsByItem.get(i.id) ?? []).map((s) => renderItemShop(ctx, s)), `Item/${i.id}`);
  if (has(rels, "CustomFieldValues")) {
    const entries = Object.entries(i.customFields ?? {});
    out.CustomFieldValues = many("CustomFieldValue", entries.map(([name, value], n) => ({ customFieldValueID: String(i.id * 10 + n), customFieldID: String(n + 1), name, type: "string", value })));
  }
  if (has(rels, "ItemMatrix") && i.matrixId) {
    const m = ctx.store.matrices.get(i.matrixId);
    if (m) out.ItemMatrix = renderMatrix(ctx, m);
  }
  out.Prices = renderItemPrices(i.price, i.msrp);
  return out;
}

export function renderMatrix(ctx: RenderCtx, m: ItemMatrixRec, rels: RelTree = new Map()): Json {
  const out: Json = {
    itemMatrixID: String(m.id), description: m.description, tax: bool(m.tax), defaultCost: m.defaultCost, itemType: m.itemType, serialized: "false", modelYear: "0",
    archived: bool(m.archived), timeStamp: isoSeconds(m.timeStamp), itemAttributeSetID: fk(m.attributeSetId), manufacturerID: "0", categoryID: fk(m.categoryId),
    defaultVendorID: "0", taxClassID: fk(m.taxClassId), seasonID: "0", departmentID: "0", Prices: renderItemPrices(m.price, m.msrp),
  };
  if (m.attribute1Values.length) out.attribute1Values = [...m.attribute1Values];
  if (m.attribute2Values.length) out.attribute2Values = [...m.attribute2Values];
  if (has(rels, "ItemAttributeSet")) {
    const set = renderAttributeSet(ctx, m.attributeSetId);
    if (set) out.ItemAttributeSet = set;
  }
  if (has(rels, "Category")) {
    const c = ctx.store.categories.get(m.categoryId);
    if (c) out.Category = renderCategory(ctx, c);
  }
  if (has(rels, "TaxClass")) {
    const t = renderTaxClass(ctx, m.taxClassId);
    if (t) out.TaxClass = t;
  }
  if (has(rels, "Items")) putMany(ctx, out, "Items", "Item", (ctx.store.itemsByMatrix.get(m.id) ?? []).map((i) => renderItem(ctx, i)), `ItemMatrix/${m.id}`);
  return out;
}

function renderContact(c: CustomerRec["contact"]): Json {
  const emails: Json[] = [];
  if (c.email) emails.push({ address: c.email, useType: "Primary" });
  if (c.email2) emails.push({ address: c.email2, useType: "Secondary" });
  const phones: Json[] = [];
  if (c.phone) phones.push({ number: c.phone, useType: "Home" });
  if (c.mobile) phones.push({ number: c.mobile, useType: "Mobile" });
  const address = c.address1 || c.city
    ? [{ address1: c.address1, address2: c.address2, city: c.city, state: "", stateCode: "", zip: c.zip, country: c.country, countryCode: c.countryCode }]
    : [];
  return {
    custom: "", noEmail: bool(c.noEmail), noPhone: bool(c.noPhone), noMail: bool(c.noMail),
    Addresses: many("ContactAddress", address), Phones: many("ContactPhone", phones), Emails: many("ContactEmail", emails), Websites: "",
    timeStamp: isoSeconds(c.timeStamp),
  };
}

export function renderCustomer(_ctx: RenderCtx, c: CustomerRec, rels: RelTree = new Map()): Json {
  const out: Json = {
    customerID: String(c.id), firstName: c.firstName, lastName: c.lastName, title: c.title, company: c.company, companyRegistrationNumber: c.companyRegistrationNumber,
    vatNumber: c.vatNumber, dob: isoOrEmpty(c.dob), archived: bool(c.archived), createTime: isoSeconds(c.createTime), timeStamp: isoSeconds(c.timeStamp),
    creditAccountID: fk(c.creditAccountId), customerTypeID: fk(c.customerTypeId), discountID: "0", taxCategoryID: "0", measurementID: "0",
  };
  if (has(rels, "Contact")) out.Contact = renderContact(c.contact);
  return out;
}

export function renderPaymentType(ctx: RenderCtx, id: number): Json | undefined {
  const p = ctx.store.paymentTypes.get(id);
  return p
    ? { paymentTypeID: String(p.id), name: p.name, requireCustomer: bool(p.requireCustomer), archived: bool(p.archived), internalReserved: bool(p.internalReserved), type: p.type, channel: "", refundAsPaymentTypeID: fk(p.refundAsPaymentTypeId) }
    : undefined;
}

export function renderTaxCategory(ctx: RenderCtx, id: number, rels: RelTree = new Map()): Json | undefined {
  const t = ctx.store.taxCategories.get(id);
  if (!t) return undefined;
  const out: Json = {
    taxCategoryID: String(t.id), isTaxInclusive: bool(t.isTaxInclusive), tax1Name: t.tax1Name, tax2Name: t.tax2Name, tax1Rate: t.tax1Rate, tax2Rate: t.tax2Rate,
    timeStamp: isoSeconds(t.timeStamp),
  };
  if (has(rels, "TaxCategoryClasses")) {
    out.TaxCategoryClasses = many("TaxCategoryClass", t.classes.map((c) => ({ taxCategoryClassID: String(c.id), tax1Rate: c.tax1Rate, tax2Rate: c.tax2Rate, timeStamp: isoSeconds(c.timeStamp), taxCategoryID: String(t.id), taxClassID: String(c.taxClassId) })));
  }
  return out;
}

function renderLine(ctx: RenderCtx, sale: SaleRec, l: SaleLineRec, m: ReturnType<typeof saleMath>["lines"][number], rels: RelTree | undefined): Json {
  const out: Json = {
    saleLineID: String(l.id), createTime: isoSeconds(l.createTime), timeStamp: isoSeconds(l.timeStamp), unitQuantity: String(l.qty), unitPrice: l.unitPrice,
    normalUnitPrice: l.normalUnitPrice, discountAmount: l.discountAmount, discountPercent: l.discountPercent, avgCost: l.avgCost, fifoCost: l.avgCost,
    tax: bool(l.tax), tax1Rate: l.tax1Rate, tax2Rate: "0", isLayaway: bool(l.isLayaway), isWorkorder: bool(l.isWorkorder), isSpecialOrder: bool(l.isSpecialOrder),
    displayableSubtotal: m.calcSubtotal, displayableUnitPrice: l.unitPrice, lineType: "", calcLineDiscount: m.calcLineDiscount,
    calcTransactionDiscount: m.calcTransactionDiscount, calcTotal: m.calcTotal, calcSubtotal: m.calcSubtotal, calcTax1: m.calcTax1, calcTax2: "0",
    taxClassID: fk(l.taxClassId), customerID: fk(sale.customerId), discountID: "0", employeeID: fk(sale.employeeId), itemID: fk(l.itemId), noteID: "0",
    parentSaleLineID: fk(l.parentSaleLineId), shopID: fk(sale.shopId), taxCategoryID: fk(sale.taxCategoryId), saleID: String(sale.id), itemFeeID: "0",
  };
  if (rels && has(rels, "Item")) {
    const item = ctx.store.items.get(l.itemId);
    if (item) out.Item = renderItem(ctx, item);
  }
  if (rels && has(rels, "TaxClass")) {
    const t = renderTaxClass(ctx, l.taxClassId);
    if (t) out.TaxClass = t;
  }
  return out;
}

function renderPayment(ctx: RenderCtx, sale: SaleRec, p: SalePaymentRec, rels: RelTree | undefined): Json {
  const out: Json = {
    salePaymentID: String(p.id), amount: p.amount, tipAmount: p.tipAmount, createTime: isoSeconds(p.createTime), archived: bool(p.archived), remoteReference: "",
    paymentID: "", saleID: String(sale.id), paymentTypeID: fk(p.paymentTypeId), ccChargeID: "0", refPaymentID: "0", registerID: fk(p.registerId),
    employeeID: fk(p.employeeId), creditAccountID: fk(p.creditAccountId),
  };
  if (rels && has(rels, "PaymentType")) {
    const t = renderPaymentType(ctx, p.paymentTypeId);
    if (t) out.PaymentType = t;
  }
  return out;
}

export function renderSale(ctx: RenderCtx, s: SaleRec, rels: RelTree = new Map()): Json {
  const m = saleMath(s);
  const h = m.header;
  const cat = ctx.store.taxCategories.get(s.taxCategoryId);
  const out: Json = {
    saleID: String(s.id), timeStamp: isoSeconds(s.timeStamp), discountPercent: s.transactionDiscountPercent, completed: bool(s.completed), archived: bool(s.archived),
    voided: bool(s.voided), enablePromotions: "true", isTaxInclusive: bool(s.isTaxInclusive), createTime: isoSeconds(s.createTime),
    [ctx.spellings.saleUpdateTime]: isoSeconds(s.updateTime), completeTime: isoOrEmpty(s.completeTime), referenceNumber: s.referenceNumber, referenceNumberSource: "",
    tax1Rate: cat?.tax1Rate ?? "0", tax2Rate: "0", change: s.change, receiptPreference: "printed", displayableSubtotal: h.calcSubtotal,
    ticketNumber: `22${String(s.id).padStart(10, "0")}`, calcDiscount: h.calcDiscount, calcTotal: h.total, calcSubtotal: h.calcSubtotal, calcTaxable: h.calcTaxable,
    calcNonTaxable: h.calcNonTaxable, calcAvgCost: h.calcAvgCost, calcFIFOCost: h.calcAvgCost, calcTax1: h.calcTax1, calcTax2: h.calcTax2, calcPayments: h.calcPayments,
    calcTips: h.calcTips, calcItemFees: "0", total: h.total, totalDue: h.total, displayableTotal: h.total, balance: s.completed ? h.balance : h.balance,
    customerID: fk(s.customerId), discountID: "0", employeeID: fk(s.employeeId), quoteID: "0", registerID: fk(s.registerId), shipToID: "0", shopID: fk(s.shopId),
    taxCategoryID: fk(s.taxCategoryId), tippableAmount: h.total, taxTotal: h.taxTotal,
  };
  const lineRels = has(rels, "SaleLines");
  if (lineRels) putMany(ctx, out, "SaleLines", "SaleLine", s.lines.map((l, i) => renderLine(ctx, s, l, m.lines[i]!, lineRels)), `Sale/${s.id}`);
  const payRels = has(rels, "SalePayments");
  if (payRels) putMany(ctx, out, "SalePayments", "SalePayment", s.payments.map((p) => renderPayment(ctx, s, p, payRels)), `Sale/${s.id}`);
  const custRels = has(rels, "Customer");
  if (custRels && s.customerId) {
    const c = ctx.store.customers.get(s.customerId);
    if (c) out.Customer = renderCustomer(ctx, c, custRels);
  }
  const taxRels = has(rels, "TaxCategory");
  if (taxRels) {
    const t = renderTaxCategory(ctx, s.taxCategoryId, taxRels);
    if (t) out.TaxCategory = t;
  }
  applyMalformed(s, out);
  return out;
}

/* ----------------------------------------------------------------------------------------------------------- */

const saleFields: Record<string, (s: SaleRec) => string> = {
  saleID: (s) => String(s.id),
  timeStamp: (s) => isoSeconds(s.timeStamp),
  completed: (s) => bool(s.completed),
  voided: (s) => bool(s.voided),
  archived: (s) => bool(s.archived),
  shopID: (s) => fk(s.shopId),
  registerID: (s) => fk(s.registerId),
  customerID: (s) => fk(s.customerId),
  employeeID: (s) => fk(s.employeeId),
  createTime: (s) => isoSeconds(s.createTime),
  completeTime: (s) => isoOrEmpty(s.completeTime),
  updatetime: (s) => isoSeconds(s.updateTime),
  updateTime: (s) => isoSeconds(s.updateTime),
};

type AnyDef = EntityDef<{ id: number }>;

function def<R extends { id: number }>(d: EntityDef<R>): AnyDef {
  return d as unknown as AnyDef;
}

export const ENTITIES: Record<string, AnyDef> = {
  Shop: def({
    name: "Shop", idField: "shopID", table: (s) => s.shops, sortable: ["shopID", "timeStamp"], relations: { Registers: { kind: "many" } }, scopes: ["any"],
    archived: (r) => r.archived,
    render: (ctx, r, rels) => {
      const out: Json = {
        shopID: String(r.id), name: r.name, serviceRate: "0", timeZone: r.timeZone, taxLabor: "false", labelTitle: "Shop Name", labelMsrp: "false", archived: bool(r.archived),
        timeStamp: isoSeconds(r.timeStamp), companyRegistrationNumber: r.companyRegistrationNumber, vatNumber: r.vatNumber, zebraBrowserPrint: "false",
        contactID: String(r.id), taxCategoryID: fk(r.taxCategoryId), receiptSetupID: "1", ccGatewayID: "0", gatewayConfigID: "0", priceLevelID: fk(r.priceLevelId),
      };
      if (has(rels, "Registers")) out.Registers = many("Register", [...ctx.store.registers.values()].filter((g) => g.shopId === r.id).map((g) => ENTITIES.Register!.render(ctx, g, new Map())));
      return out;
    },
  }),
  Register: def({
    name: "Register", idField: "registerID", table: (s) => s.registers, sortable: ["registerID"], relations: {}, scopes: ["any"],
    archived: (r) => r.archived,
    render: (_ctx, r) => ({ registerID: String(r.id), name: r.name, open: bool(r.open), openTime: isoOrEmpty(r.openTime), archived: bool(r.archived), tipEnabled: "true", openEmployeeID: "0", shopID: fk(r.shopId), ccTerminalID: "0" }),
  }),
  PaymentType: def({
    name: "PaymentType", idField: "paymentTypeID", table: (s) => s.paymentTypes, sortable: ["paymentTypeID"], relations: {}, scopes: ["register"],
    archived: (r) => r.archived,
    render: (ctx, r) => renderPaymentType(ctx, r.id)!,
  }),
  TaxClass: def({
    name: "TaxClass", idField: "taxClassID", table: (s) => s.taxClasses, sortable: ["taxClassID", "timeStamp"], relations: {}, scopes: ["inventory"],
    render: (ctx, r) => renderTaxClass(ctx, r.id)!,
  }),
  TaxCategory: def({
    name: "TaxCategory", idField: "taxCategoryID", table: (s) => s.taxCategories, sortable: ["taxCategoryID", "timeStamp"], relations: { TaxCategoryClasses: { kind: "many" } },
    scopes: ["register"],
    render: (ctx, r, rels) => renderTaxCategory(ctx, r.id, rels)!,
  }),
  Category: def({
    name: "Category", idField: "categoryID", table: (s) => s.categories, sortable: ["categoryID", "timeStamp", "name"], relations: { Parent: { kind: "one" } },
    scopes: ["inventory"], archived: (r) => r.archived,
    render: (ctx, r, rels) => renderCategory(ctx, r, rels),
  }),
  ItemAttributeSet: def({
    name: "ItemAttributeSet", idField: "itemAttributeSetID", table: (s) => s.attributeSets, sortable: ["itemAttributeSetID"], relations: {}, scopes: ["inventory"],
    archived: (r) => r.archived,
    render: (ctx, r) => renderAttributeSet(ctx, r.id)!,
  }),
  ItemMatrix: def({
    name: "ItemMatrix", idField: "itemMatrixID", table: (s) => s.matrices, sortable: ["itemMatrixID", "timeStamp", "description"],
    relations: { ItemAttributeSet: { kind: "one" }, Category: { kind: "one" }, TaxClass: { kind: "one" }, Items: { kind: "many" } },
    scopes: ["inventory", "product_cost"], archived: (r) => r.archived,
    field: (r, name) => (name === "itemMatrixID" ? String(r.id) : name === "timeStamp" ? isoSeconds(r.timeStamp) : name === "archived" ? bool(r.archived) : undefined),
    render: (ctx, r, rels) => renderMatrix(ctx, r, rels),
  }),
  Item: def({
    name: "Item", idField: "itemID", table: (s) => s.items, sortable: ["itemID", "timeStamp", "description"],
    relations: {
      Category: { kind: "one" }, TaxClass: { kind: "one" }, ItemAttributes: { kind: "one", children: { ItemAttributeSet: { kind: "one" } } },
      ItemShops: { kind: "many" }, CustomFieldValues: { kind: "many", explicitOnly: true }, ItemMatrix: { kind: "one" },
    },
    scopes: ["inventory"], archived: (r) => r.archived,
    field: (r, name) => {
      switch (name) {
        case "itemID": return String(r.id);
        case "timeStamp": return isoSeconds(r.timeStamp);
        case "archived": return bool(r.archived);
        case "itemMatrixID": return fk(r.matrixId);
        case "categoryID": return fk(r.categoryId);
        default: return undefined;
      }
    },
    render: (ctx, r, rels) => renderItem(ctx, r, rels),
  }),
  ItemShop: def({
    name: "ItemShop", idField: "itemShopID", table: (s) => s.itemShops, sortable: ["itemShopID", "timeStamp"], relations: { Item: { kind: "one" } }, scopes: ["inventory"],
    field: (r, name) => (name === "itemShopID" ? String(r.id) : name === "timeStamp" ? isoSeconds(r.timeStamp) : name === "shopID" ? String(r.shopId) : name === "itemID" ? String(r.itemId) : undefined),
    render: (ctx, r, rels) => {
      const out = renderItemShop(ctx, r);
      if (has(rels, "Item")) {
        const item = ctx.store.items.get(r.itemId);
        if (item) out.Item = renderItem(ctx, item);
      }
      return out;
    },
  }),
  Customer: def({
    name: "Customer", idField: "customerID", table: (s) => s.customers, sortable: ["customerID", "timeStamp"], relations: { Contact: { kind: "one" } }, scopes: ["customers"],
    archived: (r) => r.archived,
    field: (r, name) => (name === "customerID" ? String(r.id) : name === "timeStamp" ? isoSeconds(r.timeStamp) : name === "archived" ? bool(r.archived) : undefined),
    render: (ctx, r, rels) => renderCustomer(ctx, r, rels),
  }),
  Sale: def({
    name: "Sale", idField: "saleID", table: (s) => s.sales, sortable: ["saleID", "timeStamp", "completeTime", "updatetime"],
    relations: {
      SaleLines: { kind: "many", children: { Item: { kind: "one" }, TaxClass: { kind: "one" } } },
      SalePayments: { kind: "many", children: { PaymentType: { kind: "one" } } },
      Customer: { kind: "one", children: { Contact: { kind: "one" } } },
      TaxCategory: { kind: "one", children: { TaxCategoryClasses: { kind: "many" } } },
    },
    scopes: ["register"], archived: (r) => r.archived,
    field: (r, name) => saleFields[name]?.(r),
    fieldNames: Object.keys(saleFields),
    render: (ctx, r, rels) => renderSale(ctx, r, rels),
  }),
};

/**
 * `GET Account/{id}.json` as Lightspeed's endpoint page shows it: the fields at the top level, no `Account`
 * wrapper and no `@attributes`. The sample has no `accountID` either, so a client must take the id from the
 * token's `acct` claim rather than from this body.
 */
export const ACCOUNT_FLAT = (a: SandboxAccount): Json => ({
  status: "active",
  name: a.name,
  defaultCurrency: { code: a.currency, symbol: "€", rate: "1" },
  link: { "@attributes": { href: `/API/V3/Account/${a.id}` } },
});

/**
 * Employees with their role as the EmployeeRole relation (documented on Employee; no standalone EmployeeRole
 * endpoint is documented, so none is served). Which scope reading employees takes is not documented: any token.
 */
ENTITIES.Employee = def<EmployeeRec>({
  name: "Employee", idField: "employeeID", table: (s) => s.employees, sortable: ["employeeID"], relations: { EmployeeRole: { kind: "one" } }, scopes: ["any"],
  archived: (r) => r.archived ?? false,
  render: (ctx, r, rels) => {
    const out: Json = {
      employeeID: String(r.id), firstName: r.firstName, lastName: r.lastName, lockOut: bool(r.lockOut ?? false), archived: bool(r.archived ?? false),
      contactID: String(r.id), clockInEmployeeHoursID: "0", employeeRoleID: fk(r.employeeRoleId ?? 0), limitToShopID: "0", lastShopID: "1", lastSaleID: "0", lastRegisterID: "1",
    };
    const role = r.employeeRoleId ? ctx.store.employeeRoles.get(r.employeeRoleId) : undefined;
    if (has(rels, "EmployeeRole") && role) out.EmployeeRole = { employeeRoleID: String(role.id), name: role.name };
    return out;
  },
});

export const ACCOUNT_FIELDS = (a: SandboxAccount): Json => ({
  accountID: String(a.id),
  name: a.name,
  link: { "@attributes": { href: `/API/V3/Account/${a.id}` } },
  defaultCurrency: { code: a.currency, symbol: "€", rate: "1" },
});

ENTITIES.SaleLine = def<ChildRow>({
  name: "SaleLine", idField: "saleLineID", table: (s) => s.lineRows(), sortable: ["saleLineID", "timeStamp"],
  relations: { Item: { kind: "one" }, TaxClass: { kind: "one" } }, scopes: ["register"],
  field: (r, name) => (name === "saleLineID" ? String(r.id) : name === "saleID" ? String(r.sale.id) : undefined),
  render: (ctx, row, rels) => renderLine(ctx, row.sale, row.sale.lines[row.index]!, saleMath(row.sale).lines[row.index]!, rels),
});

ENTITIES.SalePayment = def<ChildRow>({
  name: "SalePayment", idField: "salePaymentID", table: (s) => s.paymentRows(), sortable: ["salePaymentID"],
  relations: { PaymentType: { kind: "one" } }, scopes: ["register"],
  archived: (r) => r.sale.payments[r.index]!.archived,
  field: (r, name) => (name === "salePaymentID" ? String(r.id) : name === "saleID" ? String(r.sale.id) : undefined),
  render: (ctx, row, rels) => renderPayment(ctx, row.sale, row.sale.payments[row.index]!, rels),
});
