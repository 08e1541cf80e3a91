import { AppError, isAppError, toAppError } from "../errors/app-error";
import type { OpsContext } from "./context";
import { bbErrorToAppError } from "./errors";
import { BbUncertainWrite } from "./transport";
import type { BatchItemResult, BatchOutcome } from "./types";
import { serializeBody } from "./wire";

/**
 * Runs a batch endpoint over any number of items, ≤ 50 per call, one call after the other (BB allows one
 * call per 5 s per batch endpoint; the rate limiter paces them).
 *
 * BB answers a batch with the successes in order (no index) and `errors[]` that echo each failed item as
 * `request_data` (an object live, an array in the spec). Errors are matched back to items by their identifying
 * fields, the successes go to the remaining items in order; if the counts do not add up, or the whole call
 * failed without an answer, the affected items are read back before anything is sent again. Only failed items
 * whose failure is transient are retried; validation failures are final for that item.
 */
export interface BatchSpec<I, T> {
  path: string;
  /** Request key of the item array, e.g. "receipts". */
  itemsKey: string;
  /** Response key of the success list (usually the same). */
  responseKey: string;
  /** The single-item endpoint whose error codes the items use (for the merchant message). */
  errorPath: string;
  items: I[];
  toWire(item: I): Record<string, unknown>;
  /** The fields that identify an item in `request_data`. */
  identity: string[];
  fromSuccess(entry: Record<string, unknown>, item: I): T;
  /** Finds items that may have been written; returns index → value for those that exist. */
  readBack: ((pending: { index: number; item: I }[]) => Promise<Map<number, T>>) | null;
  maxItems?: number;
  rounds?: number;
}

const norm = (v: unknown): string => {
  if (typeof v === "number") return String(v);
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return String(Number(v));
  if (v === null || v === undefined) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
};

function identityOf(obj: Record<string, unknown>, fields: string[]): string {
  return fields.map((f) => norm(obj[f])).join("\u0001");
}

type ChunkItem<I> = { index: number; item: I; wire: Record<string, unknown>; plain: Record<string, unknown> };

