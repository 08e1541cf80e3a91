import { compareKeys, type Table } from "./model";
import type { EntityDef, Json, RelSchema, RelTree, RenderCtx } from "./entities";

/**
 * The V3 query language: `field=OP,value` filters, `or=`, `archived`, `sort`, `limit`, `load_relations`,
 * `count=1`, and opaque `after`/`before` cursors. Anything malformed is a 400 that names the problem (the real
 * API is sometimes vaguer; being precise costs nothing and never accepts more than the real one does).
 */
/** The error class of token problems: the server answers these in the OAuth shape (see `authErrorBody`). */
export const AUTH_ERROR_CLASS = "MerchantOS\\Exception\\Auth";

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly errorClass = "Exception") {
    super(message);
  }
}

export type Op = "=" | ">" | ">=" | "<" | "<=" | "><" | "!=" | "~" | "!~" | "IN";
export interface Filter {
  field: string;
  op: Op;
  values: string[];
}

export interface ListQuery {
  filters: Filter[];
  or: Filter[] | null;
  archived: "false" | "true" | "only";
  sort: { field: string; desc: boolean };
  sortGiven: boolean;
  limit: number;
  limitGiven: boolean;
  after: [number | string, number] | null;
  before: [number | string, number] | null;
  count: boolean;
  rels: RelTree;
  /** Drips for load_relations and or=. */
  extraCost: number;
}

const RESERVED = new Set(["load_relations", "limit", "sort", "after", "before", "archived", "count", "or", "offset", "orderby", "orderby_desc", "timeStamp_gt"]);
const OPS: Op[] = [">=", "<=", "><", "!=", "!~", ">", "<", "~", "="];
const DATE_FIELD = /(^timeStamp$|Time$|time$|^dob$)/;

export function isDateField(field: string): boolean {
  return DATE_FIELD.test(field);
}

/** Parses a filter value as Lightspeed does: ISO-8601 with an offset ("+00:00", "-0400", "Z") or UTC when none. */
export function parseInstant(value: string, field: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!m) {
    const hint = / \d{2}:?\d{2}$/.test(value) ? " (an unencoded \"+\" in the offset arrives as a space: percent-encode the value)" : "";
    throw new ApiError(400, `Invalid date/time value for ${field}: "${value}"${hint}`, "MerchantOS\\Exception\\Query");
  }
  const [, y, mo, d, h = "00", mi = "00", s = "00", tz] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(base) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59) {
    throw new ApiError(400, `Invalid date/time value for ${field}: "${value}"`, "MerchantOS\\Exception\\Query");
  }
  if (!tz || tz === "Z") return base;
  const sign = tz.startsWith("-") ? -1 : 1;
  const digits = tz.slice(1).replace(":", "");
  return base - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

function parseFilter(field: string, raw: string): Filter {
  for (const op of OPS) {
    if (raw.startsWith(`${op},`)) {
      const rest = raw.slice(op.length + 1);
      if (op === "><") {
        const parts = splitRange(rest);
        if (parts.length !== 2) throw new ApiError(400, `The between operator needs two values for ${field}: "><,low,high"`, "MerchantOS\\Exception\\Query");
        return { field, op, values: parts };
      }
      return { field, op, values: [rest] };
    }
  }
  if (raw.startsWith("IN,")) {
    const body = raw.slice(3).trim();
    let values: string[];
    if (body.startsWith("[")) {
      try {
        const parsed: unknown = JSON.parse(body);
        if (!Array.isArray(parsed)) throw new Error("not an array");
        values = parsed.map((v) => String(v));
      } catch {
        throw new ApiError(400, `Invalid IN list for ${field}: ${body}`, "MerchantOS\\Exception\\Query");
      }
    } else values = body.split(",").map((v) => v.trim());
    if (values.length > 100) throw new ApiError(400, `IN accepts at most 100 values (${values.length} given for ${field})`, "MerchantOS\\Exception\\Query");
    return { field, op: "IN", values };
  }
  return { field, op: "=", values: [raw] };
}

/** `><,2024-01-01T00:00:00+00:00,2024-02-01T00:00:00+00:00`: the values themselves contain no commas. */
function splitRange(rest: string): string[] {
  return rest.split(",");
}

