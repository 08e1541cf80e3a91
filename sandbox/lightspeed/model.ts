/**
 * The sandbox's data, stored compactly: the benchmark holds 50k items and 100k sales with their lines and
 * payments, so records keep only the inputs (numbers, short strings) and the API shape is built when a record
 * is served. Derived money (line maths, header totals) is computed by sale-math.ts from these inputs.
 */

export interface ShopRec {
  id: number;
  name: string;
  timeZone: string;
  taxCategoryId: number;
  priceLevelId: number;
  archived: boolean;
  vatNumber: string;
  companyRegistrationNumber: string;
  timeStamp: number;
}

export interface RegisterRec {
  id: number;
  shopId: number;
  name: string;
  archived: boolean;
  open: boolean;
  openTime: number | null;
  /** Open past midnight: its sales run on into the small hours of the next day. */
  lateNight: boolean;
}

export interface EmployeeRec {
  id: number;
  firstName: string;
  lastName: string;
  /** 0 or missing: no role (Lightspeed then applies the employee's own rights). */
  employeeRoleId?: number;
  lockOut?: boolean;
  archived?: boolean;
}

/** A role as Lightspeed names it; its rights are not modelled (Butlerbridge goes by the name). */
export interface EmployeeRoleRec {
  id: number;
  name: string;
}

export type PaymentKind = "cash" | "credit card" | "gift card" | "credit account" | "ecom" | "adjustment" | "user defined";

export interface PaymentTypeRec {
  id: number;
  name: string;
  type: PaymentKind;
  requireCustomer: boolean;
  internalReserved: boolean;
  archived: boolean;
  refundAsPaymentTypeId: number;
  timeStamp: number;
}

export interface TaxClassRec {
  id: number;
  name: string;
  timeStamp: number;
}

export interface TaxCategoryClassRec {
  id: number;
  taxClassId: number;
  tax1Rate: string;
  tax2Rate: string;
  timeStamp: number;
}

export interface TaxCategoryRec {
  id: number;
  isTaxInclusive: boolean;
  tax1Name: string;
  tax1Rate: string;
  tax2Name: string;
  tax2Rate: string;
  classes: TaxCategoryClassRec[];
  timeStamp: number;
}

export interface CategoryRec {
  id: number;
  name: string;
  parentId: number;
  nodeDepth: number;
  fullPathName: string;
  leftNode: number;
  rightNode: number;
  archived: boolean;
  createTime: number;
  timeStamp: number;
}

export interface AttributeSetRec {
  id: number;
  name: string;
  attributeName1: string;
  attributeName2: string;
  attributeName3: string;
  system: boolean;
  archived: boolean;
}

export type ItemType = "default" | "non_inventory" | "serialized" | "box" | "serialized_assembly" | "assembly";

export interface ItemMatrixRec {
  id: number;
  description: string;
  attributeSetId: number;
  categoryId: number;
  taxClassId: number;
  itemType: ItemType;
  tax: boolean;
  archived: boolean;
  defaultCost: string;
  price: string;
  msrp: string;
  attribute1Values: string[];
  attribute2Values: string[];
  createTime: number;
  timeStamp: number;
}

export interface ItemRec {
  id: number;
  systemSku: string;
  customSku: string;
  manufacturerSku: string;
  upc: string;
  ean: string;
  description: string;
  itemType: ItemType;
  tax: boolean;
  discountable: boolean;
  archived: boolean;
  serialized: boolean;
  categoryId: number;
  taxClassId: number;
  matrixId: number;
  manufacturerId: number;
  defaultCost: string;
  avgCost: string;
  /** Default price (useTypeID 1); gross in a tax-inclusive shop. */
  price: string;
  /** MSRP (useTypeID 2), "" when none. */
  msrp: string;
  attribute1: string;
  attribute2: string;
  /** Custom field values (only served when CustomFieldValues is loaded explicitly). */
  customFields: Record<string, string> | null;
  createTime: number;
  timeStamp: number;
}

export interface ItemShopRec {
  id: number;
  itemId: number;
  /** 0 = the all-shops summary row. */
  shopId: number;
  qoh: number;
  backorder: number;
  onLayaway: number;
  onSpecialOrder: number;
  onWorkOrder: number;
  onTransferIn: number;
  onTransferOut: number;
  reorderPoint: number;
  reorderLevel: number;
  averageCost: string;
  timeStamp: number;
}

export interface CustomerRec {
  id: number;
  firstName: string;
  lastName: string;
  title: string;
  company: string;
  vatNumber: string;
  companyRegistrationNumber: string;
  dob: number | null;
  archived: boolean;
  creditAccountId: number;
  customerTypeId: number;
  createTime: number;
  timeStamp: number;
  contact: ContactRec;
}

