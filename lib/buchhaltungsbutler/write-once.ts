import { AppError, isAppError } from "../errors/app-error";
import type { OpsContext } from "./context";
import { BbUncertainWrite } from "./transport";

/**
 * A write to an API without idempotency keys. When the answer is lost (timeout, 5xx, dropped connection) the
 * write may or may not have happened, so we never retry blind: wait a moment, read back, and only write again
 * if the read-back proves it is not there. Without a way to read back, the outcome stays unknown.
 */
export async function writeOnce<T>(
  ctx: OpsContext,
  what: string,
  write: () => Promise<T>,
  readBack: (() => Promise<T | null>) | null,
  /** Fewer attempts for a write whose late-committed copy could never be undone (a debtor). */
  attempts: number = ctx.writeAttempts,
): Promise<{ value: T; recovered: boolean }> {
  let last: BbUncertainWrite | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) ctx.stats.retries += 1;
    try {
      return { value: await write(), recovered: false };
    } catch (e) {
      if (!(e instanceof BbUncertainWrite)) throw e;
      last = e;
      if (!readBack) {
        ctx.stats.unconfirmed += 1;
        throw new AppError("OUTCOME_UNKNOWN", {
          detail: `${what}: BuchhaltungsButler did not answer (${e.message}) and this write cannot be looked up, so it is not repeated automatically`,
          fixHint: "Check in BuchhaltungsButler whether it arrived before retrying.",
          context: { path: e.info.path, status: e.info.status, errorCode: e.info.errorCode },
        });
      }
      await ctx.clock.sleep(ctx.readBackDelayMs);
      let found: T | null;
      try {
        found = await readBack();
      } catch (re) {
        ctx.stats.unconfirmed += 1;
        if (isAppError(re) && re.kind !== "retryable") throw re;
        throw new AppError("OUTCOME_UNKNOWN", {
          detail: `${what}: BuchhaltungsButler did not answer, and looking it up failed too`,
          context: { path: e.info.path, status: e.info.status },
          cause: re,
        });
      }
      if (found !== null) {
        ctx.stats.recovered += 1;
        return { value: found, recovered: true };
      }
      ctx.stats.unconfirmed += 1;
      await ctx.clock.sleep(ctx.backoffMs * 2 ** (attempt - 1));
    }
  }
  throw new AppError("UPSTREAM_UNAVAILABLE", {
    detail: `${what}: BuchhaltungsButler failed ${attempts} time(s) (${last?.message ?? "no answer"}); it was looked up each time and is not there`,
    retryAfterSeconds: 60,
    context: { path: last?.info.path, status: last?.info.status, errorCode: last?.info.errorCode },
  });
}
