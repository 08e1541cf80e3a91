import "server-only";
import * as z from "zod";
import { systemClock, type Clock } from "../clock";
import type { Database } from "../db";
import { AppError } from "../errors/app-error";
import { logger } from "../log";
import { lightspeedConfig, requireClientCredentials, type LsConfig } from "./config";
import type {
  Instant, LsAccount, LsCategory, LsCustomer, LsEmployee, LsItem, LsItemAttributeSet, LsItemMatrix, LsItemShop, LsMalformedRecord, LsPaymentType,
  LsPaymentsByDayRow, LsRegister, LsSale, LsShop, LsTaxCategory, LsTaxClass, LsTaxesByDayRow,
} from "./domain";
import { customerSchema } from "./normalize/customer";
import { employeeSchema } from "./normalize/employee";
import { itemMatrixSchema, itemSchema, itemShopSchema } from "./normalize/item";
import {
  accountSchema, attributeSetSchema, categorySchema, paymentTypeSchema, registerSchema, shopSchema, taxCategorySchema, taxClassSchema,
} from "./normalize/lookups";
import { parseLsInstant } from "./normalize/primitives";
import { paymentsByDaySchema, taxesByDaySchema } from "./normalize/reports";
import { collection, normalizeWith, type Normalized } from "./normalize/result";
import { saleSchema } from "./normalize/sale";
import { paginate } from "./paginate";
import { buildQuery, lsInstant, predictCost, type LsFilter, type LsQuery } from "./query";
import type { SchedulerStats } from "./scheduler";
import { TokenSource, type StoredCredentials } from "./token-store";
import { LightspeedTransport } from "./transport";

/** Where an incremental read got to: persist it only after the page has been processed. */
export interface LsCursor {
  /** Largest timeStamp seen so far. */
  timeStamp: Instant | null;
  /** Ids seen at exactly that timeStamp (so a resumed read with no overlap can skip them). */
  ids: string[];
}

export interface Page<T> {
  records: T[];
  malformed: LsMalformedRecord[];
  cursor: LsCursor;
}

export interface ReadOptions {
  /** Records with timeStamp ≥ since − overlapSeconds. */
  since?: Instant;
  /** Records with timeStamp ≤ until. */
  until?: Instant;
  /** Re-read this window before `since` (late commits with an older timeStamp). Default 0. */
  overlapSeconds?: number;
  /** 1–100, default 100. */
  pageSize?: number;
  /** Sales only: completed=true (default true). */
  completedOnly?: boolean;
  /** Resume from a stored cursor (used as `since` when `since` is not given). */
  cursor?: LsCursor;
  /** Include archived records (default true: an archival is a change the sync must see). */
  includeArchived?: boolean;
}

export interface LightspeedStats extends SchedulerStats {
  refreshes: number;
}

export interface LightspeedClient {
  readonly accountId: Promise<string>;
  getAccount(): Promise<LsAccount>;
  listShops(): Promise<LsShop[]>;
  listRegisters(): Promise<LsRegister[]>;
  listPaymentTypes(): Promise<LsPaymentType[]>;
  listTaxClasses(): Promise<LsTaxClass[]>;
  listTaxCategories(): Promise<LsTaxCategory[]>;
  listCategories(): Promise<LsCategory[]>;
  listItemAttributeSets(): Promise<LsItemAttributeSet[]>;
  getItem(itemId: string): Promise<LsItem | null>;
  getSale(saleId: string): Promise<LsSale | null>;
  /** The employee with their role; null when Lightspeed does not know them. */
  getEmployee(employeeId: string): Promise<LsEmployee | null>;
  readSales(opts?: ReadOptions): AsyncIterable<Page<LsSale>>;
  readItems(opts?: ReadOptions): AsyncIterable<Page<LsItem>>;
  readItemMatrices(opts?: ReadOptions): AsyncIterable<Page<LsItemMatrix>>;
  readItemShops(opts?: ReadOptions): AsyncIterable<Page<LsItemShop>>;
  readCustomers(opts?: ReadOptions): AsyncIterable<Page<LsCustomer>>;
  readCategories(opts?: ReadOptions): AsyncIterable<Page<LsCategory>>;
  countSales(opts?: ReadOptions): Promise<number>;
  paymentsByDay(startDate: string, endDate: string): Promise<LsPaymentsByDayRow[]>;
  taxesByDay(startDate: string, endDate: string): Promise<LsTaxesByDayRow[]>;
  revoke(): Promise<void>;
  stats(): LightspeedStats;
}