export interface ContactRec {
  address1: string;
  address2: string;
  city: string;
  zip: string;
  country: string;
  countryCode: string;
  email: string;
  email2: string;
  phone: string;
  mobile: string;
  noEmail: boolean;
  noMail: boolean;
  noPhone: boolean;
  timeStamp: number;
}

export interface SaleLineRec {
  id: number;
  itemId: number;
  /** Negative on refunds. */
  qty: number;
  /** Net in tax-exclusive sales, gross in tax-inclusive ones. */
  unitPrice: string;
  /** The item's normal price before a manual price change. */
  normalUnitPrice: string;
  /** A fraction ("0.1" = 10 %); exclusive with discountAmount. */
  discountPercent: string;
  /** Per line, in the sale's price basis. */
  discountAmount: string;
  taxClassId: number;
  tax: boolean;
  tax1Rate: string;
  isLayaway: boolean;
  isSpecialOrder: boolean;
  isWorkorder: boolean;
  parentSaleLineId: number;
  avgCost: string;
  createTime: number;
  timeStamp: number;
}

export interface SalePaymentRec {
  id: number;
  paymentTypeId: number;
  /** Includes the tip; negative on refunds and when a gift card is sold. */
  amount: string;
  tipAmount: string;
  creditAccountId: number;
  registerId: number;
  employeeId: number;
  createTime: number;
  archived: boolean;
  /** Paid while the sale was still an open layaway (a deposit). */
  layawayDeposit: boolean;
}

/** Why a generated record is broken, so tests know which records must fail and how. */
export interface MalformedMark {
  kind: MalformedKind;
  /** "normaliser": the client must reject it as malformed; "sync": it parses but fails business validation. */
  layer: "normaliser" | "sync";
  detail: string;
}

export type MalformedKind =
  | "missing-field"
  | "wrong-type"
  | "exponent-amount"
  | "bad-timestamp"
  | "lines-dont-sum"
  | "absurd-amount"
  | "unknown-payment-type"
  | "broken-email"
  | "long-unicode-name";

export interface SaleRec {
  id: number;
  shopId: number;
  registerId: number;
  employeeId: number;
  customerId: number;
  taxCategoryId: number;
  isTaxInclusive: boolean;
  completed: boolean;
  voided: boolean;
  archived: boolean;
  createTime: number;
  completeTime: number | null;
  updateTime: number;
  timeStamp: number;
  /** Whole-sale discount as a fraction, spread over discountable lines (calcTransactionDiscount). */
  transactionDiscountPercent: string;
  /** Cash handed back, informational (payments are already net of it). */
  change: string;
  referenceNumber: string;
  lines: SaleLineRec[];
  payments: SalePaymentRec[];
  malformed: MalformedMark | null;
}

/** A sale line or payment addressed by its own id (the SaleLine / SalePayment endpoints). */
export interface ChildRow {
  id: number;
  sale: SaleRec;
  index: number;
}

export interface GiftCardRec {
  creditAccountId: number;
  balance: string;
}

/** A table with lazily built sort indexes (rebuilt after a change to a sort key). */
export class Table<R extends { id: number }> {
  readonly byId = new Map<number, R>();
  private readonly indexes = new Map<string, R[]>();
  private maxId = 0;

  constructor(private readonly sortKeys: Record<string, (r: R) => number | string>) {}

  get size(): number {
    return this.byId.size;
  }

  nextId(): number {
    return this.maxId + 1;
  }

  insert(r: R): R {
    this.byId.set(r.id, r);
    if (r.id > this.maxId) this.maxId = r.id;
    this.indexes.clear();
    return r;
  }

  get(id: number): R | undefined {
    return this.byId.get(id);
  }

  /** Call after changing a field that a sort index uses. */
  changed(): void {
    this.indexes.clear();
  }

  values(): IterableIterator<R> {
    return this.byId.values();
  }

  sortKey(field: string): ((r: R) => number | string) | undefined {
    return this.sortKeys[field];
  }

  /** Records in ascending (key, id) order. */
  sorted(field: string): R[] {
    let idx = this.indexes.get(field);
    if (!idx) {
      const key = this.sortKeys[field];
      if (!key) throw new Error(`no sort key ${field}`);
      idx = [...this.byId.values()];
      idx.sort((a, b) => compareKeys(key(a), key(b)) || a.id - b.id);
      this.indexes.set(field, idx);
    }
    return idx;
  }
}

export function compareKeys(a: number | string, b: number | string): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const ts = (r: { timeStamp: number }) => r.timeStamp;
const id = (r: { id: number }) => r.id;

