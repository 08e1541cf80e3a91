import type { Ctx } from "../context";
import { SbError, isObject } from "../params";

/**
 * A batch call: each item is validated and applied on its own. Successes are listed in item order under
 * `key` (without an index); failures go to `errors[]` with the item echoed back as `request_data`. Partial
 * success is normal and `success` is true whenever the call itself was processed.
 */
export function runBatch(ctx: Ctx, key: string, items: unknown[], apply: (item: unknown, index: number) => Record<string, unknown>): Record<string, unknown> {
  const successes: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  items.forEach((item, index) => {
    try {
      successes.push({ success: true, message: "", ...apply(item, index) });
    } catch (e) {
      if (!(e instanceof SbError)) throw e;
      const requestData = ctx.strict.batchRequestDataShape === "array" && isObject(item) ? Object.values(item) : item;
      errors.push({ success: false, error_code: e.code, message: e.message, request_data: requestData });
    }
  });
  return { success: true, [key]: successes, errors };
}
