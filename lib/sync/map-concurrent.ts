/**
 * Maps with at most `limit` calls in flight, keeping the input order in the result. Items with the same key
 * never run at the same time (two sales of one new customer must not both create the debtor).
 */
export async function mapConcurrent<T, R>(items: T[], limit: number, key: (item: T) => string | null, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const tails = new Map<string, Promise<unknown>>();
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const i = next++;
      const item = items[i]!;
      const k = key(item);
      const before = k ? tails.get(k) : undefined;
      const run = (async () => {
        if (before) await before.catch(() => undefined);
        results[i] = await fn(item);
      })();
      if (k) tails.set(k, run);
      try {
        await run;
      } catch (e) {
        failure ??= e;
      } finally {
        if (k && tails.get(k) === run) tails.delete(k);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
  return results;
}