export class Store {
  readonly shops = new Table<ShopRec>({ shopID: id, timeStamp: ts });
  readonly registers = new Table<RegisterRec>({ registerID: id });
  readonly employees = new Table<EmployeeRec>({ employeeID: id });
  readonly employeeRoles = new Table<EmployeeRoleRec>({ employeeRoleID: id });
  readonly paymentTypes = new Table<PaymentTypeRec>({ paymentTypeID: id, timeStamp: ts });
  readonly taxClasses = new Table<TaxClassRec>({ taxClassID: id, timeStamp: ts });
  readonly taxCategories = new Table<TaxCategoryRec>({ taxCategoryID: id, timeStamp: ts });
  readonly categories = new Table<CategoryRec>({ categoryID: id, timeStamp: ts, name: (r) => r.name });
  readonly attributeSets = new Table<AttributeSetRec>({ itemAttributeSetID: id });
  readonly matrices = new Table<ItemMatrixRec>({ itemMatrixID: id, timeStamp: ts, description: (r) => r.description });
  readonly items = new Table<ItemRec>({ itemID: id, timeStamp: ts, description: (r) => r.description });
  readonly itemShops = new Table<ItemShopRec>({ itemShopID: id, timeStamp: ts });
  readonly customers = new Table<CustomerRec>({ customerID: id, timeStamp: ts });
  readonly sales = new Table<SaleRec>({
    saleID: id,
    timeStamp: ts,
    completeTime: (r) => r.completeTime ?? -Infinity,
    updatetime: (r) => r.updateTime,
  });
  /** ItemShop rows per item, for relation loading and stock mutations. */
  readonly itemShopsByItem = new Map<number, ItemShopRec[]>();
  /** Children per matrix. */
  readonly itemsByMatrix = new Map<number, ItemRec[]>();
  /** Sale and line lookups for SaleLine/SalePayment endpoints and refunds. */
  readonly lineOwner = new Map<number, SaleRec>();
  readonly paymentOwner = new Map<number, SaleRec>();
  readonly giftCards = new Map<number, GiftCardRec>();
  nextLineId = 1;
  nextPaymentId = 1;
  nextCreditAccountId = 1;
  private salesVersion = 0;
  private childCache: { version: number; lines: Table<ChildRow>; payments: Table<ChildRow> } | null = null;

  /** Call after changing any sale (its sort keys, lines or payments). */
  salesChanged(): void {
    this.sales.changed();
    this.salesVersion++;
  }

  private children(): { lines: Table<ChildRow>; payments: Table<ChildRow> } {
    if (this.childCache?.version !== this.salesVersion) {
      const lines = new Table<ChildRow>({ saleLineID: (r) => r.id, timeStamp: (r) => r.sale.lines[r.index]!.timeStamp });
      const payments = new Table<ChildRow>({ salePaymentID: (r) => r.id });
      for (const sale of this.sales.values()) {
        sale.lines.forEach((l, index) => lines.insert({ id: l.id, sale, index }));
        sale.payments.forEach((p, index) => payments.insert({ id: p.id, sale, index }));
      }
      this.childCache = { version: this.salesVersion, lines, payments };
    }
    return this.childCache;
  }

  lineRows(): Table<ChildRow> {
    return this.children().lines;
  }

  paymentRows(): Table<ChildRow> {
    return this.children().payments;
  }

  addItemShop(r: ItemShopRec): void {
    this.itemShops.insert(r);
    const list = this.itemShopsByItem.get(r.itemId);
    if (list) list.push(r);
    else this.itemShopsByItem.set(r.itemId, [r]);
  }

  addItem(r: ItemRec): void {
    this.items.insert(r);
    if (r.matrixId) {
      const list = this.itemsByMatrix.get(r.matrixId);
      if (list) list.push(r);
      else this.itemsByMatrix.set(r.matrixId, [r]);
    }
  }

  addSale(r: SaleRec): void {
    this.sales.insert(r);
    this.salesVersion++;
    for (const l of r.lines) this.lineOwner.set(l.id, r);
    for (const p of r.payments) this.paymentOwner.set(p.id, r);
  }

  taxRate(taxCategoryId: number, taxClassId: number): string {
    const cat = this.taxCategories.get(taxCategoryId);
    if (!cat) return "0";
    const cls = cat.classes.find((c) => c.taxClassId === taxClassId);
    return cls ? cls.tax1Rate : cat.tax1Rate;
  }
}

export interface SandboxAccount {
  id: number;
  name: string;
  /** The subscription's register limit: drives the bucket size and drip rate. */
  registerLimit: number;
  currency: string;
  store: Store;
}