export function parseRelations(raw: string | null, schema: RelSchema, isList: boolean): { tree: RelTree; cost: number } {
  const tree: RelTree = new Map();
  if (raw === null || raw === "") return { tree, cost: 0 };
  let names: string[];
  if (raw === "all") {
    names = Object.entries(schema).filter(([, v]) => !v.explicitOnly).map(([k]) => k);
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ApiError(400, `load_relations must be a JSON array of relation names, e.g. ["SaleLines","Customer"] (got ${raw.slice(0, 80)})`, "MerchantOS\\Exception\\Query");
    }
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === "string")) {
      throw new ApiError(400, `load_relations must be a JSON array of relation names (got ${raw.slice(0, 80)})`, "MerchantOS\\Exception\\Query");
    }
    names = parsed;
  }
  // Cost: x-to-one 0.1, x-to-many 0.2 on a single record; doubled on lists and under a to-many parent.
  let cost = 0;
  const charged = new Set<string>();
  for (const name of names) {
    let level = schema;
    let node = tree;
    let underMany = false;
    const parts = name.split(".");
    parts.forEach((part, i) => {
      const rel = level[part];
      if (!rel) throw new ApiError(400, `Invalid relation "${parts.slice(0, i + 1).join(".")}"; available: ${Object.keys(level).join(", ") || "none"}`, "MerchantOS\\Exception\\Query");
      const path = parts.slice(0, i + 1).join(".");
      if (!charged.has(path)) {
        charged.add(path);
        let c = rel.kind === "one" ? 1 : 2;
        if (isList) c *= 2;
        if (underMany) c *= 2;
        cost += c;
      }
      if (rel.kind === "many") underMany = true;
      let child = node.get(part);
      if (!child) {
        child = new Map();
        node.set(part, child);
      }
      node = child;
      level = rel.children ?? {};
    });
  }
  return { tree, cost: cost / 10 };
}

function decodeCursor(raw: string): [number | string, number] {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === "number" || typeof v[0] === "string") && typeof v[1] === "number") return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new ApiError(400, "Invalid pagination cursor: use the next/previous URLs exactly as returned", "MerchantOS\\Exception\\Query");
}

export function encodeCursor(key: number | string, id: number): string {
  return Buffer.from(JSON.stringify([key === -Infinity ? -1e15 : key, id])).toString("base64");
}

export function parseListQuery(def: EntityDef<{ id: number }>, params: URLSearchParams, isList: boolean): ListQuery {
  for (const removed of ["offset", "orderby", "orderby_desc"]) {
    if (params.has(removed)) throw new ApiError(400, `The "${removed}" parameter was removed in V3: use sort and the next/previous URLs`, "MerchantOS\\Exception\\Query");
  }
  const rel = parseRelations(params.get("load_relations"), def.relations, isList);
  const count = params.get("count") === "1";
  if (params.has("count") && !count) throw new ApiError(400, "count must be 1", "MerchantOS\\Exception\\Query");
  if (count) {
    for (const p of ["limit", "sort", "after", "before"]) {
      if (params.has(p)) throw new ApiError(400, `count=1 cannot be combined with ${p}`, "MerchantOS\\Exception\\Query");
    }
  }
  const archivedRaw = params.get("archived") ?? "false";
  if (!["false", "true", "only", "0", "1"].includes(archivedRaw)) throw new ApiError(400, `archived must be false, true or only (got "${archivedRaw}")`, "MerchantOS\\Exception\\Query");
  const archived = archivedRaw === "1" ? "true" : archivedRaw === "0" ? "false" : (archivedRaw as ListQuery["archived"]);

  const sortRaw = params.get("sort");
  let sort = { field: def.idField, desc: false };
  if (sortRaw !== null) {
    const desc = sortRaw.startsWith("-");
    const field = desc ? sortRaw.slice(1) : sortRaw;
    const canonical = field === "updateTime" ? "updatetime" : field;
    if (!def.sortable.includes(canonical)) {
      throw new ApiError(400, `Cannot sort ${def.name} by "${field}". Sortable fields: ${def.sortable.join(", ")}`, "MerchantOS\\Exception\\Query");
    }
    sort = { field: canonical, desc };
  }
  const limitRaw = params.get("limit");
  let limit = 100;
  if (limitRaw !== null) {
    if (!/^\d+$/.test(limitRaw) || Number(limitRaw) > 100) throw new ApiError(400, `limit must be a whole number from 0 to 100 (got "${limitRaw}")`, "MerchantOS\\Exception\\Query");
    limit = Number(limitRaw);
  }
  const afterRaw = params.get("after");
  const beforeRaw = params.get("before");
  if (afterRaw !== null && beforeRaw !== null) throw new ApiError(400, "after and before cannot be combined", "MerchantOS\\Exception\\Query");

  const filters: Filter[] = [];
  for (const [key, value] of params) {
    if (RESERVED.has(key)) continue;
    if (key.includes(".")) {
      throw new ApiError(400, `Searching in relations ("${key}") is not supported by the sandbox`, "MerchantOS\\Exception\\Query");
    }
    filters.push(parseFilter(key, value));
  }
  let or: Filter[] | null = null;
  let extraCost = rel.cost;
  const orRaw = params.get("or");
  if (orRaw !== null) {
    or = orRaw.split("|").map((operand) => {
      const eq = operand.indexOf("=");
      if (eq <= 0) throw new ApiError(400, `Invalid or= operand "${operand}": expected field=value (with "=" percent-encoded as %3D)`, "MerchantOS\\Exception\\Query");
      let value = operand.slice(eq + 1);
      try {
        value = decodeURIComponent(value);
      } catch {
        // keep as is
      }
      return parseFilter(operand.slice(0, eq), value);
    });
    const fields = new Set(or.map((f) => f.field));
    const ranges = or.filter((f) => [">", ">=", "<", "<=", "><"].includes(f.op)).length;
    if (fields.size > 1) extraCost += ranges <= 1 ? or.length : 10 + (or.length - 1);
  }
  return {
    filters, or, archived, sort, sortGiven: sortRaw !== null, limit, limitGiven: limitRaw !== null,
    after: afterRaw !== null ? decodeCursor(afterRaw) : null, before: beforeRaw !== null ? decodeCursor(beforeRaw) : null, count, rels: rel.tree, extraCost,
  };
}

