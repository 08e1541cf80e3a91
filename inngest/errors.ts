import { NonRetriableError, RetryAfterError } from "inngest";
import { toAppError } from "@/lib/errors/app-error";

/**
 * The one place where the app's error taxonomy meets Inngest's retry semantics: retryable errors are
 * thrown as-is (retry with backoff) or as RetryAfterError when the upstream said when; everything else
 * (a bad record, a dead tenant connection, a bug) must not be retried blindly.
 */
export function toJobError(e: unknown): Error {
  if (e instanceof NonRetriableError || e instanceof RetryAfterError) return e;
  const err = toAppError(e);
  if (err.kind === "retryable") {
    if (err.retryAfterSeconds !== undefined) {
      return new RetryAfterError(err.message, Math.max(1, Math.ceil(err.retryAfterSeconds * 1000)), { cause: err });
    }
    return err;
  }
  if (err.kind === "internal") {
    // An unknown error may be transient (a dropped connection): let Inngest retry it.
    return e instanceof Error ? e : err;
  }
  return new NonRetriableError(err.message, { cause: err });
}

/** Runs `fn` and rethrows its failure in Inngest's terms. Steps wrap their lib/ calls in this. */
export async function asJobStep<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toJobError(e);
  }
}