export async function runBatch<I, T>(ctx: OpsContext, spec: BatchSpec<I, T>): Promise<BatchOutcome<T>> {
  const max = spec.maxItems ?? 50;
  const rounds = spec.rounds ?? ctx.writeAttempts;
  const results: (BatchItemResult<T> | undefined)[] = new Array(spec.items.length);
  const wires = new Map<number, Record<string, unknown>>();
  // A record we cannot even build fails alone; the others still go.
  spec.items.forEach((item, index) => {
    try {
      wires.set(index, spec.toWire(item));
    } catch (e) {
      results[index] = { ok: false, error: toAppError(e) };
    }
  });
  let pending = spec.items.map((_, index) => index).filter((index) => wires.has(index));
  let fatal: AppError | undefined;

  const resolveByReadBack = async (items: ChunkItem<I>[], retry: number[], cause: string): Promise<void> => {
    if (!spec.readBack) {
      ctx.stats.unconfirmed += items.length;
      for (const c of items) results[c.index] = { ok: false, error: new AppError("OUTCOME_UNKNOWN", { detail: `${spec.path}: ${cause}; this item cannot be looked up`, context: { path: spec.path } }) };
      return;
    }
    await ctx.clock.sleep(ctx.readBackDelayMs);
    let found: Map<number, T>;
    try {
      found = await spec.readBack(items.map(({ index, item }) => ({ index, item })));
    } catch (e) {
      ctx.stats.unconfirmed += items.length;
      const err = new AppError("OUTCOME_UNKNOWN", { detail: `${spec.path}: ${cause}, and looking the items up failed`, cause: e, context: { path: spec.path } });
      for (const c of items) results[c.index] = { ok: false, error: err };
      return;
    }
    for (const c of items) {
      if (found.has(c.index)) {
        ctx.stats.recovered += 1;
        results[c.index] = { ok: true, value: found.get(c.index) as T, recovered: true };
      } else {
        ctx.stats.unconfirmed += 1;
        retry.push(c.index);
      }
    }
  };

  for (let round = 1; round <= rounds && pending.length && !fatal; round++) {
    if (round > 1) {
      ctx.stats.retries += pending.length > 0 ? 1 : 0;
      await ctx.clock.sleep(ctx.backoffMs * 2 ** (round - 2));
    }
    const retry: number[] = [];
    for (let start = 0; start < pending.length && !fatal; start += max) {
      const chunk: ChunkItem<I>[] = pending.slice(start, start + max).map((index) => {
        const wire = wires.get(index)!;
        return { index, item: spec.items[index]!, wire, plain: JSON.parse(serializeBody(wire)) as Record<string, unknown> };
      });
      let answer: Record<string, unknown>;
      try {
        answer = await ctx.call(spec.path, { [spec.itemsKey]: chunk.map((c) => c.wire) }, { write: true });
      } catch (e) {
        if (e instanceof BbUncertainWrite) {
          await resolveByReadBack(chunk, retry, `the call failed without an answer (${e.message})`);
          continue;
        }
        const err = toAppError(e);
        for (const c of chunk) results[c.index] = { ok: false, error: err };
        if (err.kind === "tenant" || err.code === "RATE_LIMITED") fatal = err;
        continue;
      }
      const successes = Array.isArray(answer[spec.responseKey]) ? (answer[spec.responseKey] as Record<string, unknown>[]).filter((s) => s && s.success !== false) : [];
      const errors = Array.isArray(answer.errors) ? (answer.errors as Record<string, unknown>[]) : [];
      const unmatched = new Set(chunk.map((c) => c.index));
      const uncertain: ChunkItem<I>[] = [];
      let unmatchedErrors = 0;
      for (const err of errors) {
        const data = err.request_data;
        const target = chunk.find((c) => {
          if (!unmatched.has(c.index)) return false;
          const asObject = Array.isArray(data) ? Object.fromEntries(Object.keys(c.plain).map((k, i) => [k, (data as unknown[])[i]])) : (data as Record<string, unknown> | null);
          return !!asObject && typeof asObject === "object" && identityOf(asObject, spec.identity) === identityOf(c.plain, spec.identity);
        });
        if (!target) {
          unmatchedErrors++;
          continue;
        }
        unmatched.delete(target.index);
        const code = typeof err.error_code === "number" ? err.error_code : Number(err.error_code);
        const info = { path: spec.errorPath, status: 400, errorCode: Number.isFinite(code) ? code : null, bbMessage: String(err.message ?? "") };
        if (info.errorCode === 0 || info.errorCode === 30) uncertain.push(target);
        else if (info.errorCode === 15) retry.push(target.index);
        else results[target.index] = { ok: false, error: bbErrorToAppError(info) };
      }
      const rest = chunk.filter((c) => unmatched.has(c.index));
      if (unmatchedErrors === 0 && successes.length === rest.length) {
        rest.forEach((c, i) => {
          try {
            results[c.index] = { ok: true, value: spec.fromSuccess(successes[i]!, c.item), recovered: false };
          } catch {
            uncertain.push(c);
          }
        });
      } else {
        // The answer cannot be mapped safely: find out what happened to each remaining item.
        uncertain.push(...rest);
      }
      if (uncertain.length) await resolveByReadBack(uncertain, retry, "BuchhaltungsButler's answer did not say what happened to these items");
    }
    pending = retry;
  }

  for (const index of pending) {
    results[index] ??= {
      ok: false,
      error: fatal ?? new AppError("UPSTREAM_UNAVAILABLE", { detail: `${spec.path}: still failing after ${rounds} attempts; the item is not in BuchhaltungsButler`, retryAfterSeconds: 60, context: { path: spec.path } }),
    };
  }
  // Array.from, not map: items that were never sent are holes in `results`, and map skips holes.
  const final: BatchItemResult<T>[] = Array.from(
    { length: spec.items.length },
    (_, i) => results[i] ?? { ok: false as const, error: fatal ?? new AppError("UPSTREAM_UNAVAILABLE", { detail: `${spec.path}: not sent`, context: { path: spec.path } }) },
  );
  return { results: final, succeeded: final.filter((r) => r.ok).length, failed: final.filter((r) => !r.ok).length };
}

export function isRetryableFailure(r: BatchItemResult<unknown>): boolean {
  return !r.ok && isAppError(r.error) && r.error.kind === "retryable";
}