/* ----------------------------------------------------------------------------------------------------------- */

function likeToRegex(pattern: string): RegExp {
  const esc = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".");
  return new RegExp(`^${esc}$`, "is");
}

function cmp(field: string, a: string, b: string): number {
  if (isDateField(field)) {
    if (a === "") return -1;
    return parseInstant(a, field) - parseInstant(b, field);
  }
  const na = Number(a);
  const nb = Number(b);
  if (a !== "" && b !== "" && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return compareKeys(a, b);
}

export function matches(f: Filter, value: string | undefined): boolean {
  if (value === undefined) return false;
  switch (f.op) {
    case "=": return cmp(f.field, value, f.values[0]!) === 0;
    case "!=": return cmp(f.field, value, f.values[0]!) !== 0;
    case ">": return value !== "" && cmp(f.field, value, f.values[0]!) > 0;
    case ">=": return value !== "" && cmp(f.field, value, f.values[0]!) >= 0;
    case "<": return value !== "" && cmp(f.field, value, f.values[0]!) < 0;
    case "<=": return value !== "" && cmp(f.field, value, f.values[0]!) <= 0;
    case "><": return value !== "" && cmp(f.field, value, f.values[0]!) >= 0 && cmp(f.field, value, f.values[1]!) <= 0;
    case "~": return likeToRegex(f.values[0]!).test(value);
    case "!~": return !likeToRegex(f.values[0]!).test(value);
    case "IN": return f.values.some((v) => cmp(f.field, value, v) === 0);
  }
}

/** Validates every filter value up front so a bad timestamp is a 400 even when no record is scanned. */
function validateFilters(filters: Filter[], knownFields: Set<string>, entity: string): void {
  for (const f of filters) {
    if (!knownFields.has(f.field)) throw new ApiError(400, `Unknown field "${f.field}" for ${entity}`, "MerchantOS\\Exception\\Query");
    if (isDateField(f.field)) for (const v of f.values) if (v !== "") parseInstant(v, f.field);
  }
}

const knownFieldCache = new Map<string, Set<string>>();

export interface PageResult<R> {
  records: R[];
  /** Cursor of the last record when a further page may exist. */
  nextAfter: string | null;
  prevBefore: string | null;
}

/**
 * One page: binary-search to the cursor (or the lower bound of a range filter on the sort field), then scan in
 * sort order applying the filters. A full page always gets a `next` cursor, even when nothing follows (the
 * client must cope with an empty last page).
 */
export function runQuery<R extends { id: number }>(ctx: RenderCtx, def: EntityDef<R>, table: Table<R>, q: ListQuery): PageResult<R> {
  const known = knownFields(ctx, def, table);
  validateFilters(q.filters, known, def.name);
  if (q.or) validateFilters(q.or, known, def.name);
  const rendered = new Map<number, Json>();
  const get = (r: R, field: string): string | undefined => {
    const fast = def.field?.(r, field);
    if (fast !== undefined) return fast;
    let out = rendered.get(r.id);
    if (!out) {
      out = def.render(ctx, r, new Map());
      rendered.set(r.id, out);
    }
    const alias: Record<string, string> = { updatetime: "updateTime", updateTime: "updatetime", onWorkOrder: "onWorkorder", onWorkorder: "onWorkOrder" };
    const v = out[field] ?? (alias[field] ? out[alias[field]!] : undefined);
    return typeof v === "string" ? v : undefined;
  };
  const accept = (r: R): boolean => {
    const archived = def.archived?.(r) ?? false;
    if (q.archived === "false" && archived) return false;
    if (q.archived === "only" && !archived) return false;
    for (const f of q.filters) if (!matches(f, get(r, f.field))) return false;
    if (q.or && !q.or.some((f) => matches(f, get(r, f.field)))) return false;
    return true;
  };

  const idx = table.sorted(q.sort.field);
  const key = table.sortKey(q.sort.field)!;
  const cmpPos = (r: R, pos: [number | string, number]) => compareKeys(key(r), pos[0]) || r.id - pos[1];
  // Position of the first record strictly after `pos` in ascending order.
  const upper = (pos: [number | string, number]) => {
    let lo = 0;
    let hi = idx.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpPos(idx[mid]!, pos) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lower = (pos: [number | string, number]) => {
    let lo = 0;
    let hi = idx.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpPos(idx[mid]!, pos) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // Range filters on a numeric sort key narrow the scan.
  let minKey = -Infinity;
  let maxKey = Infinity;
  const numericKey = idx.length > 0 && typeof key(idx[0]!) === "number";
  if (numericKey) {
    for (const f of q.filters) {
      if (f.field !== q.sort.field && !(q.sort.field === "updatetime" && f.field === "updateTime")) continue;
      const toKey = (v: string) => (isDateField(f.field) ? parseInstant(v, f.field) : Number(v));
      if (f.op === ">=" || f.op === ">" || f.op === "><") minKey = Math.max(minKey, toKey(f.values[0]!));
      if (f.op === "<=" || f.op === "<") maxKey = Math.min(maxKey, toKey(f.values[0]!));
      if (f.op === "><") maxKey = Math.min(maxKey, toKey(f.values[1]!));
      if (isDateField(f.field) && maxKey !== Infinity) maxKey += 999; // keys are ms, values have second precision
    }
  }

  const forward = q.before === null;
  const out: R[] = [];
  const limit = q.limit;
  let i: number;
  // "Ascending scan" means moving to larger keys in idx; a desc sort pages by moving to smaller keys.
  const movingUp = q.sort.desc ? !forward : forward;
  if (movingUp) {
    const cursor = forward ? q.after : q.before;
    i = cursor ? upper(cursor) : minKey > -Infinity ? lower([minKey, -Infinity]) : 0;
    for (; i < idx.length && out.length < limit; i++) {
      const r = idx[i]!;
      if (numericKey && (key(r) as number) > maxKey) break;
      if (accept(r)) out.push(r);
    }
  } else {
    const cursor = forward ? q.after : q.before;
    i = (cursor ? lower(cursor) : maxKey < Infinity ? upper([maxKey, Infinity]) : idx.length) - 1;
    for (; i >= 0 && out.length < limit; i--) {
      const r = idx[i]!;
      if (numericKey && (key(r) as number) < minKey) break;
      if (accept(r)) out.push(r);
    }
  }
  if (!forward) out.reverse();
  const full = limit > 0 && out.length === limit;
  const firstRec = out[0];
  const lastRec = out[out.length - 1];
  const enc = (r: R) => encodeCursor(key(r), r.id);
  if (forward) {
    return { records: out, nextAfter: full && lastRec ? enc(lastRec) : null, prevBefore: q.after && firstRec ? enc(firstRec) : null };
  }
  return { records: out, nextAfter: lastRec ? enc(lastRec) : null, prevBefore: full && firstRec ? enc(firstRec) : null };
}

function knownFields<R extends { id: number }>(ctx: RenderCtx, def: EntityDef<R>, table: Table<R>): Set<string> {
  let known = knownFieldCache.get(def.name);
  if (!known) {
    const sample = table.values().next();
    // Lightspeed knows its fields whether or not the account has records: an empty table still takes filters.
    if (sample.done) return new Set([def.idField, "timeStamp", "archived", ...(def.fieldNames ?? [])]);
    known = new Set(Object.entries(def.render(ctx, sample.value, new Map())).filter(([, v]) => typeof v === "string").map(([k]) => k));
    known.add(def.idField);
    for (const pair of [["updateTime", "updatetime"], ["onWorkOrder", "onWorkorder"]] as const) {
      if (known.has(pair[0]) || known.has(pair[1])) pair.forEach((k) => known!.add(k));
    }
    knownFieldCache.set(def.name, known);
  }
  return known;
}

/** Counts matches (count=1). */
export function countQuery<R extends { id: number }>(ctx: RenderCtx, def: EntityDef<R>, table: Table<R>, q: ListQuery): number {
  let n = 0;
  const all = { ...q, limit: Number.MAX_SAFE_INTEGER, after: null, before: null };
  n = runQuery(ctx, def, table, all).records.length;
  return n;
}
