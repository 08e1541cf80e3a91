/**
 * Clean domain types for Lightspeed Retail (R-Series) records, as the rest of the app sees them. The zod
 * normalisers in this module turn the API's shapes (every scalar a string, "0" for no foreign key, one-element
 * collections as objects, "" for empty relations, case aliases) into these.
 *
 * Everything here is JSON-safe on purpose: records cross Inngest step boundaries, which serialise results.
 * So exact decimals are normalised decimal strings (never floats), instants are ISO-8601 UTC strings, and
 * "no foreign key" is null.
 */

/** An exact decimal as a string, e.g. "11.4860025", "-3", "0.5". Parse with `decimal()` from lib/money. */
export type DecimalString = string;
/** An ISO-8601 instant in UTC, e.g. "2026-03-14T09:12:00.000Z". */
export type Instant = string;

export interface LsAccount {
  accountId: string;
  name: string;
  /** ISO currency code from defaultCurrency, e.g. "EUR". */
  currency: string | null;
}

export interface LsShop {
  shopId: string;
  name: string;
  /** IANA zone, e.g. "Europe/Berlin". Business dates are computed in it. */
  timeZone: string;
  taxCategoryId: string | null;
  archived: boolean;
  timeStamp: Instant | null;
}

/** An employee and their role (the role decides what they may do in Butlerbridge; see lib/auth/roles.ts). */
export interface LsEmployee {
  employeeId: string;
  firstName: string;
  lastName: string;
  lockOut: boolean;
  archived: boolean;
  /** Null when the employee has no role (then their own rights apply in Lightspeed). */
  role: { employeeRoleId: string; name: string } | null;
}

export interface LsRegister {
  registerId: string;
  shopId: string;
  name: string;
  archived: boolean;
}

export type LsPaymentKind = "cash" | "credit card" | "gift card" | "credit account" | "ecom" | "adjustment" | "user defined";

export interface LsPaymentType {
  paymentTypeId: string;
  name: string;
  kind: LsPaymentKind;
  requireCustomer: boolean;
  archived: boolean;
  internalReserved: boolean;
  refundAsPaymentTypeId: string | null;
}

export interface LsTaxClass {
  taxClassId: string;
  name: string;
  timeStamp: Instant | null;
}

export interface LsTaxCategoryClass {
  taxClassId: string;
  tax1Rate: DecimalString;
  tax2Rate: DecimalString;
}

export interface LsTaxCategory {
  taxCategoryId: string;
  isTaxInclusive: boolean;
  tax1Name: string;
  /** A fraction: "0.19" for 19 %. */
  tax1Rate: DecimalString;
  tax2Name: string;
  tax2Rate: DecimalString;
  classes: LsTaxCategoryClass[];
  timeStamp: Instant | null;
}

export interface LsCategory {
  categoryId: string;
  name: string;
  parentId: string | null;
  /** "Bekleidung/Damen/Kleider". */
  fullPathName: string;
  nodeDepth: number;
  archived: boolean;
  timeStamp: Instant | null;
}

export interface LsItemPrice {
  amount: DecimalString;
  useTypeId: string;
  /** "Default", "MSRP", or an account-specific price level name. */
  useType: string;
}

export interface LsItemAttributes {
  itemAttributeSetId: string | null;
  attribute1: string;
  attribute2: string;
  attribute3: string;
}

export type LsItemType = "default" | "non_inventory" | "serialized" | "box" | "serialized_assembly" | "assembly";

export interface LsItem {
  itemId: string;
  systemSku: string;
  customSku: string;
  manufacturerSku: string;
  upc: string;
  ean: string;
  description: string;
  itemType: LsItemType;
  /** Taxable at all. */
  tax: boolean;
  discountable: boolean;
  archived: boolean;
  categoryId: string | null;
  taxClassId: string | null;
  itemMatrixId: string | null;
  defaultCost: DecimalString;
  avgCost: DecimalString;
  prices: LsItemPrice[];
  attributes: LsItemAttributes | null;
  /** Custom field name → value (CustomFieldValues), when loaded. */
  customFields: Record<string, string>;
  createTime: Instant | null;
  timeStamp: Instant;
}

export interface LsItemMatrix {
  itemMatrixId: string;
  description: string;
  itemAttributeSetId: string | null;
  categoryId: string | null;
  taxClassId: string | null;
  itemType: LsItemType;
  tax: boolean;
  archived: boolean;
  defaultCost: DecimalString;
  prices: LsItemPrice[];
  attribute1Values: string[];
  attribute2Values: string[];
  attribute3Values: string[];
  timeStamp: Instant;
}

export interface LsItemAttributeSet {
  itemAttributeSetId: string;
  name: string;
  attributeName1: string;
  attributeName2: string;
  attributeName3: string;
  system: boolean;
  archived: boolean;
}