export interface CreateLightspeedClientOptions {
  database: Database;
  tenantId: string;
  clock?: Clock;
  config?: Partial<LsConfig>;
  /** Tests: an in-flight map of their own, to act like a separate process. */
  tokenInflight?: Map<string, Promise<StoredCredentials>>;
}

/** Relations loaded per reader; chosen for what the sync flows need. */
export const SALE_RELATIONS = ["SaleLines", "SalePayments", "SalePayments.PaymentType", "Customer", "Customer.Contact"];
export const ITEM_RELATIONS = ["ItemAttributes", "CustomFieldValues"];

interface EntitySpec<T> {
  entity: string;
  idField: string;
  schema: z.ZodType<T>;
  relations: string[];
}

const SPECS = {
  Sale: { entity: "Sale", idField: "saleID", schema: saleSchema as z.ZodType<LsSale>, relations: SALE_RELATIONS },
  Item: { entity: "Item", idField: "itemID", schema: itemSchema as z.ZodType<LsItem>, relations: ITEM_RELATIONS },
  ItemMatrix: { entity: "ItemMatrix", idField: "itemMatrixID", schema: itemMatrixSchema as z.ZodType<LsItemMatrix>, relations: [] },
  ItemShop: { entity: "ItemShop", idField: "itemShopID", schema: itemShopSchema as z.ZodType<LsItemShop>, relations: [] },
  Customer: { entity: "Customer", idField: "customerID", schema: customerSchema as z.ZodType<LsCustomer>, relations: ["Contact"] },
  Category: { entity: "Category", idField: "categoryID", schema: categorySchema as z.ZodType<LsCategory>, relations: [] },
  Employee: { entity: "Employee", idField: "employeeID", schema: employeeSchema as z.ZodType<LsEmployee>, relations: ["EmployeeRole"] },
} satisfies Record<string, EntitySpec<unknown>>;

function timeStampOf(raw: unknown): string | null {
  if (!raw || typeof raw !== "object") return null;
  const v = (raw as Record<string, unknown>).timeStamp;
  return typeof v === "string" ? parseLsInstant(v) : null;
}

function idOf(raw: unknown, idField: string): string | null {
  if (!raw || typeof raw !== "object") return null;
  const v = (raw as Record<string, unknown>)[idField];
  return typeof v === "string" ? v : null;
}