export interface LsItemShop {
  itemShopId: string;
  itemId: string;
  /** "0" is the all-shops summary row. */
  shopId: string;
  qoh: number;
  sellable: number;
  backorder: number;
  componentQoh: number;
  onLayaway: number;
  onSpecialOrder: number;
  /** Read from `onWorkOrder` or `onWorkorder`. */
  onWorkOrder: number;
  onTransferIn: number;
  onTransferOut: number;
  averageCost: DecimalString | null;
  totalValueAvgCost: DecimalString | null;
  totalValueFifo: DecimalString | null;
  timeStamp: Instant;
}

export interface LsContactAddress {
  address1: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  /** ISO-3166 alpha-2 when Lightspeed knows it, else "". */
  countryCode: string;
}

export interface LsContact {
  emails: { address: string; useType: string }[];
  phones: { number: string; useType: string }[];
  addresses: LsContactAddress[];
  noEmail: boolean;
}

export interface LsCustomer {
  customerId: string;
  firstName: string;
  lastName: string;
  title: string;
  company: string;
  vatNumber: string;
  companyRegistrationNumber: string;
  archived: boolean;
  creditAccountId: string | null;
  contact: LsContact | null;
  createTime: Instant | null;
  timeStamp: Instant;
}

export interface LsSaleLine {
  saleLineId: string;
  saleId: string;
  itemId: string | null;
  /** Negative on refunds. */
  unitQuantity: DecimalString;
  unitPrice: DecimalString;
  normalUnitPrice: DecimalString;
  discountAmount: DecimalString;
  discountPercent: DecimalString;
  calcLineDiscount: DecimalString;
  calcTransactionDiscount: DecimalString;
  /** Up to 7 decimals. */
  calcSubtotal: DecimalString;
  calcTotal: DecimalString;
  calcTax1: DecimalString;
  calcTax2: DecimalString;
  tax: boolean;
  tax1Rate: DecimalString;
  tax2Rate: DecimalString;
  taxClassId: string | null;
  taxCategoryId: string | null;
  isLayaway: boolean;
  isSpecialOrder: boolean;
  isWorkorder: boolean;
  /** e.g. "item_fee"; null for a plain item line. */
  lineType: string | null;
  /** On a refund line: the original sale line. */
  parentSaleLineId: string | null;
  avgCost: DecimalString;
  fifoCost: DecimalString;
  shopId: string | null;
  timeStamp: Instant | null;
}

export interface LsSalePayment {
  salePaymentId: string;
  saleId: string;
  paymentTypeId: string;
  /** Includes the tip; negative on refunds and on gift-card sales (a deposit to the card's account). */
  amount: DecimalString;
  tipAmount: DecimalString;
  /** Set for gift-card and credit-account movements. */
  creditAccountId: string | null;
  registerId: string | null;
  archived: boolean;
  createTime: Instant | null;
  paymentType: LsPaymentType | null;
}

export interface LsSale {
  saleId: string;
  ticketNumber: string;
  referenceNumber: string;
  completed: boolean;
  voided: boolean;
  archived: boolean;
  isTaxInclusive: boolean;
  createTime: Instant | null;
  updateTime: Instant | null;
  completeTime: Instant | null;
  timeStamp: Instant;
  shopId: string;
  registerId: string | null;
  employeeId: string | null;
  customerId: string | null;
  taxCategoryId: string | null;
  calcSubtotal: DecimalString;
  calcDiscount: DecimalString;
  calcTax1: DecimalString;
  calcTax2: DecimalString;
  calcTotal: DecimalString;
  /** The document total (subtotal − discount + taxes), rounded to cents by Lightspeed: the truth for booking. */
  total: DecimalString;
  totalDue: DecimalString;
  balance: DecimalString;
  calcPayments: DecimalString;
  calcTips: DecimalString;
  change: DecimalString;
  lines: LsSaleLine[];
  payments: LsSalePayment[];
  customer: LsCustomer | null;
}

/** A row of Reports/Accounting/PaymentsByDay. */
export interface LsPaymentsByDayRow {
  /** YYYY-MM-DD (converted from the report's MM/DD/YYYY). */
  date: string;
  shopId: string;
  paymentTypeId: string;
  paymentTypeName: string;
  amount: DecimalString;
  layaway: boolean;
}

/** A row of Reports/Accounting/TaxesByDay. */
export interface LsTaxesByDayRow {
  date: string;
  shopId: string;
  taxCategoryId: string;
  taxCategoryName: string;
  tax: DecimalString;
}

/** A record that failed normalisation: it fails alone, with a message that says what is wrong. */
export interface LsMalformedRecord {
  entity: string;
  id: string | null;
  problems: string[];
  raw: unknown;
}