export function createLightspeedClient(opts: CreateLightspeedClientOptions): LightspeedClient {
  const config = lightspeedConfig(opts.config);
  const clock = opts.clock ?? systemClock;
  const tokens = new TokenSource({ database: opts.database, tenantId: opts.tenantId, config, clock, inflight: opts.tokenInflight });
  const transport = new LightspeedTransport({ database: opts.database, tenantId: opts.tenantId, config, clock, tokens });
  let accountIdPromise: Promise<string> | null = null;
  const accountId = () => {
    accountIdPromise ??= tokens.accountId().catch((e: unknown) => {
      accountIdPromise = null;
      throw e;
    });
    return accountIdPromise;
  };
  const base = async () => `${config.apiBaseUrl}/API/V3/Account/${await accountId()}`;
  const log = logger();

  const checkCredentials = () => requireClientCredentials(config);

  async function listAll<T>(entity: string, idField: string, schema: z.ZodType<T>, query: LsQuery = {}): Promise<T[]> {
    checkCredentials();
    const relations = query.relations ?? [];
    const url = `${await base()}/${entity}.json?${buildQuery({ limit: 100, archived: "true", ...query })}`;
    const out: T[] = [];
    for await (const page of paginate(transport, url, { cost: predictCost(entity, relations, true), what: `${entity} list` })) {
      for (const raw of collection(page.body, entity)) {
        const r = normalizeWith(entity, idField, schema, raw);
        if (r.ok) out.push(r.value);
        else log.warn({ entity, problems: r.malformed.problems }, "skipped a malformed Lightspeed record");
      }
    }
    return out;
  }

  async function getOne<T>(spec: EntitySpec<T>, id: string): Promise<T | null> {
    checkCredentials();
    if (!/^\d+$/.test(id)) throw new AppError("INVALID_INPUT", { detail: `"${id}" is not a Lightspeed ${spec.entity} id` });
    const rel = spec.relations.length ? `?${buildQuery({ relations: spec.relations })}` : "";
    const body = await transport.get(`${await base()}/${spec.entity}/${id}.json${rel}`, { cost: predictCost(spec.entity, spec.relations, false), nullOn404: true, what: `${spec.entity} ${id}` });
    if (body === null) return null;
    const [raw] = collection(body, spec.entity);
    if (raw === undefined) return null;
    const r: Normalized<T> = normalizeWith(spec.entity, spec.idField, spec.schema, raw);
    if (!r.ok) throw new AppError("RECORD_INVALID", { detail: r.malformed.problems.join("; "), context: { entity: spec.entity, id } });
    return r.value;
  }

  function timeFilters(o: ReadOptions): LsFilter[] {
    const sinceRaw = o.since ?? o.cursor?.timeStamp ?? undefined;
    const overlap = (o.overlapSeconds ?? 0) * 1000;
    const since = sinceRaw ? lsInstant(new Date(Date.parse(sinceRaw) - overlap)) : undefined;
    const until = o.until ? lsInstant(o.until) : undefined;
    if (since && until) return [{ field: "timeStamp", op: "><", value: [since, until] }];
    if (since) return [{ field: "timeStamp", op: ">=", value: since }];
    if (until) return [{ field: "timeStamp", op: "<=", value: until }];
    return [];
  }

  async function* readIncremental<T>(spec: EntitySpec<T>, o: ReadOptions, extraFilters: LsFilter[] = []): AsyncGenerator<Page<T>> {
    checkCredentials();
    const pageSize = o.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new AppError("INVALID_INPUT", { detail: `pageSize must be 1–100 (got ${pageSize})` });
    const query: LsQuery = {
      sort: "timeStamp",
      limit: pageSize,
      archived: o.includeArchived === false ? "false" : "true",
      relations: spec.relations,
      filters: [...timeFilters(o), ...extraFilters],
    };
    const url = `${await base()}/${spec.entity}.json?${buildQuery(query)}`;
    // Skip what a resumed read (no overlap) has already seen at exactly the cursor's timeStamp.
    const skip = !o.since && !o.overlapSeconds && o.cursor?.timeStamp ? new Set(o.cursor.ids) : null;
    const skipAt = o.cursor?.timeStamp ?? null;
    const seen = new Set<string>();
    let cursor: LsCursor = o.cursor ? { timeStamp: o.cursor.timeStamp, ids: [...o.cursor.ids] } : { timeStamp: null, ids: [] };
    for await (const page of paginate(transport, url, { cost: predictCost(spec.entity, spec.relations, true), what: `${spec.entity} changes` })) {
      const records: T[] = [];
      const malformed: LsMalformedRecord[] = [];
      for (const raw of collection(page.body, spec.entity)) {
        const ts = timeStampOf(raw);
        const id = idOf(raw, spec.idField);
        if (id && ts) {
          if (skip && ts === skipAt && skip.has(id)) continue;
          // The same version twice (pages shifting under concurrent edits) is dropped; a newer version is a change.
          const key = `${id}@${ts}`;
          if (seen.has(key)) continue;
          seen.add(key);
          if (cursor.timeStamp === null || ts > cursor.timeStamp) cursor = { timeStamp: ts, ids: [id] };
          else if (ts === cursor.timeStamp && !cursor.ids.includes(id)) cursor = { timeStamp: ts, ids: [...cursor.ids, id] };
        }
        const r = normalizeWith(spec.entity, spec.idField, spec.schema, raw);
        if (r.ok) records.push(r.value);
        else malformed.push(r.malformed);
      }
      if (records.length || malformed.length) yield { records, malformed, cursor };
    }
  }

  const client: LightspeedClient = {
    get accountId() {
      return accountId();
    },
    async getAccount() {
      checkCredentials();
      const id = await accountId();
      const body = await transport.get(`${await base()}.json`, { cost: 1, what: "the account" });
      // The endpoint page shows the fields at the top level; the list endpoint (and older answers) wrap them in
      // `Account`. Neither is sure to carry accountID, and the token's acct claim is the authority for it anyway.
      const wrapped = body && typeof body === "object" && "Account" in body ? collection(body, "Account")[0] : body;
      const raw = wrapped && typeof wrapped === "object" && !Array.isArray(wrapped) ? { ...(wrapped as Record<string, unknown>), accountID: id } : wrapped;
      const r = normalizeWith("Account", "accountID", accountSchema, raw);
      if (!r.ok) throw new AppError("RECORD_INVALID", { detail: r.malformed.problems.join("; ") });
      return r.value;
    },
    listShops: () => listAll("Shop", "shopID", shopSchema),
    listRegisters: () => listAll("Register", "registerID", registerSchema),
    listPaymentTypes: () => listAll("PaymentType", "paymentTypeID", paymentTypeSchema),
    listTaxClasses: () => listAll("TaxClass", "taxClassID", taxClassSchema),
    listTaxCategories: () => listAll("TaxCategory", "taxCategoryID", taxCategorySchema, { relations: ["TaxCategoryClasses"] }),
    listCategories: () => listAll("Category", "categoryID", categorySchema),
    listItemAttributeSets: () => listAll("ItemAttributeSet", "itemAttributeSetID", attributeSetSchema),
    getItem: (id) => getOne(SPECS.Item, id),
    getSale: (id) => getOne(SPECS.Sale, id),
    getEmployee: (id) => getOne(SPECS.Employee, id),
    readSales: (o = {}) => readIncremental(SPECS.Sale, o, o.completedOnly === false ? [] : [{ field: "completed", op: "=", value: "true" }]),
    readItems: (o = {}) => readIncremental(SPECS.Item, o),
    readItemMatrices: (o = {}) => readIncremental(SPECS.ItemMatrix, o),
    readItemShops: (o = {}) => readIncremental(SPECS.ItemShop, o),
    readCustomers: (o = {}) => readIncremental(SPECS.Customer, o),
    readCategories: (o = {}) => readIncremental(SPECS.Category, o),
    async countSales(o = {}) {
      checkCredentials();
      const filters = [...timeFilters(o), ...(o.completedOnly === false ? [] : [{ field: "completed", op: "=" as const, value: "true" }])];
      const body = await transport.get(`${await base()}/Sale.json?${buildQuery({ count: true, archived: o.includeArchived === false ? "false" : "true", filters })}`, { cost: 10, what: "the sale count" });
      const count = z.object({ "@attributes": z.object({ count: z.string().regex(/^\d+$/) }) }).safeParse(body);
      if (!count.success) throw new AppError("UPSTREAM_UNAVAILABLE", { detail: "Lightspeed answered the sale count without a count" });
      return Number(count.data["@attributes"].count);
    },
    paymentsByDay: (start, end) => report("PaymentsByDay", "Payments", paymentsByDaySchema, start, end),
    taxesByDay: (start, end) => report("TaxesByDay", "Taxes", taxesByDaySchema, start, end),
    revoke: async () => {
      checkCredentials();
      await tokens.revoke();
    },
    stats: () => {
      const s = schedulerStatsSync();
      return { ...s, refreshes: tokens.refreshCount };
    },
  };

  function schedulerStatsSync(): SchedulerStats {
    const s = transport.knownScheduler;
    return s ? s.stats() : { requests: 0, drips: 0, throttled429: 0, retries: 0, bucketLevel: 0, bucketSize: 90, dripRate: 1, waitingMs: 0, nextSendInMs: 0 };
  }

  async function report<T>(name: string, key: string, schema: z.ZodType<T>, start: string, end: string): Promise<T[]> {
    checkCredentials();
    for (const [label, v] of [["startDate", start], ["endDate", end]] as const) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new AppError("INVALID_INPUT", { detail: `${label} must be YYYY-MM-DD (got "${v}")` });
    }
    const url = `${await base()}/Reports/Accounting/${name}.json?${buildQuery({ extra: { startDate: start, endDate: end } })}`;
    const rows: T[] = [];
    const problems: string[] = [];
    for await (const page of paginate(transport, url, { cost: 1, what: `the ${name} report` })) {
      for (const raw of collection(page.body, key)) {
        const r = normalizeWith(name, "date", schema, raw);
        if (r.ok) rows.push(r.value);
        else problems.push(...r.malformed.problems);
      }
    }
    if (problems.length) throw new AppError("RECORD_INVALID", { detail: `The ${name} report from Lightspeed has unreadable rows: ${problems.slice(0, 5).join("; ")}` });
    return rows;
  }

  return client;
}
